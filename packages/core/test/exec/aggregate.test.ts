import { col, count } from "@deft/core";
import { AggregateOperator, aggregatePlan, type ExprNode } from "@deft/core/internal";
import { Float64, Int32, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchesOperator,
  batchesOf,
  type Cols,
  runColumns,
  schemaOf,
  sourcePlan,
} from "../relational/helpers.js";

interface Row {
  k: number | null;
  s: string | null;
  v: number | null;
  i: number | null;
}

const rowArb = fc.record({
  k: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 5 }),
  s: fc.option(fc.constantFrom("a", "b", "ab", "", "é"), { freq: 5 }),
  v: fc.option(
    fc.integer({ min: -1000, max: 1000 }).map((x) => x / 4),
    { freq: 4 },
  ),
  i: fc.option(fc.integer({ min: -2147483648, max: 2147483647 }), { freq: 4 }),
});

function colsOf(rows: Row[]): Cols {
  return {
    k: { type: new Int32(), values: rows.map((r) => r.k) },
    s: { type: new Utf8(), values: rows.map((r) => r.s) },
    v: { type: new Float64(), values: rows.map((r) => r.v) },
    i: { type: new Int32(), values: rows.map((r) => r.i) },
  };
}

const AGGS: ExprNode[] = [
  col("v").sum().alias("v_sum").node,
  col("v").mean().alias("v_mean").node,
  col("v").min().alias("v_min").node,
  col("v").max().alias("v_max").node,
  col("v").count().alias("v_count").node,
  col("v").countDistinct().alias("v_nd").node,
  col("v").first().alias("v_first").node,
  col("v").last().alias("v_last").node,
  col("v").list().alias("v_list").node,
  col("i").sum().alias("i_sum").node,
  col("i").min().alias("i_min").node,
  col("s").min().alias("s_min").node,
  col("s").max().alias("s_max").node,
  col("s").countDistinct().alias("s_nd").node,
  count().node,
];

const byteCmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The obvious row-at-a-time reference: a Map of groups in first-seen order. */
function reference(rows: Row[], keys: (keyof Row)[]): Record<string, unknown>[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const id = JSON.stringify(keys.map((k) => r[k]));
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(r);
  }
  if (keys.length === 0 && groups.size === 0) groups.set("[]", []);
  return [...groups.values()].map((g) => {
    const vs = g.map((r) => r.v).filter((x): x is number => x !== null);
    const is = g.map((r) => r.i).filter((x): x is number => x !== null);
    const ss = g
      .map((r) => r.s)
      .filter((x): x is string => x !== null)
      .sort(byteCmp);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = g[0]![k];
    Object.assign(out, {
      v_sum: vs.length ? vs.reduce((a, b) => a + b, 0) : null,
      v_mean: vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null,
      v_min: vs.length ? Math.min(...vs) : null,
      v_max: vs.length ? Math.max(...vs) : null,
      v_count: BigInt(vs.length),
      v_nd: BigInt(new Set(vs).size),
      v_first: g.length ? g[0]!.v : null,
      v_last: g.length ? g[g.length - 1]!.v : null,
      v_list: g.map((r) => r.v),
      i_sum: is.length ? is.reduce((a, b) => a + BigInt(b), 0n) : null,
      i_min: is.length ? Math.min(...is) : null,
      s_min: ss.length ? ss[0] : null,
      s_max: ss.length ? ss[ss.length - 1] : null,
      s_nd: BigInt(new Set(ss).size),
      count: BigInt(g.length),
    });
    return out;
  });
}

async function aggregate(
  rows: Row[],
  cuts: number[],
  keys: string[],
  opts: { partitionRows?: number; predicate?: ExprNode } = {},
) {
  const cols = colsOf(rows);
  const schema = schemaOf(cols);
  const plan = aggregatePlan(sourcePlan(schema), keys, AGGS);
  if (plan.kind !== "aggregate") throw new Error("expected an aggregate node");
  const op = new AggregateOperator(plan, new BatchesOperator(batchesOf(cols, cuts), schema), opts);
  const { cols: out } = await runColumns(op);
  const names = Object.keys(out);
  const n = out[names[0]!]!.length;
  return Array.from({ length: n }, (_, r) => Object.fromEntries(names.map((c) => [c, out[c]![r]])));
}

describe("AggregateOperator (property tests against a Map-based reference)", () => {
  const cases: [string, (keyof Row)[]][] = [
    ["one int key (dense path)", ["k"]],
    ["string + int keys (hash table)", ["s", "k"]],
    ["no keys (global aggregation)", []],
  ];
  for (const [title, keys] of cases) {
    it(`${title}: every aggregation, nulls, many batches`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { maxLength: 80 }),
          fc.array(fc.nat(80), { maxLength: 6 }),
          async (rows, cuts) => {
            expect(await aggregate(rows, cuts, keys)).toEqual(reference(rows, keys));
          },
        ),
        { numRuns: 150 },
      );
    });

    it(`${title}: partial states per partition of any size, merged in order, give the same`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { maxLength: 80 }),
          fc.array(fc.nat(80), { maxLength: 6 }),
          fc.integer({ min: 1, max: 30 }),
          async (rows, cuts, partitionRows) => {
            expect(await aggregate(rows, cuts, keys, { partitionRows })).toEqual(
              reference(rows, keys),
            );
          },
        ),
        { numRuns: 100 },
      );
    });

    it(`${title}: a filter's predicate taken over aggregates only the selected rows`, async () => {
      const predicate = col("k").gt(-2).or(col("v").isNull()).node;
      const keep = (r: Row) => (r.k !== null && r.k > -2) || r.v === null;
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { maxLength: 80 }),
          fc.array(fc.nat(80), { maxLength: 6 }),
          fc.integer({ min: 1, max: 30 }),
          async (rows, cuts, partitionRows) => {
            expect(await aggregate(rows, cuts, keys, { partitionRows, predicate })).toEqual(
              reference(rows.filter(keep), keys),
            );
          },
        ),
        { numRuns: 100 },
      );
    });
  }

  it("global aggregation of empty input is one row (count 0, sum null)", async () => {
    const rows = await aggregate([], [], []);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 0n, v_sum: null, v_count: 0n, v_list: [] });
  });

  it("keeps group ids when the dense key range outgrows the map and falls back to hashing", async () => {
    const k = [1, 2, 1, 50_000_000, 2, -50_000_000, 1, null, 50_000_000];
    const cols: Cols = {
      k: { type: new Int32(), values: k },
      v: { type: new Float64(), values: k.map((_, i) => i) },
    };
    const schema = schemaOf(cols);
    const plan = aggregatePlan(sourcePlan(schema), ["k"], [col("v").sum().node, count().node]);
    if (plan.kind !== "aggregate") throw new Error("expected an aggregate node");
    const op = new AggregateOperator(plan, new BatchesOperator(batchesOf(cols, [3, 5]), schema));
    const { cols: out } = await runColumns(op);
    expect(out.k).toEqual([1, 2, 50_000_000, -50_000_000, null]);
    expect(out.v).toEqual([0 + 2 + 6, 1 + 4, 3 + 8, 5, 7]);
    expect(out.count).toEqual([3n, 2n, 2n, 1n, 1n]);
  });
});
