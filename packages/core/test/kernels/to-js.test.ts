import { valuesOf } from "@deft/core/internal";
import {
  Bool,
  DateDay,
  DateMillisecond,
  Field,
  Float64,
  Int64,
  List,
  Struct,
  TimestampMicrosecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint64,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";

const dataOf = (values: unknown[], type: ConstructorParameters<typeof Object>[0]) =>
  vectorFromArray(values as never[], type as never).data[0]!;

describe("valuesOf", () => {
  it("temporal columns of every unit come back as Dates", () => {
    const t = new Date("2021-06-01T10:20:30.000Z");
    const day = new Date("2021-06-01T00:00:00.000Z");
    expect(valuesOf(dataOf([t, null], new TimestampSecond()))).toEqual([t, null]);
    expect(valuesOf(dataOf([t], new TimestampMicrosecond()))).toEqual([t]);
    expect(valuesOf(dataOf([t], new TimestampNanosecond()))).toEqual([t]);
    expect(valuesOf(dataOf([day, null], new DateDay()))).toEqual([day, null]);
    expect(valuesOf(dataOf([t], new DateMillisecond()))).toEqual([t]);
  });

  it("int64 and uint64 as bigint by default, as numbers on request, throwing when unsafe", () => {
    const d = dataOf([1n, null, -(2n ** 53n) + 1n], new Int64());
    expect(valuesOf(d)).toEqual([1n, null, -(2n ** 53n) + 1n]);
    expect(valuesOf(d, { int64: "number" })).toEqual([1, null, -(2 ** 53) + 1]);
    const u = dataOf([2n ** 63n], new Uint64());
    expect(() => valuesOf(u, { int64: "number", column: "big" })).toThrow(
      /Column "big" row 0: 9223372036854775808 does not fit a JS number exactly\. Keep int64 as bigint/,
    );
  });

  it("slices: bool bits and validity at a bit offset", () => {
    const values = [true, null, false, true, true, null, false, false, true, null, true];
    const d = dataOf(values, new Bool()).slice(3, 6);
    expect(valuesOf(d)).toEqual(values.slice(3, 9));
    const f = dataOf([1, null, 3, 4, null, 6, 7, 8, 9, null], new Float64()).slice(1, 9);
    expect(valuesOf(f)).toEqual([null, 3, 4, null, 6, 7, 8, 9, null]);
  });

  it("lists and structs become arrays and plain objects (nested too)", () => {
    const l = vectorFromArray([[1, 2], null, []], new List(new Field("item", new Float64(), true)))
      .data[0]!;
    expect(valuesOf(l)).toEqual([[1, 2], null, []]);
    const inner = new Struct([new Field("c", new Utf8(), true)]);
    const type = new Struct([new Field("a", new Float64(), true), new Field("b", inner, true)]);
    const s = vectorFromArray([{ a: 1, b: { c: "x" } }], type).data[0]!;
    expect(valuesOf(s)).toEqual([{ a: 1, b: { c: "x" } }]);
  });
});
