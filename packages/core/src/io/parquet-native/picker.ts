import type { ColumnOut } from "./column-output.js";
import { copyBits, copySelected } from "./selection.js";

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

  /** Copies the page's selected rows from `scratch` (the page decoded whole, from row `r`). */
  pick(scratch: ColumnOut, r: number): void {
    copySelected(scratch, this.sel, this.at, this.end, r, this.out);
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
