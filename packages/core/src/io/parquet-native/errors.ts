/**
 * Raised when a page's bytes contradict its header or the footer (bad sizes, a codec that
 * fails, an index outside the dictionary). The scan turns it into a FileError naming the
 * file and row group; the message says what was wrong with the page.
 */
export class CorruptPageError extends Error {
  override readonly name = "CorruptPageError";
}

export function corrupt(what: string): CorruptPageError {
  return new CorruptPageError(what);
}
