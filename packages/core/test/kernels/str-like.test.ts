// LIKE / ILIKE: the byte-level kernel against a plain regular expression built from the
// pattern, on random text with multi-byte characters and regex metacharacters.
import { col, DataFrame, type Expr, PlanError } from "@deft/core";
import { buildUtf8, evaluate, makeBatch, valuesOf } from "@deft/core/internal";
import { Field, Schema, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

const unit = fc.constantFrom(
  "a",
  "b",
  "ab",
  "A",
  "é",
  "É",
  "😀",
  " ",
  ".",
  "*",
  "(",
  "$",
  "\n",
  "\\",
);
const text = fc.string({ unit, maxLength: 10 });
const column = fc.array(fc.option(text, { freq: 4 }), { maxLength: 25 });
const pattern = fc.string({
  unit: fc.oneof(unit, fc.constantFrom("%", "_", "%", "_")),
  maxLength: 8,
});

function run(values: (string | null)[], e: Expr): unknown[] {
  const schema = new Schema([new Field("s", new Utf8(), true)]);
  // Sliced, so offsets do not start at 0 and bytes before the first row exist.
  const padded = ["special requests", ...values];
  const batch = makeBatch(schema, [buildUtf8(padded)], padded.length).slice(1);
  return valuesOf(evaluate(e.node, batch));
}

/** The reference: `%` is `.*`, `_` one code point, everything else literal; whole value. */
function likeRegex(p: string, esc?: string, flags = ""): RegExp {
  let src = "";
  const chars = Array.from(p);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === esc) src += chars[++i]!.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
    else if (c === "%") src += ".*";
    else if (c === "_") src += ".";
    else src += c.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, `su${flags}`);
}

/** Lower-cases per code point as ILIKE does (each character stays one character). */
const fold = (s: string) =>
  Array.from(s, (c) => String.fromCodePoint(c.toLowerCase().codePointAt(0)!)).join("");

const ref = (values: (string | null)[], re: RegExp, f = (s: string) => s) =>
  values.map((s) => (s === null ? null : re.test(f(s))));

describe("like", () => {
  it("equals the regular expression built from the pattern", () => {
    fc.assert(
      fc.property(column, pattern, (values, p) => {
        expect(run(values, col("s").str.like(p))).toEqual(ref(values, likeRegex(p)));
      }),
      { numRuns: 400 },
    );
  });

  it("with an escape character, `\\%` and `\\_` are literal", () => {
    const escaped = fc.string({
      unit: fc.oneof(unit, fc.constantFrom("%", "_", "\\%", "\\_", "\\\\")),
      maxLength: 8,
    });
    fc.assert(
      fc.property(column, escaped, (values, p) => {
        fc.pre(!/(^|[^\\])(\\\\)*\\$/.test(p));
        const e = col("s").str.like(p, { escape: "\\" });
        expect(run(values, e)).toEqual(ref(values, likeRegex(p, "\\")));
      }),
      { numRuns: 300 },
    );
  });

  it("patterns with several % parts (searched in order, without overlap)", () => {
    const parts = fc.array(fc.string({ unit: fc.constantFrom("a", "b", "é", "_"), maxLength: 3 }), {
      minLength: 2,
      maxLength: 4,
    });
    const abText = fc.string({ unit: fc.constantFrom("a", "b", "é", "c"), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(abText, { maxLength: 20 }),
        parts,
        fc.boolean(),
        fc.boolean(),
        (values, ps, l, r) => {
          const p = `${l ? "%" : ""}${ps.join("%")}${r ? "%" : ""}`;
          expect(run(values, col("s").str.like(p))).toEqual(ref(values, likeRegex(p)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("NOT LIKE through .not(): null stays null", () => {
    const values = ["special requests", "specially", null, "", "requests special"];
    expect(run(values, col("s").str.like("%special%requests%").not())).toEqual([
      false,
      true,
      null,
      true,
      true,
    ]);
  });

  it("`_` is one code point, not one byte or UTF-16 unit", () => {
    const values = ["😀", "é", "ab", "a", "", "😀😀", null];
    expect(run(values, col("s").str.like("_"))).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
      null,
    ]);
    expect(run(values, col("s").str.like("__"))).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      null,
    ]);
    expect(run(values, col("s").str.like("%_"))).toEqual([
      true,
      true,
      true,
      true,
      false,
      true,
      null,
    ]);
  });

  it("fast paths: exact, prefix, suffix, contains, empty pattern, lone %", () => {
    const values = ["abc", "xabc", "abcx", "", null, "ab"];
    expect(run(values, col("s").str.like("abc"))).toEqual([true, false, false, false, null, false]);
    expect(run(values, col("s").str.like("abc%"))).toEqual([true, false, true, false, null, false]);
    expect(run(values, col("s").str.like("%abc"))).toEqual([true, true, false, false, null, false]);
    expect(run(values, col("s").str.like("%abc%"))).toEqual([true, true, true, false, null, false]);
    expect(run(values, col("s").str.like(""))).toEqual([false, false, false, true, null, false]);
    expect(run(values, col("s").str.like("%"))).toEqual([true, true, true, true, null, true]);
    // The prefix and suffix may not overlap.
    expect(run(["aba", "ab", "abab"], col("s").str.like("ab%ba"))).toEqual([false, false, false]);
    expect(run(["abba"], col("s").str.like("ab%ba"))).toEqual([true]);
  });

  it("empty input and an all-null column", () => {
    expect(run([], col("s").str.like("%a%"))).toEqual([]);
    expect(run([null, null], col("s").str.like("%a%"))).toEqual([null, null]);
  });

  it("a bad pattern or escape is a PlanError at the call", () => {
    expect(() => col("s").str.like("50\\", { escape: "\\" })).toThrow(PlanError);
    expect(() => col("s").str.like("50\\", { escape: "\\" })).toThrow(/ends with its escape/);
    expect(() => col("s").str.like("a", { escape: "ab" })).toThrow(/escape must be one character/);
  });
});

describe("ilike", () => {
  it("equals LIKE over the values and pattern lower-cased per character", () => {
    fc.assert(
      fc.property(column, pattern, (values, p) => {
        expect(run(values, col("s").str.ilike(p))).toEqual(ref(values, likeRegex(fold(p)), fold));
      }),
      { numRuns: 400 },
    );
  });

  it("folds ASCII byte-wise and other letters per code point", () => {
    const values = ["ÉCOLE", "école", "Straße", "KELVIN", "İstanbul", "ABC", null];
    expect(run(values, col("s").str.ilike("école"))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      null,
    ]);
    expect(run(values, col("s").str.ilike("%STRA_E"))).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
      null,
    ]);
    expect(run(values, col("s").str.ilike("%k%"))).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      null,
    ]);
    expect(run(values, col("s").str.ilike("i%"))).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      null,
    ]);
  });
});

describe("like in a plan", () => {
  it("filters over many batches and round-trips through JSON", async () => {
    const rows = ["special requests", "no", null, "Special Requests", "specialrequests"];
    const df = DataFrame.fromRecords(rows.map((s) => ({ s }))).intoBatches(2);
    const notLike = df.filter(col("s").str.like("%special%requests%").not());
    await expectColumns(notLike, { s: ["no", "Special Requests"] });
    const back = DataFrame.fromJSON(JSON.parse(JSON.stringify(notLike)));
    await expectColumns(back, { s: ["no", "Special Requests"] });
    await expectColumns(df.filter(col("s").str.ilike("special%")), {
      s: ["special requests", "Special Requests", "specialrequests"],
    });
  });
});
