// df.join (all six kinds), df.explode, df.distinct and df.concat through the public API, on
// random nullable tables split into many batches, against plain JS references.
import { DataFrame } from "@deft/core";
import { Field, Int32, List, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrowBatches } from "../helpers.js";
import { cutsArb, frameOf, groupKey, KEYS, type Key, type Row, rowsArb } from "./tables.js";

type How = "inner" | "left" | "right" | "outer" | "semi" | "anti";
const HOWS: How[] = ["inner", "left", "right", "outer", "semi", "anti"];
const COLS = ["id", "k", "s", "x", "b", "big"] as const;

/**
 * Nested-loop join with the documented output: left columns, then the right non-key columns
 * (a clashing name gets `suffix`); row order is left order with matches in right order, then
 * unmatched right rows (outer); right joins mirror that; keys coalesce for right/outer rows.
 */
function referenceJoin(
  left: readonly Row[],
  right: readonly Row[],
  on: readonly Key[],
  how: How,
  suffix: string,
): Record<string, unknown>[] {
  const match = (l: Row, r: Row) => on.every((c) => l[c] !== null && l[c] === r[c]);
  const row = (l: Row | null, r: Row | null) => {
    const out: Record<string, unknown> = {};
    for (const c of COLS) {
      const fromRight = on.includes(c as Key) && l === null;
      out[c] = fromRight ? r![c] : (l?.[c] ?? null);
    }
    for (const c of COLS) if (!on.includes(c as Key)) out[c + suffix] = r?.[c] ?? null;
    return out;
  };
  const out: Record<string, unknown>[] = [];
  if (how === "semi" || how === "anti") {
    for (const l of left) {
      if (right.some((r) => match(l, r)) === (how === "semi")) out.push(row(l, null));
    }
    return out.map((o) => Object.fromEntries(COLS.map((c) => [c, o[c]])));
  }
  if (how === "right") {
    for (const r of right) {
      const ls = left.filter((l) => match(l, r));
      if (ls.length === 0) out.push(row(null, r));
      for (const l of ls) out.push(row(l, r));
    }
    return out;
  }
  const matched = new Set<Row>();
  for (const l of left) {
    const rs = right.filter((r) => match(l, r));
    if (rs.length === 0 && (how === "left" || how === "outer")) out.push(row(l, null));
    for (const r of rs) {
      matched.add(r);
      out.push(row(l, r));
    }
  }
  if (how === "outer") for (const r of right) if (!matched.has(r)) out.push(row(null, r));
  return out;
}

const onArb = fc.constantFrom<Key[]>(["k"], ["s"], ["big"], ["b"], ["s", "k"], ["k", "big", "b"]);

describe("df.join (property tests against a nested-loop reference)", () => {
  for (const how of HOWS) {
    it(`${how}: one to three key columns of each type, null keys, duplicates, many batches`, async () => {
      await fc.assert(
        fc.asyncProperty(
          rowsArb(30),
          rowsArb(30),
          cutsArb,
          cutsArb,
          onArb,
          async (left, right, lc, rc, on) => {
            const got = await frameOf(left, lc).join(frameOf(right, rc), { on, how }).toRecords();
            expect(got).toEqual(referenceJoin(left, right, on, how, "_right"));
          },
        ),
        { numRuns: 120 },
      );
    });
  }

  it("leftOn/rightOn with other names and a custom suffix (right key dropped, left name kept)", async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb(25),
        rowsArb(25),
        cutsArb,
        fc.constantFrom<How>(...HOWS),
        async (left, right, cuts, how) => {
          const r = frameOf(right, cuts).rename({ k: "rk", s: "rs" });
          const got = await frameOf(left, [])
            .join(r, { leftOn: ["s", "k"], rightOn: ["rs", "rk"], how, suffix: "_r" })
            .toRecords();
          expect(got).toEqual(referenceJoin(left, right, ["s", "k"], how, "_r"));
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ── explode ─────────────────────────────────────────────────────────────────────────────────

const listRowArb = fc.record({
  tag: fc.option(fc.constantFrom("p", "q"), { freq: 4 }),
  xs: fc.option(
    fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }), { maxLength: 4 }),
    {
      freq: 4,
    },
  ),
});

describe("df.explode (property test)", () => {
  it("one row per element; empty and null lists give one null row; other columns repeated", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(listRowArb, { maxLength: 40 }), cutsArb, async (rows, cuts) => {
        const listType = new List(new Field("item", new Int32(), true));
        const batches = arrowBatches(
          {
            id: { type: new Int32(), values: rows.map((_, i) => i) },
            xs: { type: listType, values: rows.map((r) => r.xs) },
            tag: { type: new Utf8(), values: rows.map((r) => r.tag) },
          },
          [...new Set(cuts)].sort((a, b) => a - b),
        );
        const got = await DataFrame.fromArrow(batches).explode("xs").toRecords();
        const want = rows.flatMap((r, id) =>
          r.xs === null || r.xs.length === 0
            ? [{ id, xs: null, tag: r.tag }]
            : r.xs.map((x) => ({ id, xs: x, tag: r.tag })),
        );
        expect(got).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});

// ── distinct and concat ─────────────────────────────────────────────────────────────────────

describe("df.distinct and df.concat (property tests)", () => {
  it("distinct keeps the first row of each combination, in input order (nulls equal, NaN equal, -0 == 0)", async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb(),
        cutsArb,
        fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }),
        async (rows, cuts, cols) => {
          const got = await frameOf(rows, cuts)
            .distinct(...cols)
            .toRecords();
          // No columns named means every column, and id is unique: all rows come back.
          const over: readonly (keyof Row)[] = cols.length ? cols : COLS;
          const seen = new Set<string>();
          const want = rows.filter((r) => {
            const key = groupKey(over.map((c) => r[c]));
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("concat gives every input's rows in turn, each input over many batches", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(rowsArb(20), cutsArb), { minLength: 1, maxLength: 4 }),
        async (parts) => {
          const [first, ...rest] = parts.map(([rows, cuts]) => frameOf(rows, cuts));
          const got = await first!.concat(...rest).toRecords();
          expect(got).toEqual(parts.flatMap(([rows]) => rows));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("concat refuses inputs whose columns differ, naming the column", () => {
    const a = DataFrame.fromColumns({ a: new Int32Array([1]), b: ["x"] });
    const b = DataFrame.fromColumns({ a: new Float64Array([1]), b: ["y"] });
    expect(() => a.concat(b)).toThrow(/"a"/);
  });
});
