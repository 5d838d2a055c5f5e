import type { ColumnOut } from "./column-output.js";
import { gather } from "./dictionary.js";

// Decoding only some rows of a column chunk: a scan whose filter has been evaluated on the
// filter's own columns decodes the other columns for the rows that passed only. `sel` holds
// those rows (ascending indexes into the row group); a page covering rows [r, r + n) owns the
// entries sel[at..end) that fall in that range and writes them to output rows at..end. Both
// ways of writing them are the dictionary gather: a dictionary page gathers the entries its
// picked rows index, and a page decoded whole into scratch space is itself gathered from, its
// rows being the entries.

/**
 * The state of decoding a column chunk for selected rows only: which entries of `sel` the
 * current page owns (`at` up to `end`), and the scratch space a page is decoded into whole
 * before its selected rows are picked.
 */
export class Picker {
  /** The first entry of `sel` not yet written (the output row it goes to). */
  at = 0;
  /** One past the current page's last entry of `sel`. */
  end = 0;
  private scratch: ColumnOut | undefined;
  private capacity = 0;
  private levels: Uint8Array | undefined;
  private indexes = new Int32Array(1024);

  constructor(
    readonly out: ColumnOut,
    readonly sel: Int32Array,
    private readonly validity: Uint8Array | null,
  ) {}

  /** Finds the entries of a page of rows [r, r + n); true when it holds none (skip it). */
  skip(r: number, n: number): boolean {
    const sel = this.sel;
    let b = this.at;
    while (b < sel.length && sel[b]! < r + n) b++;
    this.end = b;
    return b === this.at;
  }

  /** Cleared bits for a page's definition levels (null for a required column). */
  pageValidity(n: number): Uint8Array | null {
    if (!this.validity) return null;
    const bytes = (n + 7) >>> 3;
    if (!this.levels || this.levels.length < bytes) this.levels = new Uint8Array(bytes);
    else this.levels.fill(0, 0, bytes);
    return this.levels;
  }

  /** Room for a whole page of `n` rows, of the output's shape, reused page after page. */
  scratchFor(n: number): ColumnOut {
    if (this.scratch && this.capacity >= n) {
      if (this.scratch.kind === "bool") this.scratch.bits.fill(0);
      return this.scratch;
    }
    const out = this.out;
    this.capacity = n;
    switch (out.kind) {
      case "fixed":
        this.scratch = { kind: "fixed", words: out.words, data: new Int32Array(n * out.words) };
        break;
      case "bool":
        this.scratch = { kind: "bool", bits: new Uint8Array((n + 7) >>> 3) };
        break;
      case "bytes":
        this.scratch = { kind: "bytes", offsets: new Int32Array(n + 1), data: new Uint8Array(0) };
        break;
      case "flba":
        this.scratch = { kind: "flba", width: out.width, data: new Uint8Array(n * out.width) };
        break;
    }
    return this.scratch;
  }

  /**
   * The current page's picked rows as indexes into `of` (the page's own dictionary indexes
   * when given, else its rows), for the gather. Reused scratch: valid until the next call.
   */
  picked(r: number, of?: Int32Array): Int32Array {
    const k = this.end - this.at;
    if (this.indexes.length < k)
      this.indexes = new Int32Array(Math.max(k, this.indexes.length * 2));
    const out = this.indexes;
    const sel = this.sel;
    if (of) for (let j = 0; j < k; j++) out[j] = of[sel[this.at + j]! - r]!;
    else for (let j = 0; j < k; j++) out[j] = sel[this.at + j]! - r;
    return out;
  }

  /** Copies the page's selected rows from `scratch` (the page of `n` rows decoded whole, from row `r`). */
  pick(scratch: ColumnOut, n: number, r: number): void {
    if (scratch.kind === "bool") {
      const src = scratch.bits;
      const dst = (this.out as typeof scratch).bits;
      copyBits(src, this.sel, this.at, this.end, r, dst);
      return;
    }
    // A fresh object per page: the gather caches a byte dictionary's longest entry on it.
    gather({ ...scratch, size: n }, this.picked(r), this.end - this.at, this.out, this.at);
  }

  /** Records the page's selected rows as valid (or as its levels say) and moves past them. */
  done(r: number, allValid: boolean): void {
    const v = this.validity;
    if (v) {
      if (allValid) for (let j = this.at; j < this.end; j++) v[j >>> 3]! |= 1 << (j & 7);
      else copyBits(this.levels!, this.sel, this.at, this.end, r, v);
    }
    this.at = this.end;
  }
}

/** Bit j of `dst` = bit sel[j] - r of `src`, for j in [a, b) (bits of `dst` from a start clear). */
function copyBits(
  src: Uint8Array,
  sel: Int32Array,
  a: number,
  b: number,
  r: number,
  dst: Uint8Array,
): void {
  for (let j = a; j < b; j++) {
    const i = sel[j]! - r;
    if ((src[i >>> 3]! >>> (i & 7)) & 1) dst[j >>> 3]! |= 1 << (j & 7);
  }
}
