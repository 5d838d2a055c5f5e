// A returned value that does not fit `returns` is a failure of its row: it obeys retries and
// onError and the record names the value and the type; a batch in which every call returned
// undefined fails asking whether the function forgot to return.
import { col, DataFrame, toDataType, UdfError } from "@deft/core";
import { columnFromJs, fitsType, fromModule, udf } from "@deft/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchesOperator, batchesOf, range, runUdf } from "./helpers.js";

const fixtures = new URL("./fixtures/udfs.ts", import.meta.url);

describe("returned values that do not fit returns", () => {
  it("one string among 2,000 float64 results is a null and a record under onError null", async () => {
    const f = udf((x: number) => (x === 1234 ? "n/a" : x / 2), {
      returns: "float64",
      onError: "null",
      name: "half",
    });
    const r = await runUdf(
      new BatchesOperator(batchesOf({ x: range(2000) }, 512)),
      "y",
      f(col("x")),
    );
    expect(r.values).toEqual(range(2000).map((x) => (x === 1234 ? null : x / 2)));
    expect(r.failures).toHaveLength(1);
    const [rec] = r.failures;
    expect(rec).toMatchObject({ udf: "half", column: "y", row: 1234, inputs: [1234], attempts: 1 });
    expect(rec!.error.name).toBe("UdfReturnTypeError");
    expect(rec!.error.message).toContain('returned "n/a" (a string), which is not a float64');
  });

  it("is retried like a thrown error", async () => {
    const calls = new Map<number, number>();
    const f = udf(
      async (x: number) => {
        const n = (calls.get(x) ?? 0) + 1;
        calls.set(x, n);
        return x === 3 && n === 1 ? { oops: true } : x;
      },
      { returns: "int32", retries: 2 },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(6) }, 6)), "y", f(col("x")));
    expect(r.values).toEqual(range(6));
    expect(calls.get(3)).toBe(2);
    expect(r.events.filter((e) => e.type === "udf:retry")).toHaveLength(1);
  });

  it("raises a UdfError naming the row, the value and the type under onError raise", async () => {
    const f = udf((x: number) => (x === 2 ? 2.5 : x), { returns: "int32", name: "whole" });
    const err = await runUdf(
      new BatchesOperator(batchesOf({ x: range(4) }, 4)),
      "y",
      f(col("x")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(UdfError);
    expect(err!.message).toContain('UDF "whole" failed for column "y" at row 2');
    expect(err!.message).toContain("returned 2.5 (a number), which is not a int32");
    expect(err!.message).not.toContain("pass a schema");
  });

  it("does not suggest retries when retries are set", async () => {
    const f = udf(
      (x: number) => {
        if (x === 1) throw new Error("down");
        return x;
      },
      { returns: "int32", retries: 2 },
    );
    const err = await runUdf(
      new BatchesOperator(batchesOf({ x: range(3) }, 3)),
      "y",
      f(col("x")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err!.message).toContain("failed all 3 attempts");
    expect(err!.message).not.toContain("Use retries");
    const once = udf(
      (x: number) => {
        if (x === 1) throw new Error("down");
        return x;
      },
      { returns: "int32" },
    );
    const err1 = await runUdf(
      new BatchesOperator(batchesOf({ x: range(3) }, 3)),
      "y",
      once(col("x")),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err1!.message).toContain("Use retries");
  });

  it("a function that forgot to return fails instead of giving nulls", async () => {
    const f = udf(
      (x: number) => {
        void (x * 2);
      },
      { returns: "float64", name: "noReturn" },
    );
    const err = await DataFrame.fromColumns({ x: Float64Array.from([1, 2, 3]) })
      .withColumn("y", f(col("x")))
      .toRecords()
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err!.message).toContain('UDF "noReturn" returned undefined for all 3 rows');
    expect(err!.message).toContain("did the function forget to return?");
    // Some undefined among values are nulls, as before.
    const some = udf((x: number) => (x > 1 ? x : undefined), { returns: "float64" });
    const rows = await DataFrame.fromColumns({ x: Float64Array.from([1, 2]) })
      .withColumn("y", some(col("x")))
      .toRecords();
    expect(rows.map((r) => r.y)).toEqual([null, 2]);
  });

  it("a batch UDF returning the wrong number of values fails that batch under onError", async () => {
    const f = udf.batch(
      (x: { length: number }) => new Array(x.length === 4 ? 3 : x.length).fill(1),
      {
        returns: "int32",
        onError: "null",
      },
    );
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(6) }, 4)), "y", f(col("x")));
    expect(r.values).toEqual([null, null, null, null, 1, 1]);
    expect(r.failures.map((x) => x.row)).toEqual([0, 1, 2, 3]);
    expect(r.failures[0]!.error.message).toContain("returned 3 values for 4 rows");
  });

  it("on worker threads too: a record naming the value, the other rows kept", async () => {
    const f = udf(fromModule(fixtures, "naOn3"), {
      returns: "float64",
      workers: 1,
      onError: "null",
    });
    const r = await runUdf(new BatchesOperator(batchesOf({ x: range(6) }, 6)), "y", f(col("x")));
    expect(r.values).toEqual([0, 1, 2, null, 4, 5]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.row).toBe(3);
    expect(r.failures[0]!.error.message).toContain(
      'returned "n/a" (a string), which is not a float64',
    );
  });
});

describe("fitsType", () => {
  const types = [
    "utf8",
    "float64",
    "int8",
    "int32",
    "uint16",
    "int64",
    "uint64",
    "bool",
    "list<int32>",
    "list<utf8>",
  ];
  const value = fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 63, -(2 ** 63), 2 ** 64, 300, -1),
    fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
    fc.boolean(),
    fc.array(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );

  it("accepts exactly the values the column builder accepts (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...types), value, (t, v) => {
        const type = toDataType(t);
        let built = true;
        try {
          columnFromJs([v], type, "c");
        } catch {
          built = false;
        }
        expect(fitsType(type)(v)).toBe(built);
      }),
      { numRuns: 2000 },
    );
  });
});
