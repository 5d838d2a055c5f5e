// Sources narrow large_utf8/large_binary (64-bit offsets) to utf8/binary, so sort, group-by,
// joins, take and the string kernels all see one layout.
import { fileURLToPath } from "node:url";
import { col, count, DataFrame, readParquet } from "@deft/core";
import {
  Field,
  Int32,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";

const flights = fileURLToPath(
  new URL("../../../../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);

/** One large_utf8 column `s` plus an int32 `v`, cut into slices of a single Arrow batch. */
function slicedLarge(values: (string | null)[], cuts: number[]): RecordBatch[] {
  const s = vectorFromArray(values, new LargeUtf8());
  const v = vectorFromArray(
    values.map((_, i) => i),
    new Int32(),
  );
  const whole = new Table({ s, v }).batches[0]!;
  const points = [0, ...cuts, values.length];
  return points.slice(1).map((end, i) => whole.slice(points[i]!, end));
}

describe("large string and binary columns", () => {
  const values = ["b", null, "é", "a", "b", "", null, "c"];

  it("read as utf8, nulls and slices kept, through every operator", async () => {
    const df = DataFrame.fromArrow(slicedLarge(values, [1, 3, 6]));
    expect(df.schema.fields.map((f) => String(f.type))).toEqual(["Utf8", "Int32"]);
    expect((await df.toColumns()).s).toEqual(values);
    const sorted = await df.sort("s").toColumns();
    expect(sorted.s).toEqual(["", "a", "b", "b", "c", "é", null, null]);
    const groups = await df.groupBy("s").agg(count()).sort("s").toRecords({ int64: "number" });
    expect(groups).toEqual([
      { s: "", count: 1 },
      { s: "a", count: 1 },
      { s: "b", count: 2 },
      { s: "c", count: 1 },
      { s: "é", count: 1 },
      { s: null, count: 2 },
    ]);
    const joined = await df.join(df.select("s").distinct(), { on: "s", how: "semi" }).count();
    expect(joined).toBe(6);
    expect((await df.filter(col("s").eq("b")).toColumns()).v).toEqual([0, 4]);
  });

  it("narrows large_binary and large_utf8 inside lists", async () => {
    const bin = vectorFromArray(
      [new Uint8Array([1, 2]), null, new Uint8Array([])],
      new LargeBinary(),
    );
    const inner = vectorFromArray(["x", "yy", null, "z"], new LargeUtf8());
    const listType = new List(new Field("item", new LargeUtf8(), true));
    const lists = makeData({
      type: listType,
      length: 3,
      nullCount: 0,
      valueOffsets: new Int32Array([0, 2, 2, 4]),
      child: inner.data[0]!,
    });
    const schema = new Schema([
      new Field("b", new LargeBinary(), true),
      new Field("l", listType, false),
    ]);
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 3, children: [bin.data[0]!, lists] }),
    );
    const df = DataFrame.fromArrow(batch);
    expect(df.schema.fields.map((f) => String(f.type))).toEqual(["Binary", "List<Utf8>"]);
    const out = await df.explode("l").toColumns();
    expect(out.l).toEqual(["x", "yy", null, null, "z"]);
    expect(out.b.map((x) => (x === null ? null : Array.from(x as Uint8Array)))).toEqual([
      [1, 2],
      [1, 2],
      null,
      [],
      [],
    ]);
  });

  it("narrows large_list (sliced, with nulls) to list, children included", async () => {
    const inner = vectorFromArray(["a", "b", "c", null, "d", "e"], new LargeUtf8());
    const type = new LargeList(new Field("item", new LargeUtf8(), true));
    const lists = makeData({
      type,
      length: 4,
      nullCount: 1,
      nullBitmap: new Uint8Array([0b1011]),
      valueOffsets: new BigInt64Array([0n, 2n, 3n, 3n, 6n]),
      child: inner.data[0]!,
    });
    const schema = new Schema([new Field("l", type, true)]);
    const whole = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 4, children: [lists] }),
    );
    const df = DataFrame.fromArrow([whole.slice(0, 1), whole.slice(1, 4)]);
    expect(df.schema.fields.map((f) => String(f.type))).toEqual(["List<Utf8>"]);
    expect((await df.toColumns()).l).toEqual([["a", "b"], ["c"], null, [null, "d", "e"]]);
    expect((await df.explode("l").toColumns()).l).toEqual(["a", "b", "c", null, null, "d", "e"]);
  });

  it("reads a Parquet file whose strings are large_utf8 (flights-3m) as utf8", async () => {
    const df = readParquet(flights, { columns: ["origin", "delay", "date"] });
    expect(String(df.schema.fields[0]!.type)).toBe("Utf8");
    // Plain columns beside it pass through untouched.
    expect(await df.select(col("delay").sum()).toRecords({ int64: "number" })).toEqual([
      { delay: 20_003_603 },
    ]);
    const top = await df
      .groupBy("origin")
      .agg(count())
      .sort("count", { descending: true })
      .limit(1)
      .toRecords({ int64: "number" });
    // ORD has 166,341 flights in the file (checked against DuckDB in the io tests).
    expect(top).toEqual([{ origin: "ORD", count: 166_341 }]);
  });
});
