// Padding, repeat, reverse, find, lstrip/rstrip, capitalize, toBytes and concatenation against
// plain JavaScript references on random text with nulls, empty strings and multi-byte text.
import { col, concatStr, DataFrame, type Expr, lit, PlanError } from "@deft/core";
import { buildUtf8, evaluate, makeBatch, valuesOf } from "@deft/core/internal";
import { Field, Schema, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const unit = fc.constantFrom("a", "B", "é", "😀", " ", "\t", "\n", "x", "ǅ", "İ");
const text = fc.string({ unit, maxLength: 10 });
const column = fc.array(fc.option(text, { freq: 4 }), { maxLength: 25 });

function run(cols: Record<string, (string | null)[]>, e: Expr): unknown[] {
  const names = Object.keys(cols);
  const schema = new Schema(names.map((n) => new Field(n, new Utf8(), true)));
  const n = Object.values(cols)[0]!.length;
  // Sliced, so offsets do not start at 0.
  const data = names.map((k) => buildUtf8(["pre", ...cols[k]!]));
  const batch = makeBatch(schema, data, n + 1).slice(1);
  return valuesOf(evaluate(e.node, batch));
}
const one = (values: (string | null)[], e: Expr) => run({ s: values }, e);
const map = <T>(values: (string | null)[], f: (s: string) => T) =>
  values.map((s) => (s === null ? null : f(s)));
const chars = (s: string) => Array.from(s);

describe("padStart / padEnd / repeat", () => {
  it("pad to a width in characters; longer values stay whole", () => {
    fc.assert(
      fc.property(
        column,
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(" ", "*", "ab", "😀é"),
        (values, w, fill) => {
          const pad = (s: string) => {
            const need = w - chars(s).length;
            return need > 0 ? chars(fill.repeat(need)).slice(0, need).join("") : "";
          };
          expect(one(values, col("s").str.padStart(w, fill))).toEqual(
            map(values, (s) => pad(s) + s),
          );
          expect(one(values, col("s").str.padEnd(w, fill))).toEqual(map(values, (s) => s + pad(s)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the default fill is a space", () => {
    expect(one(["ab", null, ""], col("s").str.padStart(3))).toEqual([" ab", null, "   "]);
    expect(one(["ab"], col("s").str.padEnd(3))).toEqual(["ab "]);
  });

  it("repeat", () => {
    fc.assert(
      fc.property(column, fc.integer({ min: 0, max: 4 }), (values, k) => {
        expect(one(values, col("s").str.repeat(k))).toEqual(map(values, (s) => s.repeat(k)));
      }),
    );
  });

  it("bad widths, counts and fills are PlanErrors at the call", () => {
    const df = DataFrame.fromRecords([{ s: "a" }]);
    expect(() => df.select(col("s").str.padStart(-1))).toThrow(PlanError);
    expect(() => df.select(col("s").str.padStart(2.5))).toThrow(/whole number >= 0, got 2.5/);
    expect(() => df.select(col("s").str.padEnd(3, ""))).toThrow(/fill as a non-empty string/);
    expect(() => df.select(col("s").str.repeat(-2))).toThrow(/repeat\(\) takes the count/);
  });
});

describe("reverse / find / lstrip / rstrip / capitalize / toBytes", () => {
  it("reverse keeps user-perceived characters whole", () => {
    expect(
      one(["abc", "e\u0301x", "a😀", "🇳🇴!", "a\r\nb", "", null], col("s").str.reverse()),
    ).toEqual(["cba", "xe\u0301", "😀a", "!🇳🇴", "b\r\na", "", null]);
  });

  it("reverse equals reversing the grapheme clusters", () => {
    const seg = new Intl.Segmenter("en", { granularity: "grapheme" });
    fc.assert(
      fc.property(column, (values) => {
        expect(one(values, col("s").str.reverse())).toEqual(
          map(values, (s) =>
            Array.from(seg.segment(s), (x) => x.segment)
              .reverse()
              .join(""),
          ),
        );
      }),
    );
  });

  it("find: a 0-based character index, null when absent", () => {
    fc.assert(
      fc.property(column, fc.constantFrom("a", "é", "😀", " a", "", "zz"), (values, sub) => {
        const ref = (s: string) => {
          const at = s.indexOf(sub);
          return at === -1 ? null : chars(s.slice(0, at)).length;
        };
        expect(one(values, col("s").str.find(sub))).toEqual(map(values, ref));
      }),
      { numRuns: 150 },
    );
  });

  it("find's index is what slice takes", async () => {
    const df = DataFrame.fromRecords([{ s: "😀é=value" }, { s: "no" }, { s: null }]);
    const out = df.select(col("s").str.find("=").alias("at"));
    expect(typesOf(out)).toEqual({ at: "int32" });
    await expectColumns(out, { at: [2, null, null] });
  });

  it("lstrip / rstrip / capitalize", () => {
    fc.assert(
      fc.property(column, (values) => {
        expect(one(values, col("s").str.lstrip())).toEqual(map(values, (s) => s.trimStart()));
        expect(one(values, col("s").str.rstrip())).toEqual(map(values, (s) => s.trimEnd()));
        const cap = (s: string) => {
          const [first = "", ...rest] = chars(s);
          return first.toUpperCase() + rest.join("").toLowerCase();
        };
        expect(one(values, col("s").str.capitalize())).toEqual(map(values, cap));
      }),
    );
  });

  it("toBytes: the UTF-8 bytes as binary", () => {
    fc.assert(
      fc.property(column, (values) => {
        expect(one(values, col("s").str.toBytes())).toEqual(
          map(values, (s) => new TextEncoder().encode(s)),
        );
      }),
    );
    const df = DataFrame.fromRecords([{ s: "é" }]);
    expect(typesOf(df.select(col("s").str.toBytes()))).toEqual({ s: "Binary" });
  });

  it("empty input", () => {
    for (const e of [
      col("s").str.padStart(3),
      col("s").str.repeat(2),
      col("s").str.reverse(),
      col("s").str.find("a"),
      col("s").str.lstrip(),
      col("s").str.capitalize(),
      col("s").str.toBytes(),
      col("s").str.concat(col("s")),
    ])
      expect(one([], e)).toEqual([]);
  });
});

describe("concat / concatStr", () => {
  const pair = fc
    .integer({ min: 0, max: 20 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.option(text, { freq: 3 }), { minLength: n, maxLength: n }),
        fc.array(fc.option(text, { freq: 3 }), { minLength: n, maxLength: n }),
      ),
    );

  it("str.concat: null when any piece is null", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const ref = a.map((x, i) => (x === null || b[i] === null ? null : `${x}-${b[i]}`));
        expect(run({ a, b }, col("a").str.concat("-", col("b")))).toEqual(ref);
      }),
    );
  });

  it("concatStr with a separator, nulls propagating or left out", () => {
    fc.assert(
      fc.property(pair, fc.constantFrom("", ", ", "é"), ([a, b], sep) => {
        const prop = a.map((x, i) => (x === null || b[i] === null ? null : `${x}${sep}${b[i]}`));
        expect(run({ a, b }, concatStr(col("a"), col("b"), { separator: sep }))).toEqual(prop);
        const skip = a.map((x, i) => [x, b[i]].filter((v) => v !== null).join(sep));
        expect(
          run({ a, b }, concatStr(col("a"), col("b"), { separator: sep, ignoreNulls: true })),
        ).toEqual(skip);
      }),
    );
  });

  it("numbers and untyped nulls; a string argument is a literal", async () => {
    const df = DataFrame.fromColumns({
      city: ["Oslo", null, "Lima"],
      temp: new Float64Array([4.5, 1, -2]),
    });
    await expectColumns(
      df.select(
        concatStr(col("city"), ": ", col("temp")).alias("a"),
        concatStr(col("city"), lit(null), col("temp"), { separator: "/", ignoreNulls: true }).alias(
          "b",
        ),
        col("city").str.concat(lit(null)).alias("c"),
      ),
      {
        a: ["Oslo: 4.5", null, "Lima: -2"],
        b: ["Oslo/4.5", "1", "Lima/-2"],
        c: [null, null, null],
      },
    );
  });

  it("round-trips through JSON; bad arguments are PlanErrors", async () => {
    const df = DataFrame.fromRecords([{ a: "x", b: "y", l: [1] }]);
    const out = df.select(concatStr(col("a"), col("b"), { separator: "+" }).alias("j"));
    await expectColumns(DataFrame.fromJSON(JSON.parse(JSON.stringify(out))), { j: ["x+y"] });
    expect(() => df.select(concatStr())).toThrow(/at least one expression/);
    expect(() => df.select(concatStr(col("a"), col("l")))).toThrow(
      /concatStr\(\) joins strings, but col\(l\) is list<float64>/,
    );
  });
});
