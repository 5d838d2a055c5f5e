import { col, DataFrame, lit } from "@deft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectColumns } from "../helpers.js";

describe("casts involving strings", () => {
  it("utf8 -> bool accepts true/false/1/0 in any case; anything else names the row", async () => {
    const df = DataFrame.fromRecords([
      { s: "TRUE" },
      { s: " false " },
      { s: "1" },
      { s: "0" },
      { s: null },
    ]);
    await expectColumns(df.select(col("s").cast("bool")), { s: [true, false, true, false, null] });
    const bad = DataFrame.fromRecords([{ s: "yes" }]).select(col("s").cast("bool"));
    await expect(bad.toColumns()).rejects.toThrow(
      /Column "s" row 0: cast to bool failed: "yes" is not a bool/,
    );
  });

  it("utf8 -> float64 accepts NaN and signs, refuses empty and junk", async () => {
    const df = DataFrame.fromRecords([{ s: "NaN" }, { s: "-1.5e3" }, { s: "+2" }]);
    await expectColumns(df.select(col("s").cast("float64")), { s: [Number.NaN, -1500, 2] });
    await expect(
      DataFrame.fromRecords([{ s: "" }])
        .select(col("s").cast("float64"))
        .toColumns(),
    ).rejects.toThrow(/"" is not a float64/);
    await expect(
      DataFrame.fromRecords([{ s: "1.5" }])
        .select(col("s").cast("int32"))
        .toColumns(),
    ).rejects.toThrow(/"1.5" is not a int32/);
  });

  it("utf8 -> int64 parses beyond 2^53 exactly", async () => {
    const df = DataFrame.fromRecords([{ s: "9007199254740993" }, { s: "-42" }]);
    await expectColumns(df.select(col("s").cast("int64")), { s: [9007199254740993n, -42n] });
  });

  it("utf8 -> timestamp and date parse ISO text", async () => {
    const df = DataFrame.fromRecords([{ s: "2024-01-02T03:04:05Z" }, { s: null }]);
    await expectColumns(df.select(col("s").cast("timestamp[ms]")), {
      s: [new Date("2024-01-02T03:04:05Z"), null],
    });
    const d = DataFrame.fromRecords([{ s: "2024-01-02" }]).select(col("s").cast("date"));
    await expectColumns(d, { s: [new Date("2024-01-02T00:00:00Z")] });
  });

  it("numbers, bools, bigints and timestamps -> utf8", async () => {
    const when = new Date("2024-01-02T03:04:05.006Z");
    const df = DataFrame.fromRecords([
      { f: 1.5, b: true, g: 2n ** 60n, t: when },
      { f: null, b: false, g: -1n, t: null },
    ]);
    await expectColumns(
      df.select(
        col("f").cast("utf8"),
        col("b").cast("utf8"),
        col("g").cast("utf8"),
        col("t").cast("utf8"),
      ),
      {
        f: ["1.5", null],
        b: ["true", "false"],
        g: ["1152921504606846976", "-1"],
        // A zone-less timestamp is wall-clock time: no "Z" is made up for it.
        t: ["2024-01-02T03:04:05.006", null],
      },
    );
  });

  it("dates and timestamps -> utf8: ISO text, the fraction of the unit, the zone only when typed", async () => {
    const df = DataFrame.fromRecords([{ t: new Date("1969-07-20T20:17:40.5Z") }]);
    await expectColumns(
      df.select(
        col("t").cast("date").cast("utf8").alias("d"),
        col("t").cast("timestamp[s]").cast("utf8").alias("s"),
        col("t").cast("timestamp[us, UTC]").cast("utf8").alias("utc"),
        col("t").cast("timestamp[ms, +05:30]").cast("utf8").alias("ist"),
        col("t").cast("timestamp[ns, America/New_York]").cast("utf8").alias("ny"),
      ),
      {
        d: ["1969-07-20"],
        s: ["1969-07-20T20:17:40"],
        utc: ["1969-07-20T20:17:40.500000Z"],
        ist: ["1969-07-21T01:47:40.500+05:30"],
        ny: ["1969-07-20T16:17:40.500000000-04:00"],
      },
    );
  });

  it("a round trip int -> utf8 -> int is the identity", async () => {
    const df = DataFrame.fromColumns({ i: new Int32Array([0, -1, 2147483647, -2147483648]) });
    await expectColumns(df.select(col("i").cast("utf8").cast("int32")), {
      i: [0, -1, 2147483647, -2147483648],
    });
  });
});

describe("casts that do not fit", () => {
  const ints: [string, bigint, bigint][] = [
    ["int8", -128n, 127n],
    ["uint8", 0n, 255n],
    ["int16", -32768n, 32767n],
    ["uint16", 0n, 65535n],
    ["int32", -(2n ** 31n), 2n ** 31n - 1n],
    ["uint32", 0n, 2n ** 32n - 1n],
    ["int64", -(2n ** 63n), 2n ** 63n - 1n],
    ["uint64", 0n, 2n ** 64n - 1n],
  ];

  it("float64 and int64 to every integer type: in range kept (floats truncated), else error or null", async () => {
    const floats = fc.oneof(
      fc.double(),
      fc.integer({ min: -70000, max: 70000 }).map((x) => x + 0.5),
      fc.constantFrom(2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 31, -(2 ** 31) - 1, 1e20),
    );
    const bigs = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ints),
        fc.array(floats, { minLength: 1, maxLength: 8 }),
        fc
          .array(bigs, { minLength: 1, maxLength: 8 })
          .map((xs) => xs.map((x) => BigInt.asIntN(64, x))),
        async ([name, lo, hi], fs, bs) => {
          const big = name.endsWith("64");
          const want = (x: bigint | null) =>
            x === null || x < lo || x > hi ? null : big ? x : Number(x);
          const refF = fs.map((x) => (Number.isFinite(x) ? want(BigInt(Math.trunc(x))) : null));
          // NaN and the infinities are null either way; only finite misfits are errors.
          const misfit = fs.findIndex((x, i) => Number.isFinite(x) && refF[i] === null);
          const refB = bs.map((x) => want(x));
          const f = DataFrame.fromColumns({ x: fs });
          const b = DataFrame.fromColumns({ x: bs });
          await expectColumns(f.select(col("x").cast(name, { onError: "null" })), { x: refF });
          await expectColumns(b.select(col("x").cast(name, { onError: "null" })), { x: refB });
          const strict = f.select(col("x").cast(name));
          if (misfit < 0) await expectColumns(strict, { x: refF });
          else
            await expect(strict.toColumns()).rejects.toThrow(
              new RegExp(`Column "x" row ${misfit}: .* is out of range for ${name}`),
            );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("1e20 to int32 names the column and row; onError null gives null; NaN is null", async () => {
    const df = DataFrame.fromRecords([{ x: 1.5 }, { x: 1e20 }, { x: Number.NaN }]);
    await expect(df.select(col("x").cast("int32")).toColumns()).rejects.toThrow(
      /Column "x" row 1: 100000000000000000000 is out of range for int32 \(cast to int32\)/,
    );
    await expectColumns(df.select(col("x").cast("int32", { onError: "null" })), {
      x: [1, null, null],
    });
    await expectColumns(
      df.select(col("x").cast("int32", { onError: "null" }).isNull().alias("n")),
      {
        n: [false, true, true],
      },
    );
  });

  it("strings that do not parse or fit: the column and row, or null", async () => {
    const df = DataFrame.fromRecords([{ s: "12" }, { s: "abc" }, { s: "300" }]);
    await expect(df.select(col("s").cast("float64")).toColumns()).rejects.toThrow(
      /Column "s" row 1: cast to float64 failed: "abc" is not a float64/,
    );
    await expect(
      DataFrame.fromRecords([{ s: "300" }])
        .select(col("s").cast("int8"))
        .toColumns(),
    ).rejects.toThrow(/Column "s" row 0: 300 is out of range for int8/);
    await expectColumns(df.select(col("s").cast("int8", { onError: "null" })), {
      s: [12, null, null],
    });
    await expectColumns(df.select(lit("7").cast("int64", { onError: "null" }).alias("v")), {
      v: [7n, 7n, 7n],
    });
  });
});
