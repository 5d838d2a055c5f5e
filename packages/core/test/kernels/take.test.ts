// take/concat on map columns (Parquet MAP reads as Arrow Map: a list of key/value structs).
import { col, DataFrame } from "@deft/core";
import { Field, Int32, Map_, Struct, Table, Utf8, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";

describe("map columns", () => {
  const type = new Map_(
    new Field(
      "entries",
      new Struct<{ key: Utf8; value: Int32 }>([
        new Field("key", new Utf8(), false),
        new Field("value", new Int32(), true),
      ]),
      false,
    ),
  );
  const m = vectorFromArray(
    [
      new Map([["a", 1]]),
      null,
      new Map([
        ["b", 2],
        ["c", null],
      ]),
      new Map(),
    ],
    type,
  );
  const df = DataFrame.fromArrow(new Table({ m, v: vectorFromArray([1, 2, 3, 4], new Int32()) }));

  it("filter, concat and sort carry map values and nulls", async () => {
    const kept = df.filter(col("v").neq(2));
    const out = await kept
      .concat(df.filter(col("v").eq(2)))
      .sort("v", { descending: true })
      .toColumns();
    expect(out.v).toEqual([4, 3, 2, 1]);
    expect(out.m).toEqual([{}, { b: 2, c: null }, null, { a: 1 }]);
  });
});
