import { col, DataFrame } from "@deft/core";
import { Field, Int32, LargeUtf8, List, Utf8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

const strings = ["Hello", null, "", "  pad me \t", "ÉCOLE été", "a-b-c", "😀x😀"];

describe(".str over many batches with nulls and non-ASCII text", () => {
  const df = DataFrame.fromArrow(
    arrowBatches({ s: { type: new Utf8(), values: strings } }, [2, 5]),
  );

  it("length counts characters (code points), not bytes or UTF-16 units", async () => {
    const out = df.select(col("s").str.length());
    expect(typesOf(out)).toEqual({ s: "int32" });
    await expectColumns(out, { s: strings.map((s) => (s === null ? null : Array.from(s).length)) });
  });

  it("lower, upper, strip", async () => {
    await expectColumns(
      df.select(
        col("s").str.lower().alias("lo"),
        col("s").str.upper().alias("up"),
        col("s").str.strip().alias("st"),
      ),
      {
        lo: strings.map((s) => s?.toLowerCase() ?? null),
        up: strings.map((s) => s?.toUpperCase() ?? null),
        st: strings.map((s) => s?.trim() ?? null),
      },
    );
  });

  it("contains, startsWith, endsWith (byte matching; the empty pattern matches every string)", async () => {
    const out = df.select(
      col("s").str.contains("é").alias("c"),
      col("s").str.startsWith("a-").alias("sw"),
      col("s").str.endsWith("😀").alias("ew"),
      col("s").str.contains("").alias("empty"),
    );
    expect(typesOf(out)).toEqual({ c: "bool", sw: "bool", ew: "bool", empty: "bool" });
    await expectColumns(out, {
      c: strings.map((s) => (s === null ? null : s.includes("é"))),
      sw: strings.map((s) => (s === null ? null : s.startsWith("a-"))),
      ew: strings.map((s) => (s === null ? null : s.endsWith("😀"))),
      empty: strings.map((s) => (s === null ? null : true)),
    });
  });

  it("replace replaces every occurrence of a plain string; $ patterns stay literal", async () => {
    await expectColumns(df.select(col("s").str.replace("-", "$&+")), {
      s: strings.map((s) => s?.split("-").join("$&+") ?? null),
    });
  });

  it("slice by characters, negative start counts from the end", async () => {
    const sl = (s: string, start: number, len?: number) => {
      const c = Array.from(s);
      const from = start < 0 ? Math.max(0, c.length + start) : Math.min(start, c.length);
      return c.slice(from, len === undefined ? undefined : from + len).join("");
    };
    await expectColumns(
      df.select(
        col("s").str.slice(1, 2).alias("a"),
        col("s").str.slice(-2).alias("b"),
        col("s").str.slice(50).alias("c"),
      ),
      {
        a: strings.map((s) => (s === null ? null : sl(s, 1, 2))),
        b: strings.map((s) => (s === null ? null : sl(s, -2))),
        c: strings.map((s) => (s === null ? null : "")),
      },
    );
  });

  it("split gives list<utf8>; list.length/get/join read it back", async () => {
    const parts = df.select(col("s").str.split("-").alias("p"));
    expect(typesOf(parts)).toEqual({ p: "List<Utf8>" });
    await expectColumns(parts, { p: strings.map((s) => s?.split("-") ?? null) });
    await expectColumns(
      parts.select(
        col("p").list.length().alias("n"),
        col("p").list.get(0).alias("first"),
        col("p").list.get(-1).alias("last"),
        col("p").list.get(5).alias("none"),
        col("p").list.join("+").alias("j"),
      ),
      {
        n: strings.map((s) => s?.split("-").length ?? null),
        first: strings.map((s) => s?.split("-")[0] ?? null),
        last: strings.map((s) => s?.split("-").at(-1) ?? null),
        none: strings.map(() => null),
        j: strings.map((s) => s?.split("-").join("+") ?? null),
      },
    );
  });

  it(".str on a number names the column and type and says to cast", () => {
    const nums = DataFrame.fromColumns({ n: new Int32Array(1) });
    expect(() => nums.select(col("n").str.lower())).toThrow(
      /\.str\.lower\(\) needs a string, but col\(n\) is int32.*cast\("utf8"\)/,
    );
  });
});

describe(".list over list<int32> with null lists and null items", () => {
  const type = new List(new Field("item", new Int32(), true));
  const lists = [[1, 2, 3], null, [], [null, 5], [7]];
  const df = DataFrame.fromArrow(arrowBatches({ l: { type, values: lists } }, [1, 3]));

  it("length, get (negative, out of range, null item)", async () => {
    const out = df.select(
      col("l").list.length().alias("n"),
      col("l").list.get(-1).alias("last"),
      col("l").list.get(0).alias("first"),
    );
    expect(typesOf(out)).toEqual({ n: "int32", last: "int32", first: "int32" });
    await expectColumns(out, {
      n: [3, null, 0, 2, 1],
      last: [3, null, null, 5, 7],
      first: [1, null, null, null, 7],
    });
  });

  it("join needs a list of strings and says so", () => {
    expect(() => df.select(col("l").list.join(","))).toThrow(
      /list\.join\(\) needs a list of strings, but col\(l\) is list<int32>/,
    );
  });

  it(".list on a non-list names the column", () => {
    const s = DataFrame.fromRecords([{ s: "a" }]);
    expect(() => s.select(col("s").list.length())).toThrow(
      /\.list\.length\(\) needs a list, but col\(s\) is utf8/,
    );
  });

  it("list columns from fromRecords round-trip and work with list functions", async () => {
    const recs = DataFrame.fromRecords([{ xs: ["a", "b"] }, { xs: null }, { xs: [] }]);
    await expectColumns(recs.select(col("xs").list.join(", ")), { xs: ["a, b", null, ""] });
  });
});

describe("large_utf8 columns (64-bit offsets, as Polars-written files carry)", () => {
  const values = ["ab", null, "é-x", "zz"];
  const df = DataFrame.fromArrow(arrowBatches({ s: { type: new LargeUtf8(), values } }, [1, 3]));

  it("string functions and comparisons read them like utf8", async () => {
    await expectColumns(
      df.select(
        col("s").str.contains("x").alias("c"),
        col("s").str.endsWith("z").alias("e"),
        col("s").str.length().alias("n"),
        col("s").str.upper().alias("u"),
        col("s").eq("zz").alias("eq"),
        col("s").gt(col("s")).alias("gt"),
      ),
      {
        c: [false, null, true, false],
        e: [false, null, false, true],
        n: [2, null, 3, 2],
        u: ["AB", null, "É-X", "ZZ"],
        eq: [false, null, false, true],
        gt: [false, null, false, false],
      },
    );
  });
});
