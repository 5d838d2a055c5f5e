// Padding and repetition, counted in code points (a pad of "é" or "😀" is one character).

/** Code points in a JS string (UTF-16 units minus the second half of each surrogate pair). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/**
 * Pads to `width` characters with `fill` repeated (and cut, as JavaScript's padStart does);
 * a value already that long or longer is kept whole, as in Polars (SQL's lpad would cut it).
 */
export function padder(width: number, fill: string, atStart: boolean): (s: string) => string {
  const fillChars = Array.from(fill);
  const pads = new Map<number, string>();
  const padOf = (need: number) => {
    let pad = pads.get(need);
    if (pad === undefined) {
      pad = "";
      for (let k = 0; k < need; k++) pad += fillChars[k % fillChars.length];
      if (pads.size < 1024) pads.set(need, pad);
    }
    return pad;
  };
  return (s) => {
    const len = codePointLength(s);
    if (len >= width) return s;
    const pad = padOf(width - len);
    return atStart ? pad + s : s + pad;
  };
}

/** `s` repeated `times` times; none (the empty string) for zero or a negative count. */
export const repeater =
  (times: number): ((s: string) => string) =>
  (s) =>
    times > 0 ? s.repeat(times) : "";
