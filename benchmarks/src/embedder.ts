// A stateful "model" for the embedding benchmark: its constructor builds a ~50 MB lookup table
// (one row of floats per hashed word, seeded, mixed and normalized: the cost of loading model
// weights), and `call(text)` embeds a text as the normalized sum of its words' rows. Every
// construction adds 1 to a counter in a SharedArrayBuffer handed in as an argument, so the
// benchmark can count setups across worker threads. Loaded by workers through fromModule().

const WORD = /[a-z0-9']+/g;

export interface EmbedderOptions {
  /** Floats per embedding. */
  dim: number;
  /** Rows of the table (dim * rows * 4 bytes in all). */
  rows: number;
}

/** The default shape: 34,000 x 384 float32s = 52 MB, as a small sentence-embedding model. */
export const DEFAULT_EMBEDDER: EmbedderOptions = { dim: 384, rows: 34_000 };

export class HashEmbedder {
  private readonly table: Float32Array;
  private readonly dim: number;
  private readonly rows: number;

  /** `setups`: a SharedArrayBuffer of at least 4 bytes whose first int32 counts constructions. */
  constructor(setups: SharedArrayBuffer | null, options: EmbedderOptions = DEFAULT_EMBEDDER) {
    const { dim, rows } = options;
    this.dim = dim;
    this.rows = rows;
    this.table = new Float32Array(dim * rows);
    const t = this.table;
    let s = 0x9e3779b9;
    for (let i = 0; i < t.length; i++) {
      // xorshift32
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      t[i] = (s >>> 0) / 4294967296 - 0.5;
    }
    // Mix each row with its predecessor (a few passes), then normalize: work proportional to
    // the table, as decoding and preparing real weights is.
    for (let pass = 0; pass < 8; pass++) {
      for (let r = 1; r < rows; r++) {
        const a = r * dim;
        const b = a - dim;
        for (let k = 0; k < dim; k++) t[a + k]! += 0.5 * t[b + k]!;
      }
    }
    for (let r = 0; r < rows; r++) {
      let norm = 0;
      for (let k = r * dim; k < (r + 1) * dim; k++) norm += t[k]! * t[k]!;
      const inv = 1 / Math.sqrt(norm);
      for (let k = r * dim; k < (r + 1) * dim; k++) t[k]! *= inv;
    }
    if (setups) Atomics.add(new Int32Array(setups), 0, 1);
  }

  /** FNV-1a of the word, to a table row. */
  private rowOf(word: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) {
      h ^= word.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0) % this.rows;
  }

  call(text: string): Float32Array {
    const dim = this.dim;
    const t = this.table;
    const out = new Float32Array(dim);
    for (const w of text.toLowerCase().match(WORD) ?? []) {
      const base = this.rowOf(w) * dim;
      for (let k = 0; k < dim; k++) out[k]! += t[base + k]!;
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += out[k]! * out[k]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < dim; k++) out[k]! *= inv;
    }
    return out;
  }
}
