// Substring search over a whole batch's UTF-8 bytes. A row's text is a range of one buffer, so
// "the next occurrence at or after position p" can be asked of the buffer itself (native
// Buffer.indexOf) and remembered: rows are visited in order, so one search answers every row
// up to the occurrence it found. Each literal then scans the batch about once, whatever the
// number of rows, instead of once per row.

/** Finds one needle in one haystack, remembering the last answer. */
export class Finder {
  private readonly hay: Buffer;
  private readonly needle: Buffer;
  private from = Number.POSITIVE_INFINITY;
  private at = -1;
  constructor(hay: Uint8Array, needle: Uint8Array) {
    this.hay = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
    this.needle = Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength);
  }
  get length(): number {
    return this.needle.length;
  }
  /** The first occurrence at or after `pos`, or -1 when there is none in the rest of the buffer. */
  next(pos: number): number {
    // The remembered search started at or before pos and found nothing before its answer.
    if (this.from <= pos && (this.at >= pos || this.at === -1)) return this.at;
    this.from = pos;
    this.at = this.hay.indexOf(this.needle, pos);
    return this.at;
  }
}

/** Whether `pat` occurs in `bytes` at `at`. */
export function equalAt(bytes: Uint8Array, at: number, pat: Uint8Array): boolean {
  for (let k = 0; k < pat.length; k++) if (bytes[at + k] !== pat[k]) return false;
  return true;
}
