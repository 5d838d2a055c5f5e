// The typing rules as tables (expression or aggregation -> result type), the misplaced or
// mistyped calls that must fail at once with a PlanError, and a property test that the types
// the plan resolves are the types of the columns the kernels produce.
import { col, count, DataFrame, type Expr, lit, PlanError, udf, when } from "@deft/core";
import { typeName } from "@deft/core/internal";
import { Float16, Int32, Table, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const SCHEMA = {
  i8: "int8",
  i16: "int16",
  i32: "int32",
  i64: "int64",
  u8: "uint8",
  u32: "uint32",
  u64: "uint64",
  f32: "float32",
  f64: "float64",
  b: "bool",
  s: "utf8",
  d: "date32",
  ts: "timestamp[ms]",
  l: "list<int32>",
  st: "struct<x: int32, y: utf8>",
  k: "utf8",
} as const;

/** Four rows of every type (a null in each column), so every rule also runs on real data. */
function table(): DataFrame {
  const rows = [0, 1, 2, 3].map((i) => ({
    i8: i === 3 ? null : i - 1,
    i16: i === 2 ? null : 300 * i - 200,
    i32: i === 1 ? null : 70000 * i - 5,
    i64: i === 0 ? null : BigInt(i) * 10_000_000_000n,
    u8: i === 3 ? null : 250 - i,
    u32: i === 2 ? null : 4_000_000_000 - i,
    u64: i === 1 ? null : BigInt(i) * 6_000_000_000_000_000_000n,
    f32: i === 0 ? null : i * 1.5,
    f64: i === 3 ? null : i / 3,
    b: i === 1 ? null : i % 2 === 0,
    s: i === 2 ? null : `s${i}`,
    d: i === 0 ? null : new Date(Date.UTC(2024, 0, i + 1)),
    ts: i === 1 ? null : new Date(Date.UTC(2024, 5, 1, i)),
    l: i === 3 ? null : [i, i + 1],
    st: i === 2 ? null : { x: i, y: `y${i}` },
    k: i < 2 ? "a" : "b",
  }));
  return DataFrame.fromRecords(rows, { schema: SCHEMA });
}

const typeOf = (df: DataFrame, name: string): string =>
  typeName(df.schema.fields.find((f) => f.name === name)!.type);

/** The type of each output column, from the batches the kernels produced. */
async function producedTypes(df: DataFrame): Promise<Record<string, string[]>> {
  const out: Record<string, Set<string>> = {};
  for await (const batch of df.iterBatches()) {
    batch.schema.fields.forEach((f, i) => {
      (out[f.name] ??= new Set()).add(typeName(batch.data.children[i]!.type));
    });
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

describe("result types of expressions", () => {
  const cases: [string, Expr, string][] = [
    ["int8 + int16", col("i8").add(col("i16")), "int16"],
    ["int8 + uint8 (signed, twice as wide)", col("i8").add(col("u8")), "int16"],
    ["int32 + uint32", col("i32").add(col("u32")), "int64"],
    ["int64 + uint64", col("i64").add(col("u64")), "int64"],
    ["int16 * float32", col("i16").mul(col("f32")), "float32"],
    ["int32 * float32", col("i32").mul(col("f32")), "float64"],
    ["int8 + 1 (a number literal takes the column's type)", col("i8").add(1), "int8"],
    ["int32 + 1.5 (a fraction does not fit an int)", col("i32").add(1.5), "float64"],
    ["float32 - 2", col("f32").sub(2), "float32"],
    ["uint64 % 7n", col("u64").mod(7n), "uint64"],
    ["int32 / int32 (true division)", col("i32").div(col("i32")), "float64"],
    ["float32 / float32", col("f32").div(col("f32")), "float32"],
    ["-int16", col("i16").neg(), "int16"],
    ["int8 < float64", col("i8").lt(col("f64")), "bool"],
    ["utf8 == 'x'", col("s").eq("x"), "bool"],
    ["bool and bool", col("b").and(col("b")), "bool"],
    ["isNull of a struct", col("st").isNull(), "bool"],
    ["isIn", col("i32").isIn([1, 2]), "bool"],
    ["cast int32 -> utf8", col("i32").cast("utf8"), "utf8"],
    ["fillNull(int8, 0)", col("i8").fillNull(0), "int8"],
    ["fillNull(int8, int32)", col("i8").fillNull(col("i32")), "int32"],
    ["when int8 / otherwise int32", when(col("b")).then(col("i8")).otherwise(col("i32")), "int32"],
    ["when 1 / otherwise null", when(col("b")).then(lit(1)).otherwise(lit(null)), "float64"],
    ["str.length", col("s").str.length(), "int32"],
    ["str.upper", col("s").str.upper(), "utf8"],
    ["str.split", col("s").str.split(","), "list<utf8>"],
    ["list.get", col("l").list.get(0), "int32"],
    ["list.length", col("l").list.length(), "int32"],
  ];
  it.each(cases)("%s", async (_label, expr, expected) => {
    const df = table().withColumn("r", expr);
    expect(typeOf(df, "r")).toBe(expected);
    expect((await producedTypes(df)).r).toEqual([expected]);
  });
});

describe("result types of aggregations", () => {
  const cases: [string, Expr, string][] = [
    ["sum(int8)", col("i8").sum(), "int64"],
    ["sum(int32)", col("i32").sum(), "int64"],
    ["sum(int64)", col("i64").sum(), "int64"],
    ["sum(uint8)", col("u8").sum(), "uint64"],
    ["sum(uint64)", col("u64").sum(), "uint64"],
    ["sum(float32)", col("f32").sum(), "float64"],
    ["sum(float64)", col("f64").sum(), "float64"],
    ["sum(bool) (the number of trues)", col("b").sum(), "int64"],
    ["mean(int8)", col("i8").mean(), "float64"],
    ["mean(uint64)", col("u64").mean(), "float64"],
    ["mean(float32)", col("f32").mean(), "float64"],
    ["mean(bool)", col("b").mean(), "float64"],
    ["min(int8)", col("i8").min(), "int8"],
    ["max(uint32)", col("u32").max(), "uint32"],
    ["max(utf8)", col("s").max(), "utf8"],
    ["min(date)", col("d").min(), "date"],
    ["max(timestamp)", col("ts").max(), "timestamp[ms]"],
    ["min(bool)", col("b").min(), "bool"],
    ["count(struct)", col("st").count(), "int64"],
    ["countDistinct(utf8)", col("s").countDistinct(), "int64"],
    ["count()", count(), "int64"],
    ["first(list)", col("l").first(), "list<int32>"],
    ["last(struct)", col("st").last(), "struct<x: int32, y: utf8>"],
    ["list(int16)", col("i16").list(), "list<int16>"],
  ];
  it.each(cases)("%s, grouped and global", async (_label, agg, expected) => {
    const grouped = table().groupBy("k").agg(agg.alias("r"));
    const global = table().select(agg.alias("r"));
    for (const df of [grouped, global]) {
      expect(typeOf(df, "r")).toBe(expected);
      expect((await producedTypes(df)).r).toEqual([expected]);
    }
  });

  it("sum(uint64) wraps at 64 bits like the int64 sum, read unsigned", async () => {
    const out = await table().select(col("u64").sum()).toColumns();
    expect(out.u64).toEqual([
      (18_000_000_000_000_000_000n + 12_000_000_000_000_000_000n) % 2n ** 64n,
    ]);
  });
});

describe("float16", () => {
  const halves = () =>
    DataFrame.fromArrow(
      new Table({
        h: vectorFromArray([1.5, -2.25, null, 65504], new Float16()),
        k: vectorFromArray([1, 1, 2, 2], new Int32()),
      }),
    );

  it("reads as float32 (the half floats decoded), so it computes and aggregates as float32", async () => {
    const df = halves();
    expect(typeOf(df, "h")).toBe("float32");
    const out = df
      .withColumn("x", col("h").add(1))
      .groupBy("k")
      .agg(col("h").mean(), col("x").max());
    expect(typeOf(out, "h")).toBe("float64");
    expect(await out.toColumns()).toEqual({ k: [1, 2], h: [-0.375, 65504], x: [2.5, 65505] });
  });

  it("cannot be cast to (no kernel computes half floats)", () => {
    expect(() => halves().withColumn("y", col("h").cast(new Float16()))).toThrow(PlanError);
    expect(() => halves().withColumn("y", col("h").cast(new Float16()))).toThrow(
      /cast\(\) to float16 is not supported; cast to "float32" instead/,
    );
  });
});

describe("PlanError at the call", () => {
  const df = table();
  const cases: [string, () => unknown, RegExp][] = [
    [
      "an aggregation in withColumn",
      () => df.withColumn("s", col("i32").sum()),
      /^withColumn\("s"\): col\(i32\)\.sum\(\) is an aggregation \(one value per group\), but withColumn\("s"\) computes one value per row\. Aggregate with df\.groupBy\(\.\.\.\)\.agg\(col\(i32\)\.sum\(\)\), or over the whole table with df\.select\(col\(i32\)\.sum\(\)\); per row over a window it is col\(i32\)\.sum\(\)\.over\(\{ partitionBy: \.\.\. \}\)\.$/,
    ],
    [
      "an aggregation inside an expression of withColumns",
      () => df.withColumns({ a: col("i8"), z: col("f64").sub(col("f64").mean()) }),
      /^withColumn\("z"\): col\(f64\)\.mean\(\) is an aggregation/,
    ],
    [
      "a filter on an aggregate",
      () => df.filter(col("i32").sum().gt(0)),
      /^filter\(\): col\(i32\)\.sum\(\) is an aggregation .*df\.groupBy/,
    ],
    [
      "a sort key that aggregates",
      () => df.sort(col("i32").max()),
      /^sort: col\(i32\)\.max\(\) is an aggregation/,
    ],
    [
      "a group key that aggregates",
      () => df.groupBy(col("i32").max()).agg(count()),
      /^groupBy: col\(i32\)\.max\(\) is an aggregation/,
    ],
    [
      "an aggregation as a UDF argument",
      () =>
        df.withColumn(
          "y",
          udf((x: number) => x, { returns: "float64", name: "id" })(col("f64").sum()),
        ),
      /^withColumn\("y"\): col\(f64\)\.sum\(\) is an aggregation/,
    ],
    [
      "min of a struct",
      () => df.groupBy("k").agg(col("st").min()),
      /^agg: min\(\) of col\(st\): type struct<x: int32, y: utf8> has no order; use it on numbers, bools, strings, binary, dates or timestamps\.$/,
    ],
    [
      "max of a list, globally",
      () => df.select(col("l").max()),
      /^select\(\): max\(\) of col\(l\): type list<int32> has no order/,
    ],
    [
      "sum of strings",
      () => df.groupBy("k").agg(col("s").sum()),
      /^agg: sum\(\) of col\(s\): type utf8 is not numeric; cast it first/,
    ],
    [
      "mean of a date",
      () => df.select(col("d").mean()),
      /^select\(\): mean\(\) of col\(d\): type date is not numeric/,
    ],
    [
      "countDistinct of a list",
      () => df.groupBy("k").agg(col("l").countDistinct()),
      /^agg: countDistinct\(\) of col\(l\): type list<int32> cannot be compared for equality/,
    ],
    [
      "an aggregation nested in another",
      () => df.groupBy("k").agg(col("i32").sum().max()),
      /^agg: col\(i32\)\.sum\(\)\.max\(\) nests an aggregation inside another/,
    ],
    [
      "a row value in agg() that is not a key",
      () => df.groupBy("k").agg(col("i32")),
      /^agg: col\(i32\) is neither a group key nor inside an aggregation.*col\("i32"\)\.first\(\)/,
    ],
    [
      "a struct group key",
      () => df.groupBy("st").agg(count()),
      /^groupBy: col\(st\) has type struct<x: int32, y: utf8>, which cannot be used as a key\. Keys may be integers, floats, decimals, bools, utf8, binary, dates or timestamps/,
    ],
    [
      "a list sort key",
      () => df.sort("l"),
      /^sort: col\(l\) has type list<int32>, which cannot be used as a key/,
    ],
    [
      "a list join key",
      () => df.join(df, { on: "l" }),
      /^join: col\(l\) has type list<int32>, which cannot be used as a key/,
    ],
    [
      "distinct over a struct",
      () => df.distinct("st"),
      /^distinct: col\(st\) has type struct<x: int32, y: utf8>, which cannot be used as a key/,
    ],
  ];
  it.each(cases)("%s", (_label, call, message) => {
    expect(call).toThrow(PlanError);
    expect(call).toThrow(message);
  });
});

// ── property: the plan's types are the kernels' types ─────────────────────────────────────

const NUMERIC = ["i8", "i16", "i32", "i64", "u8", "u32", "u64", "f32", "f64"] as const;

/** Random expressions over the table's columns; many mistype, and those must throw PlanError. */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...NUMERIC, "b", "s", "d", "ts").map((c) => col(c)),
    fc.constantFrom(lit(1), lit(2.5), lit(-3n), lit(true), lit("x"), lit(null)),
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("add", "sub", "mul", "div", "mod", "eq", "lt", "gte", "and", "or"),
        tie("e"),
      )
      .map(([l, op, r]) => (l as Expr)[op](r as Expr)),
    tie("e").map((e) => (e as Expr).neg()),
    tie("e").map((e) => (e as Expr).not()),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => (a as Expr).fillNull(b as Expr)),
    fc
      .tuple(tie("e"), fc.constantFrom("int8", "int32", "int64", "uint16", "float32", "float64"))
      .map(([e, t]) => (e as Expr).cast(t)),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, a, b]) =>
      when(c as Expr)
        .then(a as Expr)
        .otherwise(b as Expr),
    ),
    tie("e").map((e) => (e as Expr).str.length()),
  ),
})).e;

describe("property: the type the plan resolves is the type the kernels produce", () => {
  it("for random expressions in withColumn", async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(exprArb, async (expr) => {
        let df: DataFrame;
        try {
          df = table().withColumn("r", expr);
        } catch (err) {
          expect(err).toBeInstanceOf(PlanError);
          return;
        }
        let produced: Record<string, string[]>;
        try {
          produced = await producedTypes(df.select("r"));
        } catch (err) {
          // A cast of a value that does not parse fails on that row: a data error, not a type.
          if (
            /^Column .* row \d+: (cast to .* failed|.* is out of range)/.test(
              (err as Error).message,
            )
          )
            return;
          throw err;
        }
        built++;
        expect(produced.r, expr.toString()).toEqual([typeOf(df, "r")]);
      }),
      { numRuns: 300 },
    );
    // The generator must build plenty of valid plans for the property to say anything.
    expect(built).toBeGreaterThan(60);
  });

  it("for every aggregation of every column, grouped by a random key", async () => {
    const fns = ["sum", "mean", "min", "max", "count", "countDistinct", "first", "last", "list"];
    const columns = Object.keys(SCHEMA).filter((c) => c !== "k");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fns),
        fc.constantFrom(...columns),
        fc.constantFrom("k", "i8", "b", "s", "d", "u64", null),
        async (fn, column, key) => {
          const agg = (col(column) as unknown as Record<string, () => Expr>)[fn]!().alias("r");
          let df: DataFrame;
          try {
            df = key ? table().groupBy(key).agg(agg) : table().select(agg);
          } catch (err) {
            expect(err).toBeInstanceOf(PlanError);
            return;
          }
          const produced = await producedTypes(df);
          expect(produced.r, `${fn}(${column}) by ${key}`).toEqual([typeOf(df, "r")]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
