// Terminal display width of text: East Asian wide and fullwidth characters and emoji take two
// columns, combining marks, zero-width joiners and variation selectors none (what a terminal
// does, so that tables of CJK or emoji text line up).

/** Code point ranges two columns wide (inclusive). */
const WIDE: [number, number][] = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, CJK symbols
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f680, 0x1f6ff], // transport
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff], // supplemental symbols
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd], // CJK extensions B and beyond
];

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) || // combining diacritics
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space, joiners, marks
    (cp >= 0x1f3fb && cp <= 0x1f3ff) || // skin tone modifiers join the emoji before them
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

/** Width of one code point in terminal columns. */
export function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Widths of the characters of `s`: what follows a zero-width joiner joins the emoji before. */
function* widths(s: string): Generator<[string, number]> {
  let joined = false;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    yield [ch, joined ? 0 : codePointWidth(cp)];
    joined = cp === 0x200d;
  }
}

/** Width of a string in terminal columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const [, cw] of widths(s)) w += cw;
  return w;
}

/** The longest prefix of `s` at most `max` columns wide (joined sequences kept whole). */
export function cutToWidth(s: string, max: number): string {
  let w = 0;
  let out = "";
  for (const [ch, cw] of widths(s)) {
    if (w + cw > max) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** `s` padded with spaces to `width` columns, on the right (or the left with `start`). */
export function padToWidth(s: string, width: number, start = false): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(s)));
  return start ? fill + s : s + fill;
}
