import { columnFromJs, inferType, toDataType, typeName, valuesOf } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("inferType", () => {
  const cases: [string, unknown[], string][] = [
    ["numbers", [1, 2.5, null], "float64"],
    ["bigints", [1n, null], "int64"],
    ["strings", ["a", null], "utf8"],
    ["booleans", [true, false], "bool"],
    ["Dates", [new Date(0)], "timestamp[ms]"],
    ["bytes", [new Uint8Array([1])], "binary"],
    ["only nulls", [null, undefined], "null"],
    ["arrays", [[1, 2], null, []], "list<float64>"],
    ["nested arrays", [[["a"]], [[], null]], "list<list<utf8>>"],
    ["objects (keys unioned)", [{ a: 1 }, { b: "x" }, null], "struct<a: float64, b: utf8>"],
    ["objects holding arrays", [{ xs: [1n] }], "struct<xs: list<int64>>"],
  ];
  it.each(cases)("%s", (_label, values, type) => {
    expect(typeName(inferType(values, "c"))).toBe(type);
  });

  it("a mixed column names the column and both rows; nested mixes name the path", () => {
    expect(() => inferType([1, 2n], "n")).toThrow(
      /Column "n" mixes types: row 0 is number but row 1 is bigint/,
    );
    expect(() => inferType([new Date(0), "2024"], "d")).toThrow(
      /row 0 is Date but row 1 is string/,
    );
    expect(() => inferType([{ a: 1 }, { a: "x" }], "o")).toThrow(/Column "o\.a" mixes types/);
    expect(() => inferType([[1], ["x"]], "l")).toThrow(/Column "l\[\]" mixes types/);
    expect(() => inferType([[1], null, "x"], "m")).toThrow(
      /Column "m" mixes types: row 0 is array but row 2 is string/,
    );
    expect(() => inferType([{ a: 1 }, [1]], "s")).toThrow(
      /Column "s" mixes types: row 0 is object but row 1 is array/,
    );
  });

  it("a function or symbol cannot be stored and the error lists what can", () => {
    expect(() => inferType([() => 1], "f")).toThrow(
      /Column "f" holds a function, which deft cannot store\. Use numbers/,
    );
  });
});

describe("columnFromJs", () => {
  it("round-trips random nullable values for every simple type", () => {
    const cases: [string, fc.Arbitrary<unknown>][] = [
      ["float64", fc.double()],
      ["float32", fc.float({ noNaN: true })],
      ["int32", fc.integer()],
      ["int8", fc.integer({ min: -128, max: 127 })],
      ["uint16", fc.integer({ min: 0, max: 65535 })],
      ["int64", fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
      ["bool", fc.boolean()],
      ["utf8", fc.string()],
    ];
    for (const [type, arb] of cases) {
      fc.assert(
        fc.property(fc.array(fc.option(arb, { freq: 4 }), { maxLength: 50 }), (values) => {
          const d = columnFromJs(values, toDataType(type), "c");
          expect(typeName(d.type)).toBe(type);
          expect(valuesOf(d)).toEqual(values);
        }),
        { numRuns: 40 },
      );
    }
  });

  it("typed arrays are wrapped without copying", () => {
    const x = new Int16Array([1, 2, 3]);
    const d = columnFromJs(x, undefined, "x");
    expect(typeName(d.type)).toBe("int16");
    expect(d.values).toBe(x);
  });

  it("numbers into int64 must be whole; fractions into int32 are refused, not truncated", () => {
    expect(valuesOf(columnFromJs([1, 2], toDataType("int64"), "c"))).toEqual([1n, 2n]);
    expect(() => columnFromJs([1.5], toDataType("int64"), "c")).toThrow(
      /Column "c" row 0: number 1.5 is not a int64/,
    );
    expect(() => columnFromJs([2, 0.25], toDataType("int32"), "c")).toThrow(
      /Column "c" row 1: number 0.25 is not a int32/,
    );
  });

  it("dates, timestamps, lists and structs through apache-arrow's builders", () => {
    const when = new Date("2020-02-02T00:00:00Z");
    expect(valuesOf(columnFromJs([when, null], toDataType("timestamp[ms]"), "t"))).toEqual([
      when,
      null,
    ]);
    expect(valuesOf(columnFromJs([when], toDataType("date"), "d"))).toEqual([when]);
    expect(valuesOf(columnFromJs([[1, 2], null, []], toDataType("list<int32>"), "l"))).toEqual([
      [1, 2],
      null,
      [],
    ]);
    expect(
      valuesOf(
        columnFromJs([{ a: 1, b: "x" }, null], toDataType("struct<a: int32, b: utf8>"), "s"),
      ),
    ).toEqual([{ a: 1, b: "x" }, null]);
  });
});
