// Reversal by user-perceived characters (grapheme clusters, as DuckDB's reverse): "e" with a
// combining accent, a flag or a family emoji stays whole and in order inside.

let segmenter: Intl.Segmenter | null = null;

export function reverseText(s: string): string {
  let simple = true;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    // ASCII other than CR (CR LF is one cluster) reverses unit by unit.
    if (c > 127 || c === 13) {
      simple = false;
      break;
    }
  }
  if (simple) {
    let out = "";
    for (let k = s.length - 1; k >= 0; k--) out += s[k];
    return out;
  }
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  const parts = Array.from(segmenter.segment(s), (x) => x.segment);
  return parts.reverse().join("");
}

/** First character upper-cased, the rest lower-cased (Python's and Daft's capitalize). */
export function capitalizeText(s: string): string {
  if (s === "") return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  return first.toUpperCase() + s.slice(first.length).toLowerCase();
}
