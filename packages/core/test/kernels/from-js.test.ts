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

describe("columnFromJs integer ranges", () => {
  const types: [string, number, boolean][] = [
    ["int8", 8, true],
    ["int16", 16, true],
    ["int32", 32, true],
    ["uint8", 8, false],
    ["uint16", 16, false],
    ["uint32", 32, false],
    ["int64", 64, true],
    ["uint64", 64, false],
  ];

  it.each(types)("%s keeps every in-range value and refuses every other one", (name, w, signed) => {
    const lo = signed ? -(2n ** BigInt(w - 1)) : 0n;
    const hi = signed ? 2n ** BigInt(w - 1) - 1n : 2n ** BigInt(w) - 1n;
    const big = w === 64;
    fc.assert(
      fc.property(fc.bigInt({ min: lo - 1000n, max: hi + 1000n }), (b) => {
        const v = big ? b : Number(b);
        const fits = b >= lo && b <= hi;
        if (fits) {
          const got = valuesOf(columnFromJs([v], toDataType(name), "v"))[0];
          expect(got).toBe(v);
        } else {
          expect(() => columnFromJs([null, v], toDataType(name), "v")).toThrow(
            new RegExp(`Column "v" row 1: ${b} is out of range for ${name}`),
          );
          expect(
            valuesOf(columnFromJs([v, 1], toDataType(name), "v", { onError: "null" })),
          ).toEqual([null, big ? 1n : 1]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the examples users hit: 300 as int8, -1 as uint8, 2^63 as int64, 70000 as int16", () => {
    expect(() => columnFromJs([300], toDataType("int8"), "v")).toThrow(
      /Column "v" row 0: 300 is out of range for int8 \(-128 to 127\)/,
    );
    expect(() => columnFromJs([1, -1], toDataType("uint8"), "v")).toThrow(/row 1: -1 is out/);
    expect(() => columnFromJs([2 ** 63], toDataType("int64"), "v")).toThrow(/out of range/);
    expect(() => columnFromJs([2n ** 63n], toDataType("int64"), "v")).toThrow(/out of range/);
    expect(() => columnFromJs([70000], toDataType("int16"), "v")).toThrow(/70000 is out of range/);
    expect(() => columnFromJs([1.5], toDataType("int16"), "v")).toThrow(
      /number 1.5 is not a int16/,
    );
    expect(valuesOf(columnFromJs([-(2n ** 63n)], toDataType("int64"), "v"))).toEqual([
      -(2n ** 63n),
    ]);
  });
});
