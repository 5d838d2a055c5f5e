// Sort: 10M uniform float64 keys, ascending, carrying an int32 row id (so every engine must
// move rows, not just sort keys — except the keys-only lower bound).
import { tableFromArrays } from "apache-arrow";
import * as aq from "arquero";
import pl from "nodejs-polars";
import { expectEqual, uniformFloat64 } from "../data.js";
import { DataFrame } from "../deft.js";
import {
  arqueroColumn,
  arrowColumn,
  type DuckDB,
  duckdbRow,
  loadIntoDuckDB,
  polarsColumn,
} from "../peers.js";
import type { Case } from "../runner.js";
import { deftCase, type RelationalPart } from "./part.js";

const ROWS = Number(process.env.BENCH_SORT_ROWS ?? 10_000_000);
export const SORT = `sort ${ROWS / 1e6}M float64`;

let x: Float64Array = new Float64Array(0);
let id: Int32Array = new Int32Array(0);
let db: DuckDB | undefined;
let aqTable: aq.ColumnTable | undefined;
let plFrame: pl.DataFrame | undefined;

function checkAscending(keys: ArrayLike<number>): void {
  expectEqual("sorted rows", keys.length, ROWS);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!)
      throw new Error(`not sorted at row ${i}: ${keys[i - 1]} > ${keys[i]}`);
  }
}

/** Sorted ascending, and the row id travelled with its key (checked at 1000 positions). */
function checkSort(keys: ArrayLike<number>, ids: ArrayLike<number>): void {
  checkAscending(keys);
  const step = Math.max(1, Math.floor(keys.length / 1000));
  for (let i = 0; i < keys.length; i += step) {
    if (x[Number(ids[i])] !== keys[i])
      throw new Error(`row ${i}: id ${ids[i]} does not carry key ${keys[i]}`);
  }
}

const cases: Case[] = [
  {
    label: "JS typed sort (keys only)",
    group: SORT,
    // A lower bound, not a peer: it moves no row ids (V8's typed-array sort has no argsort).
    run: () => x.slice().sort(),
    check: (keys) => checkAscending(keys as Float64Array),
  },
  {
    label: "JS argsort + gather",
    group: SORT,
    run: () => {
      const idx = new Uint32Array(x.length);
      for (let i = 0; i < idx.length; i++) idx[i] = i;
      idx.sort((p, q) => x[p]! - x[q]!);
      const ox = new Float64Array(idx.length);
      const oi = new Int32Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        ox[i] = x[idx[i]!]!;
        oi[i] = id[idx[i]!]!;
      }
      return { x: ox, i: oi };
    },
    check: (r) => {
      const out = r as { x: Float64Array; i: Int32Array };
      checkSort(out.x, out.i);
    },
  },
  {
    label: "arquero (reified)",
    group: SORT,
    setup: () => {
      aqTable = aq.table({ x, i: id });
    },
    run: () => aqTable!.orderby("x").reify(),
    check: (t) => checkSort(arqueroColumn(t, "x"), arqueroColumn(t, "i")),
  },
  {
    label: "polars",
    group: SORT,
    setup: () => {
      plFrame = pl.DataFrame([pl.Series("x", x), pl.Series("i", id)]);
    },
    run: () => plFrame!.sort("x"),
    check: (df) => checkSort(polarsColumn(df, "x"), polarsColumn(df, "i")),
  },
  {
    label: "duckdb",
    group: SORT,
    run: () => db!.con.run("CREATE OR REPLACE TEMP TABLE sorted AS SELECT x, i FROM s ORDER BY x"),
    check: async () => {
      const row = await duckdbRow(db!, "SELECT count(*)::DOUBLE AS n, min(x) AS lo FROM sorted");
      expectEqual("sorted rows", row.n, ROWS);
      const first = await duckdbRow(db!, "SELECT x FROM sorted LIMIT 1");
      expectEqual("first sorted key", first.x, row.lo);
    },
  },
  deftCase(
    SORT,
    "sort",
    () => DataFrame().fromColumns({ x, i: id }),
    (f) => f.sort("x").toArrow(),
    (t) => checkSort(arrowColumn(t, "x"), arrowColumn(t, "i")),
  ),
];

export const sortPart: RelationalPart = {
  group: SORT,
  baseline: "JS argsort + gather",
  cases,
  setup: async (duck) => {
    db = duck;
    x = uniformFloat64(ROWS, 17);
    id = Int32Array.from({ length: ROWS }, (_, i) => i);
    await loadIntoDuckDB(duck, "s", tableFromArrays({ x, i: id }));
  },
  teardown: () => {
    db = aqTable = plFrame = undefined;
    x = new Float64Array(0);
    id = new Int32Array(0);
  },
};
