// JSON.parse reads every number as a double, so integers beyond 2^53 (int64 ids, nanosecond
// times) would come back rounded. Lines holding a long run of digits are parsed with those
// integer tokens kept as text first, then turned into bigints: exact from the file's own text.

const MARK = "\u0000deft:int\u0000";
const MARK_JSON = JSON.stringify(MARK).slice(1, -1);

/** Whether `text` may hold an integer a double cannot represent (16 or more digits in a row). */
const LONG_DIGITS = /\d{16}/;

/** JSON.parse, except that integers of 16 or more digits become bigints (exact). */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(protectIntegers(text), (_key, v: unknown) =>
    typeof v === "string" && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v,
  );
}

/** The text with each long integer token outside strings wrapped as a marked string. */
function protectIntegers(text: string): string {
  let out = "";
  let last = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote, past escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      const digitsStart = i;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const digits = i - digitsStart;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 46 && next !== 101 && next !== 69; // not . e E
      if (isInteger && digits >= 16) {
        out += `${text.slice(last, start)}"${MARK_JSON}${text.slice(start, i)}"`;
        last = i;
      }
      // Skip the rest of a float token (fraction, exponent).
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}
