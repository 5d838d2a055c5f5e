/**
 * Whether this thread is one of the compute threads. Work that would otherwise go to the
 * compute pool (decoding a Parquet row group) runs inline there: a compute thread never
 * starts a pool of its own.
 */
let computeThread = false;

/** Called once by the compute threads' entry. */
export function markComputeThread(): void {
  computeThread = true;
}

export function onComputeThread(): boolean {
  return computeThread;
}
