// Multi-output UDFs: returns as an object of field types gives a struct column, on the main
// thread and on worker threads; a value that does not fit (a wrong field type, an undeclared
// key) is a row failure that obeys onError; the fields read back with .struct.field / unnest.
import { col, DataFrame, fromModule, udf } from "@deft/core";
import { typeName } from "@deft/core/internal";
import type { Vector } from "apache-arrow";
import { describe, expect, it } from "vitest";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);
const texts = DataFrame.fromRecords([{ s: "hello world" }, { s: null }, { s: "a b c" }]);

describe("multi-output UDFs", () => {
  it("returns { a, b } gives a struct column of those fields, in order", async () => {
    const stats = udf(
      (s: string | null) => (s === null ? null : { word: s.split(" ")[0], chars: s.length }),
      { returns: { word: "utf8", chars: "int32" } },
    );
    const out = texts.withColumn("r", stats(col("s")));
    expect(out.schema.fields.map((f) => typeName(f.type))).toEqual([
      "utf8",
      "struct<word: utf8, chars: int32>",
    ]);
    expect(await out.toRecords()).toEqual([
      { s: "hello world", r: { word: "hello", chars: 11 } },
      { s: null, r: null },
      { s: "a b c", r: { word: "a", chars: 5 } },
    ]);
    expect(await out.unnest("r").toRecords()).toEqual([
      { s: "hello world", word: "hello", chars: 11 },
      { s: null, word: null, chars: null },
      { s: "a b c", word: "a", chars: 5 },
    ]);
  });

  it("a missing key is a null field", async () => {
    const partial = udf(
      (s: string | null) => (s === "a b c" ? { word: "a" } : { word: "w", chars: 1 }),
      {
        returns: { word: "utf8", chars: "int32" },
      },
    );
    const got = await texts.select(partial(col("s")).struct.field("chars")).toRecords();
    expect(got).toEqual([{ chars: 1 }, { chars: 1 }, { chars: null }]);
  });

  it("a wrong field type or an undeclared key fails the row, naming the value; onError null records it", async () => {
    const wrong = udf((s: string | null) => (s === null ? null : { word: 3 }), {
      returns: { word: "utf8" },
      name: "wrongField",
    });
    await expect(texts.withColumn("r", wrong(col("s"))).toRecords()).rejects.toThrow(
      /UDF "wrongField" returned \{"word":3\}.*struct<word: utf8>/,
    );
    const extra = udf((s: string | null) => ({ word: String(s), wrod: 1 }), {
      returns: { word: "utf8" },
      name: "typo",
      onError: "null",
    });
    const run = await texts.withColumn("r", extra(col("s"))).collect();
    expect(await run.toRecords()).toEqual([
      { s: "hello world", r: null },
      { s: null, r: null },
      { s: "a b c", r: null },
    ]);
  });

  it("batch and class UDFs return structs the same way", async () => {
    const nums = DataFrame.fromColumns({ x: [1, 2, 3] });
    const batch = udf.batch(
      (xs: Vector) => Array.from(xs.toArray() as Float64Array, (x) => ({ d: x * 2, s: String(x) })),
      { returns: { d: "float64", s: "utf8" } },
    );
    class Shift {
      call(x: number) {
        return { d: x + 1, s: "k" };
      }
    }
    const cls = udf.cls(Shift, { returns: { d: "float64", s: "utf8" } });
    expect(
      await nums
        .withColumn("r", batch(col("x")))
        .unnest("r")
        .toRecords(),
    ).toEqual([
      { x: 1, d: 2, s: "1" },
      { x: 2, d: 4, s: "2" },
      { x: 3, d: 6, s: "3" },
    ]);
    expect(await nums.select(cls(col("x")).struct.field("d")).toColumns()).toEqual({
      d: [2, 3, 4],
    });
  });

  it("runs on worker threads, the struct type travelling with the UDF", async () => {
    const stats = udf(fromModule(fixtures, "wordStats"), {
      returns: { word: "utf8", chars: "int32", thread: "int32" },
      workers: 2,
    });
    const rows = await texts
      .withColumn("r", stats(col("s")))
      .unnest("r")
      .toRecords();
    expect(rows.map(({ thread: _, ...r }) => r)).toEqual([
      { s: "hello world", word: "hello", chars: 11 },
      { s: null, word: null, chars: null },
      { s: "a b c", word: "a", chars: 5 },
    ]);
    expect(rows.filter((r) => r.thread !== null).every((r) => (r.thread as number) > 0)).toBe(true);
  });

  it("refuses returns: {} and names a bad field type", () => {
    expect(() => udf((x: number) => x, { returns: {} })).toThrow(/names no output/);
    expect(() => udf((x: number) => x, { returns: { a: "nope" } })).toThrow(
      /field "a": Unknown type "nope"/,
    );
  });
});

describe("unnest", () => {
  const df = DataFrame.fromRecords([{ id: 1, p: { x: 1.5, y: 2 }, q: { z: "a" } }], {
    schema: { id: "int32", p: "struct<x: float64, y: int32>", q: "struct<z: utf8>" },
  });
  it("spreads struct columns where they stand", async () => {
    const out = df.unnest("p", "q");
    expect(out.columns).toEqual(["id", "x", "y", "z"]);
    expect(await out.toRecords()).toEqual([{ id: 1, x: 1.5, y: 2, z: "a" }]);
    expect(df.unnest("q").columns).toEqual(["id", "p", "z"]);
  });
  it("refuses a non-struct column, a missing one, and a field that clashes with a column", () => {
    expect(() => df.unnest("id")).toThrow(/column "id" is int32, not a struct/);
    expect(() => df.unnest("nope")).toThrow(/nope/);
    const clash = df.withColumn("x", col("id"));
    expect(() => clash.unnest("p")).toThrow(
      /column "x" and field "x" of "p" would both be a column "x"/,
    );
  });
});
