// Inner join: 1M left rows against 10K right rows with unique keys; left keys are uniform in
// twice the right key range, so about half the left rows find a match.
import { tableFromArrays } from "apache-arrow";
import * as aq from "arquero";
import pl from "nodejs-polars";
import {
  expectClose,
  expectEqual,
  permutationInt32,
  uniformFloat64,
  uniformInt32,
} from "../data.js";
import { DataFrame, type DeftFrame } from "../deft.js";
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

const LEFT_ROWS = 1_000_000;
const RIGHT_ROWS = 10_000;
export const JOIN = "inner join 1M x 10k";

let lk: Int32Array = new Int32Array(0);
let lx: Float64Array = new Float64Array(0);
let rk: Int32Array = new Int32Array(0);
let ry: Float64Array = new Float64Array(0);
let expRows = 0;
let expSumY = 0;
let db: DuckDB | undefined;
let aqLeft: aq.ColumnTable | undefined;
let aqRight: aq.ColumnTable | undefined;
let plLeft: pl.DataFrame | undefined;
let plRight: pl.DataFrame | undefined;
let deftRight: DeftFrame | undefined;

function checkJoin(rows: number, y: ArrayLike<number>): void {
  expectEqual("joined rows", rows, expRows);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  expectClose("sum of joined y", s, expSumY);
}

const cases: Case[] = [
  {
    label: "JS hash join",
    group: JOIN,
    run: () => {
      const index = new Map<number, number>();
      for (let j = 0; j < rk.length; j++) index.set(rk[j]!, j);
      // Probe once to size the output, then gather (typed outputs, no per-row objects).
      const match = new Int32Array(lk.length);
      let rows = 0;
      for (let i = 0; i < lk.length; i++) {
        const j = index.get(lk[i]!);
        match[i] = j === undefined ? -1 : j;
        if (j !== undefined) rows++;
      }
      const ok = new Int32Array(rows);
      const ox = new Float64Array(rows);
      const oy = new Float64Array(rows);
      for (let i = 0, o = 0; i < lk.length; i++) {
        const j = match[i]!;
        if (j < 0) continue;
        ok[o] = lk[i]!;
        ox[o] = lx[i]!;
        oy[o++] = ry[j]!;
      }
      return { rows, k: ok, x: ox, y: oy };
    },
    check: (r) => {
      const { rows, y } = r as { rows: number; y: Float64Array };
      checkJoin(rows, y);
    },
  },
  {
    label: "arquero",
    group: JOIN,
    setup: () => {
      aqLeft = aq.table({ k: lk, x: lx });
      aqRight = aq.table({ k: rk, y: ry });
    },
    run: () => aqLeft!.join(aqRight!, "k"),
    check: (t) => checkJoin((t as aq.ColumnTable).numRows(), arqueroColumn(t, "y")),
  },
  {
    label: "polars",
    group: JOIN,
    setup: () => {
      plLeft = pl.DataFrame([pl.Series("k", lk), pl.Series("x", lx)]);
      plRight = pl.DataFrame([pl.Series("k", rk), pl.Series("y", ry)]);
    },
    run: () => plLeft!.join(plRight!, { on: "k", how: "inner" }),
    check: (df) => checkJoin((df as pl.DataFrame).height, polarsColumn(df, "y")),
  },
  {
    label: "duckdb",
    group: JOIN,
    // Materialized inside DuckDB: pulling 500K rows into JS values would time the node API.
    run: () =>
      db!.con.run(
        "CREATE OR REPLACE TEMP TABLE joined AS SELECT l.k, l.x, r.y FROM l JOIN r ON l.k = r.k",
      ),
    check: async () => {
      const row = await duckdbRow(db!, "SELECT count(*)::DOUBLE AS n, sum(y) AS y FROM joined");
      expectEqual("joined rows", row.n, expRows);
      expectClose("sum of joined y", row.y as number, expSumY);
    },
  },
  deftCase(
    JOIN,
    "join",
    () => {
      deftRight = DataFrame().fromColumns({ k: rk, y: ry });
      return DataFrame().fromColumns({ k: lk, x: lx });
    },
    (left) => left.join(deftRight!, { on: "k", how: "inner" }).toArrow(),
    (t) => checkJoin(arrowColumn(t, "y").length, arrowColumn(t, "y")),
  ),
];

export const joinPart: RelationalPart = {
  group: JOIN,
  baseline: "JS hash join",
  cases,
  setup: async (duck) => {
    db = duck;
    lk = uniformInt32(LEFT_ROWS, 2 * RIGHT_ROWS, 13);
    lx = uniformFloat64(LEFT_ROWS, 14);
    rk = permutationInt32(RIGHT_ROWS, 15);
    ry = uniformFloat64(RIGHT_ROWS, 16);
    const yByKey = new Float64Array(RIGHT_ROWS);
    for (let j = 0; j < RIGHT_ROWS; j++) yByKey[rk[j]!] = ry[j]!;
    expRows = 0;
    expSumY = 0;
    for (let i = 0; i < LEFT_ROWS; i++) {
      if (lk[i]! < RIGHT_ROWS) {
        expRows++;
        expSumY += yByKey[lk[i]!]!;
      }
    }
    await loadIntoDuckDB(duck, "l", tableFromArrays({ k: lk, x: lx }));
    await loadIntoDuckDB(duck, "r", tableFromArrays({ k: rk, y: ry }));
  },
  teardown: () => {
    db = aqLeft = aqRight = plLeft = plRight = deftRight = undefined;
  },
};
