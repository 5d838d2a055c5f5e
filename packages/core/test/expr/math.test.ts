// Number functions over int and float columns with nulls, NaN, infinities, empty batches and
// empty input; their result types; integer overflow; hash stability.
import { col, DataFrame, lit } from "@deft/core";
import { Float32, Float64, Int8, Int32, Int64, Uint8, Uint32, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatches, expectColumns, typesOf } from "../helpers.js";

const ints = { type: new Int32(), values: [1, -7, null, 2147483647, 0, 15, -25] };
const floats = { type: new Float64(), values: [0.5, Number.NaN, null, -2.5, Infinity, 2.675, -0] };
const df = DataFrame.fromArrow(arrowBatches({ i: ints, f: floats }, [1, 4]));

describe("number functions: types and values with nulls and NaN", () => {
  it("abs sign floor ceil round keep the argument's type", async () => {
    const out = df.select(
      col("i").abs().alias("ia"),
      col("f").abs().alias("fa"),
      col("i").sign().alias("is"),
      col("f").sign().alias("fs"),
      col("i").floor().alias("if"),
      col("f").floor().alias("ff"),
      col("f").ceil().alias("fc"),
      col("i").round().alias("ir"),
      col("f").round().alias("fr"),
      col("f").round(2).alias("fr2"),
    );
    expect(typesOf(out)).toEqual({
      ia: "int32",
      fa: "float64",
      is: "int32",
      fs: "float64",
      if: "int32",
      ff: "float64",
      fc: "float64",
      ir: "int32",
      fr: "float64",
      fr2: "float64",
    });
    await expectColumns(out, {
      ia: [1, 7, null, 2147483647, 0, 15, 25],
      fa: [0.5, Number.NaN, null, 2.5, Infinity, 2.675, 0],
      is: [1, -1, null, 1, 0, 1, -1],
      fs: [1, Number.NaN, null, -1, 1, 1, -0],
      if: [1, -7, null, 2147483647, 0, 15, -25],
      ff: [0, Number.NaN, null, -3, Infinity, 2, -0],
      fc: [1, Number.NaN, null, -2, Infinity, 3, -0],
      ir: [1, -7, null, 2147483647, 0, 15, -25],
      fr: [1, Number.NaN, null, -3, Infinity, 3, -0],
      // 2.675 * 100 is exactly 267.5 in doubles, so it rounds up (DuckDB gives 2.68 too).
      fr2: [0.5, Number.NaN, null, -2.5, Infinity, 2.68, -0],
    });
  });

  it("round ties away from zero, and an integer rounded past its type is an error", async () => {
    const small = DataFrame.fromColumns({ i: new Int32Array([15, -25, 4, -5]) });
    await expectColumns(small.select(col("i").round(-1)), { i: [20, -30, 0, -10] });
    const f = DataFrame.fromColumns({ f: new Float64Array([0.5, 1.5, 2.5, -0.5, -1.5, 1.005]) });
    await expectColumns(f.select(col("f").round(), col("f").round(2).alias("r2")), {
      f: [1, 2, 3, -1, -2, 1],
      r2: [0.5, 1.5, 2.5, -0.5, -1.5, 1],
    });
    await expect(
      df.select(col("i").round(-1)).collect(),
      "2147483647 rounds to 2147483650",
    ).rejects.toThrow(/col\(i\)\.round\(-1\) overflows int32 at row \d/);
    const big = DataFrame.fromColumns({ x: new BigInt64Array([125n, -125n, 9n]) });
    await expectColumns(big.select(col("x").round(-1), col("x").round(-2).alias("h")), {
      x: [130n, -130n, 10n],
      h: [100n, -100n, 0n],
    });
  });

  it("abs of an integer type's minimum is an error naming the column and the row", async () => {
    const min32 = DataFrame.fromColumns({ i: new Int32Array([5, -2147483648]) });
    await expect(min32.select(col("i").abs()).collect()).rejects.toThrow(
      /col\(i\)\.abs\(\) overflows int32 at row 1: the result for -2147483648 does not fit/,
    );
    const min8 = DataFrame.fromArrow(
      arrowBatches({ b: { type: new Int8(), values: [null, -128] } }, []),
    );
    await expect(min8.select(col("b").abs()).collect()).rejects.toThrow(/overflows int8 at row 1/);
    const min64 = DataFrame.fromColumns({ x: new BigInt64Array([-9223372036854775808n]) });
    await expect(min64.select(col("x").abs()).collect()).rejects.toThrow(/overflows int64/);
    // A null row is never checked: its stored value may be anything.
    const nulls = DataFrame.fromArrow(
      arrowBatches({ i: { type: new Int32(), values: [null, 3] } }, []),
    );
    await expectColumns(nulls.select(col("i").abs()), { i: [null, 3] });
    // Unsigned and int64 values keep their type.
    const u = DataFrame.fromArrow(arrowBatches({ u: { type: new Uint8(), values: [255, 0] } }, []));
    expect(typesOf(u.select(col("u").abs()))).toEqual({ u: "uint8" });
    await expectColumns(
      DataFrame.fromColumns({ x: new BigInt64Array([-5n, 3n]) }).select(
        col("x").abs(),
        col("x").sign().alias("s"),
      ),
      {
        x: [5n, 3n],
        s: [-1n, 1n],
      },
    );
  });

  it("sqrt cbrt exp log log2 log10 log1p pow and trigonometry give float64 (IEEE at the edges)", async () => {
    const out = df.select(
      col("i").sqrt().alias("sqrt"),
      col("f").cbrt().alias("cbrt"),
      col("f").exp().alias("exp"),
      col("f").log().alias("ln"),
      col("f").log(2).alias("log2b"),
      col("i").log2().alias("log2"),
      col("i").log10().alias("log10"),
      col("f").log1p().alias("log1p"),
      col("i").pow(2).alias("pow"),
      col("f").sin().alias("sin"),
      col("f").cos().alias("cos"),
      col("f").tan().alias("tan"),
      col("f").asin().alias("asin"),
      col("f").acos().alias("acos"),
      col("f").atan().alias("atan"),
      col("f").atan2(col("i")).alias("atan2"),
    );
    for (const t of Object.values(typesOf(out))) expect(t).toBe("float64");
    const got = await out.toColumns();
    const ref = (fn: (x: number) => number, vals: (number | null)[]) =>
      vals.map((v) => (v === null ? null : fn(v)));
    const iv = ints.values;
    const fv = floats.values;
    expect(got.sqrt).toEqual(ref(Math.sqrt, iv));
    expect(got.cbrt).toEqual(ref(Math.cbrt, fv));
    expect(got.exp).toEqual(ref(Math.exp, fv));
    expect(got.ln).toEqual(ref(Math.log, fv));
    expect(got.log2b).toEqual(ref((x) => Math.log(x) / Math.log(2), fv));
    expect(got.log2).toEqual(ref(Math.log2, iv));
    expect(got.log10).toEqual(ref(Math.log10, iv));
    expect(got.log1p).toEqual(ref(Math.log1p, fv));
    expect(got.pow).toEqual(ref((x) => x ** 2, iv));
    expect(got.sin).toEqual(ref(Math.sin, fv));
    expect(got.cos).toEqual(ref(Math.cos, fv));
    expect(got.tan).toEqual(ref(Math.tan, fv));
    expect(got.asin).toEqual(ref(Math.asin, fv));
    expect(got.acos).toEqual(ref(Math.acos, fv));
    expect(got.atan).toEqual(ref(Math.atan, fv));
    expect(got.atan2).toEqual(
      fv.map((y, k) => (y === null || iv[k] === null ? null : Math.atan2(y, iv[k]!))),
    );
  });

  it("clip keeps the type; a null bound leaves its side open; NaN stays NaN", async () => {
    const out = df.select(
      col("i").clip(-5, 10).alias("ic"),
      col("f").clip(0, 1).alias("fc"),
      col("i").clip(null, 0).alias("hi"),
      col("i").clip(0).alias("lo"),
      col("i").clip(0.5, 3).alias("frac"),
    );
    expect(typesOf(out)).toEqual({
      ic: "int32",
      fc: "float64",
      hi: "int32",
      lo: "int32",
      frac: "float64",
    });
    await expectColumns(out, {
      ic: [1, -5, null, 10, 0, 10, -5],
      fc: [0.5, Number.NaN, null, 0, 1, 1, -0],
      hi: [0, -7, null, 0, 0, 0, -25],
      lo: [1, 0, null, 2147483647, 0, 15, 0],
      frac: [1, 0.5, null, 3, 0.5, 3, 0.5],
    });
    expect(() => df.select(col("i").clip(3, 1))).toThrow(
      /lower bound 3 is above the upper bound 1/,
    );
  });

  it("isNan and isFinite: null stays null; integers are never NaN and always finite", async () => {
    await expectColumns(
      df.select(
        col("f").isNan().alias("fn"),
        col("f").isFinite().alias("ff"),
        col("i").isNan().alias("in"),
        col("i").isFinite().alias("if"),
      ),
      {
        fn: [false, true, null, false, false, false, false],
        ff: [true, false, null, true, false, true, true],
        in: [false, false, null, false, false, false, false],
        if: [true, true, null, true, true, true, true],
      },
    );
  });

  it("number functions fuse with arithmetic and filters into one loop", async () => {
    // Rows kept: 0.5 (i 1), -2.5 (i 2147483647), 2.675 (i 15), -0 (i -25).
    await expectColumns(
      df
        .filter(col("f").abs().lt(3))
        .select(col("f").mul(2).round().add(col("i").abs()).alias("x")),
      { x: [2, 2147483642, 20, 25] },
    );
  });

  it("wrong types are PlanErrors naming the expression", () => {
    const s = DataFrame.fromColumns({ s: ["a"] });
    expect(() => s.select(col("s").abs())).toThrow(/abs\(\) needs numbers, but col\(s\) is utf8/);
    expect(() => s.select(col("s").pow(2))).toThrow(/pow\(\) needs numbers/);
    expect(() => col("x").round(1.5)).toThrow(/digits must be an integer/);
  });

  it("zero rows give zero rows of the right types", async () => {
    const empty = DataFrame.fromColumns({ a: new Float64Array(0), b: new Int32Array(0) });
    const out = empty.select(
      col("a").sqrt().alias("s"),
      col("b").abs().alias("ab"),
      col("b").hash().alias("h"),
      col("a").isNan().alias("n"),
    );
    expect(typesOf(out)).toEqual({ s: "float64", ab: "int32", h: "uint64", n: "bool" });
    await expectColumns(out, { s: [], ab: [], h: [], n: [] });
  });
});

describe("hash()", () => {
  it("is uint64, fixed for null, and the same for a value whatever its integer width", async () => {
    const a = DataFrame.fromArrow(
      arrowBatches({ x: { type: new Int32(), values: [5, null, -1, 0] } }, [2]),
    );
    const b = DataFrame.fromArrow(
      arrowBatches({ x: { type: new Int64(), values: [5n, null, -1n, 0n] } }, []),
    );
    const c = DataFrame.fromArrow(
      arrowBatches({ x: { type: new Uint32(), values: [5, null, 0, 0] } }, []),
    );
    const ha = (await a.select(col("x").hash()).toColumns()).x!;
    const hb = (await b.select(col("x").hash()).toColumns()).x!;
    const hc = (await c.select(col("x").hash()).toColumns()).x!;
    expect(typesOf(a.select(col("x").hash()))).toEqual({ x: "uint64" });
    expect(ha).toEqual(hb);
    expect(hc[0]).toBe(ha[0]);
    expect(ha[1]).toBe(0x9e3779b97f4a7c15n);
    expect(new Set(ha).size).toBe(4);
  });

  it("has pinned values (stable across runs, processes and versions)", async () => {
    const df = DataFrame.fromArrow(
      arrowBatches(
        {
          i: { type: new Int64(), values: [0n, 1n, -1n] },
          f: { type: new Float64(), values: [0, -0, Number.NaN] },
          s: { type: new Utf8(), values: ["", "a", "hello world"] },
          b: { type: new Float32(), values: [1.5, 1.5, 1.5] },
        },
        [],
      ),
    );
    const h = await df
      .select(
        col("i").hash(),
        col("f").hash(),
        col("s").hash(),
        col("b").hash(),
        lit(true).hash().alias("t"),
      )
      .toColumns();
    // MurmurHash3_x86_32 test vectors: "" seed 0 is 0; "hello world" with seed 0 is 0x5e928f0f.
    const s = h.s as bigint[];
    expect(s[0]! & 0xffffffffn).toBe(0n);
    expect(s[2]! & 0xffffffffn).toBe(0x5e928f0fn);
    expect(h.f![0]).toBe(h.f![1]); // -0 hashes as 0
    expect(h.b![0]).toBe(
      (
        await DataFrame.fromColumns({ f: new Float64Array([1.5]) })
          .select(col("f").hash())
          .toColumns()
      ).f![0],
    );
    expect(h).toEqual({
      i: [3322983453754206972n, 2659396553680575812n, 8468113288024384744n],
      f: [3322983453754206972n, 3322983453754206972n, 1134965712354907149n],
      s: [16984976521728884736n, 9196524875901397426n, 13777907504041332495n],
      b: [14583510759808599003n, 14583510759808599003n, 14583510759808599003n],
      t: [13325892971822502315n, 13325892971822502315n, 13325892971822502315n],
    });
  });

  it("every NaN hashes alike, and strings hash by their bytes in every batch", async () => {
    const nanBits = new Float64Array(new BigUint64Array([0xfff8000000000001n]).buffer);
    const df = DataFrame.fromColumns({ f: new Float64Array([Number.NaN, nanBits[0]!]) });
    const h = (await df.select(col("f").hash()).toColumns()).f!;
    expect(h[0]).toBe(h[1]);
    const words = ["x", "yz", "x", "", "naïve 😀"];
    const one = (await DataFrame.fromColumns({ s: words }).select(col("s").hash()).toColumns()).s!;
    const many = (
      await DataFrame.fromColumns({ s: words }).intoBatches(2).select(col("s").hash()).toColumns()
    ).s!;
    expect(many).toEqual(one);
    expect(one[0]).toBe(one[2]);
  });
});

describe("property: number functions vs a JS reference", () => {
  const floatArb = fc.option(
    fc.oneof(fc.double(), fc.constantFrom(0, -0, 0.5, -0.5, 1.5, 2.5, Number.NaN, Infinity)),
    { freq: 4 },
  );
  const halfAway = (v: number) => (v < 0 ? -Math.round(-v) : Math.round(v));
  it("abs, sign, floor, ceil, round(0..2), clip, sqrt over float64", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(floatArb, { maxLength: 50 }),
        fc.integer({ min: 0, max: 2 }),
        async (xs, d) => {
          const df = DataFrame.fromArrow(
            arrowBatches({ x: { type: new Float64(), values: xs } }, [3]),
          );
          const got = await df
            .select(
              col("x").abs().alias("abs"),
              col("x").sign().alias("sign"),
              col("x").floor().alias("floor"),
              col("x").ceil().alias("ceil"),
              col("x").round(d).alias("round"),
              col("x").clip(-1, 1).alias("clip"),
              col("x").sqrt().alias("sqrt"),
            )
            .toColumns();
          const p = 10 ** d;
          const m = (fn: (x: number) => number) => xs.map((x) => (x === null ? null : fn(x)));
          expect(got.abs).toEqual(m(Math.abs));
          expect(got.sign).toEqual(m((x) => (x > 0 ? 1 : x < 0 ? -1 : x)));
          expect(got.floor).toEqual(m(Math.floor));
          expect(got.ceil).toEqual(m(Math.ceil));
          expect(got.round).toEqual(
            m((x) => {
              const r = d === 0 ? halfAway(x) : halfAway(x * p) / p;
              return Number.isFinite(r) ? r : x;
            }),
          );
          expect(got.clip).toEqual(m((x) => Math.max(-1, Math.min(1, x))));
          expect(got.sqrt).toEqual(m(Math.sqrt));
        },
      ),
    );
  });

  it("integer abs and round(-1..-3) over int32, as exact integer arithmetic", async () => {
    const intArb = fc.option(fc.integer({ min: -2147483647, max: 2147483647 }), { freq: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(intArb, { maxLength: 50 }),
        fc.integer({ min: 1, max: 3 }),
        async (xs, d) => {
          const df = DataFrame.fromArrow(
            arrowBatches({ x: { type: new Int32(), values: xs } }, [5]),
          );
          const p = 10n ** BigInt(d);
          const ref = xs.map((x) => {
            if (x === null) return null;
            const b = BigInt(x);
            let q = b / p;
            const r = b % p;
            if (2n * (r < 0n ? -r : r) >= p) q += b < 0n ? -1n : 1n;
            return q * p;
          });
          const fits = ref.every((v) => v === null || (v >= -2147483648n && v <= 2147483647n));
          const run = df
            .select(col("x").abs().alias("abs"), col("x").round(-d).alias("round"))
            .toColumns();
          if (!fits) {
            await expect(run).rejects.toThrow(/overflows int32/);
            return;
          }
          const got = await run;
          expect(got.abs).toEqual(xs.map((x) => (x === null ? null : Math.abs(x))));
          expect(got.round).toEqual(ref.map((v) => (v === null ? null : Number(v))));
        },
      ),
    );
  });
});
