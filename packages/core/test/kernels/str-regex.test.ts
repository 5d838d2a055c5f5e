// Regular-expression .str kernels against JavaScript's own String/RegExp methods on random
// text (multi-byte characters, emoji), with patterns that match empty strings too.
import { col, DataFrame, type Expr, PlanError } from "@deft/core";
import { buildUtf8, evaluate, makeBatch, valuesOf } from "@deft/core/internal";
import { Field, Schema, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns, typesOf } from "../helpers.js";

const unit = fc.constantFrom("a", "b", "1", "22", " ", "é", "😀", "-", ".", "A");
const text = fc.string({ unit, maxLength: 12 });
const column = fc.array(fc.option(text, { freq: 4 }), { maxLength: 25 });
// No capture groups (so String.split is a reference for split too); some match "".
const regexes = fc.constantFrom(
  "a",
  "a+",
  "[0-9]+",
  "\\d*",
  "b|é",
  ".",
  "😀",
  "\\s",
  "x*",
  "^a",
  "a$",
  "(?:ab)+",
  "[^a]",
  "\\.",
);

function run(values: (string | null)[], e: Expr): unknown[] {
  const schema = new Schema([new Field("s", new Utf8(), true)]);
  const padded = ["pre", ...values];
  const batch = makeBatch(schema, [buildUtf8(padded)], padded.length).slice(1);
  return valuesOf(evaluate(e.node, batch));
}

const map = <T>(values: (string | null)[], f: (s: string) => T) =>
  values.map((s) => (s === null ? null : f(s)));

describe("regex kernels vs JavaScript", () => {
  it("matches, extractAll, countMatches", () => {
    fc.assert(
      fc.property(column, regexes, (values, src) => {
        const re = new RegExp(src, "u");
        const all = new RegExp(src, "gu");
        expect(run(values, col("s").str.matches(src))).toEqual(map(values, (s) => re.test(s)));
        const matches = (s: string) => [...s.matchAll(all)].map((m) => m[0]);
        expect(run(values, col("s").str.extractAll(src))).toEqual(map(values, matches));
        expect(run(values, col("s").str.countMatches(src))).toEqual(
          map(values, (s) => matches(s).length),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("extract: a group of the first match, null when nothing matches", () => {
    fc.assert(
      fc.property(
        column,
        fc.constantFrom("(a+)(b)?", "(\\d)(\\d)?", "(é|😀)(.)?"),
        fc.integer({ min: 0, max: 2 }),
        (values, src, g) => {
          const re = new RegExp(src, "u");
          expect(run(values, col("s").str.extract(src, g))).toEqual(
            map(values, (s) => s.match(re)?.[g] ?? null),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("replace with a regex: every match or the first; $ references as in JavaScript", () => {
    fc.assert(
      fc.property(
        column,
        regexes,
        fc.constantFrom("", "-", "<$&>", "$$", "é😀"),
        (values, src, rep) => {
          const all = new RegExp(src, "gu");
          const once = new RegExp(src, "u");
          expect(run(values, col("s").str.replace(src, rep, { regex: true }))).toEqual(
            map(values, (s) => s.replace(all, rep)),
          );
          expect(run(values, col("s").str.replace(new RegExp(src), rep, { all: false }))).toEqual(
            map(values, (s) => s.replace(once, rep)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("replace with plain text keeps $ literal; { all: false } replaces the first only", () => {
    fc.assert(
      fc.property(
        column,
        fc.constantFrom("a", "é", ".", "22"),
        fc.constantFrom("$&", "x", ""),
        (values, pat, rep) => {
          expect(run(values, col("s").str.replace(pat, rep))).toEqual(
            map(values, (s) => s.split(pat).join(rep)),
          );
          expect(run(values, col("s").str.replace(pat, rep, { all: false }))).toEqual(
            map(values, (s) => s.replace(pat, () => rep)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("split on a regex equals String.split (an empty value gives one empty part)", () => {
    fc.assert(
      fc.property(column, regexes, (values, src) => {
        const re = new RegExp(src, "u");
        expect(run(values, col("s").str.split(src, { regex: true }))).toEqual(
          map(values, (s) => (s === "" ? [""] : s.split(re))),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("split does not splice capture groups into the parts", () => {
    expect(run(["a1b22c", "", null, "x"], col("s").str.split(/(\d)+/))).toEqual([
      ["a", "b", "c"],
      [""],
      null,
      ["x"],
    ]);
  });

  it("an empty plain separator splits into characters, emoji whole", () => {
    expect(run(["a😀é", ""], col("s").str.split(""))).toEqual([["a", "😀", "é"], []]);
  });

  it("patterns count code points: . matches a whole emoji", () => {
    expect(run(["😀x", null, ""], col("s").str.extractAll("."))).toEqual([["😀", "x"], null, []]);
    expect(run(["😀x"], col("s").str.countMatches(""))).toEqual([3]);
  });

  it("RegExp flags are kept (i, s, m); g and y are ignored", () => {
    expect(run(["ABC", "a\nb"], col("s").str.matches(/abc/i))).toEqual([true, false]);
    expect(run(["ABC", "a\nb"], col("s").str.matches(/a.b/s))).toEqual([false, true]);
    expect(run(["ABC", "a\nb"], col("s").str.matches(/^b/m))).toEqual([false, true]);
    expect(run(["aa"], col("s").str.replace(/a/gy, "b", { all: false }))).toEqual(["ba"]);
  });

  it("empty input", () => {
    for (const e of [
      col("s").str.matches("a"),
      col("s").str.extract("(a)"),
      col("s").str.extractAll("a"),
      col("s").str.countMatches("a"),
      col("s").str.split("a", { regex: true }),
    ])
      expect(run([], e)).toEqual([]);
  });
});

describe("regex functions in a plan", () => {
  const df = DataFrame.fromRecords([
    { s: "order 12 of 345" },
    { s: null },
    { s: "" },
    { s: "no digits" },
  ]).intoBatches(2);

  it("types: bool, utf8, list<utf8>, int32", () => {
    const out = df.select(
      col("s").str.matches("\\d").alias("m"),
      col("s").str.extract("(\\d+)").alias("x"),
      col("s").str.extractAll("\\d+").alias("xs"),
      col("s").str.countMatches("\\d+").alias("n"),
    );
    expect(typesOf(out)).toEqual({ m: "bool", x: "utf8", xs: "List<Utf8>", n: "int32" });
  });

  it("answers over many batches and after a JSON round trip", async () => {
    const out = df.select(
      col("s").str.extract("(\\d+)\\D+(\\d+)", 2).alias("second"),
      col("s").str.replace(/(\d+)/, "#$1").alias("tagged"),
    );
    const expected = {
      second: ["345", null, null, null],
      tagged: ["order #12 of #345", null, "", "no digits"],
    };
    await expectColumns(out, expected);
    await expectColumns(DataFrame.fromJSON(JSON.parse(JSON.stringify(out))), expected);
  });

  it("an invalid pattern or group is a PlanError at the call, naming the pattern", () => {
    expect(() => col("s").str.matches("a(")).toThrow(PlanError);
    expect(() => col("s").str.matches("a(")).toThrow(
      /\.str\.matches\("a\("\): not a valid regular expression/,
    );
    expect(() => col("s").str.extract("(a)", 2)).toThrow(/group must be an integer from 0 .* to 1/);
    expect(() => col("s").str.split("[", { regex: true })).toThrow(/\.str\.split\("\["\)/);
    expect(() => col("s").str.replace("*", "x", { regex: true })).toThrow(PlanError);
  });

  it("a plan read from JSON with a bad pattern fails when it is built", () => {
    const json = JSON.parse(JSON.stringify(df.select(col("s").str.matches("ok"))));
    const text = JSON.stringify(json).replace('"ok"', '"o("');
    expect(() => DataFrame.fromJSON(JSON.parse(text))).toThrow(/not a valid regular expression/);
  });
});
