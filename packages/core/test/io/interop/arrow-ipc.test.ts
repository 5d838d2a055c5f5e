import fs from "node:fs";
import path from "node:path";
import { readArrow, readParquet } from "@deft/core";
import * as A from "apache-arrow";
import pl from "nodejs-polars";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers.js";
import { arrowRows, type Plain, polarsRows } from "./helpers.js";

// Arrow IPC files written by apache-arrow's own writer (the types pyarrow and arrow-rs write
// that DuckDB and polars do not), read by deft, written back by deft as Parquet and IPC and
// read again by deft and (where polars has the type) by polars.

interface IpcCase {
  column: () => A.Vector;
  /** The type deft reads it as. */
  arrow: string;
  /** deft's values in plain form (row 1 is null). */
  values: Plain[];
  /** polars reads deft's IPC copy with these values (absent: polars lacks the type). */
  polars?: boolean;
  /** Why deft's Parquet copy is refused, when it is. */
  noParquet?: RegExp;
  /** The type and values deft reads its Parquet copy back as, when not `arrow` / `values`. */
  parquet?: { arrow: string; values: Plain[] };
}

const CASES: Record<string, IpcCase> = {
  "Time32(ms)": {
    column: () => A.vectorFromArray([1000, null], new A.TimeMillisecond()),
    arrow: "Time32<MILLISECOND>",
    values: ["1000", null],
  },
  "Timestamp(us, +00:00)": {
    column: () => A.vectorFromArray([10, null], new A.TimestampMicrosecond("+00:00")),
    arrow: "Timestamp<MICROSECOND, UTC>",
    values: ["10000", null],
    polars: true,
  },
  "Timestamp(ms, America/New_York)": {
    column: () => A.vectorFromArray([10, null], new A.TimestampMillisecond("America/New_York")),
    arrow: "Timestamp<MILLISECOND, America/New_York>",
    values: ["10", null],
    polars: true,
  },
  Utf8View: {
    column: () => A.vectorFromArray(["a", null, "longer than twelve bytes"], new A.Utf8View()),
    arrow: "Utf8",
    values: ["a", null, "longer than twelve bytes"],
    polars: true,
  },
  BinaryView: {
    column: () => A.vectorFromArray([new Uint8Array([1, 255]), null], new A.BinaryView()),
    arrow: "Binary",
    values: ["01ff", null],
  },
  LargeUtf8: {
    column: () => A.vectorFromArray(["日本", null], new A.LargeUtf8()),
    arrow: "Utf8",
    values: ["日本", null],
    polars: true,
  },
  "LargeList(Int32)": {
    column: () =>
      A.vectorFromArray(
        [[1, null], null],
        new A.LargeList(new A.Field("item", new A.Int32(), true)),
      ),
    arrow: "List<Int32>",
    values: [["1", null], null],
    polars: true,
  },
  "Dictionary(Int8, Utf8)": {
    column: () => A.vectorFromArray(["x", null, "y"], new A.Dictionary(new A.Utf8(), new A.Int8())),
    arrow: "Utf8",
    values: ["x", null, "y"],
    polars: true,
  },
  "Interval(DAY_TIME)": {
    column: () => A.vectorFromArray([new Int32Array([3, 1500]), null], new A.IntervalDayTime()),
    arrow: "Interval<DAY_TIME>",
    values: ["3:1500", null],
    // Parquet's INTERVAL reads as MONTH_DAY_NANO (1.5 s is 1.5e9 ns).
    parquet: { arrow: "Interval<MONTH_DAY_NANO>", values: ["0:3:1500000000", null] },
  },
  "Interval(MONTH_DAY_NANO)": {
    column: () =>
      A.vectorFromArray([new Int32Array([14, 2, 3, 0]), null], new A.IntervalMonthDayNano()),
    arrow: "Interval<MONTH_DAY_NANO>",
    values: ["14:2:3", null],
    noParquet:
      /writeParquet: column "c" \(Interval<MONTH_DAY_NANO>\) cannot be written: .*Write Arrow IPC/,
  },
  Date64: {
    column: () => A.vectorFromArray([86_400_000, null], new A.DateMillisecond()),
    arrow: "Date64<MILLISECOND>",
    values: ["86400000", null],
  },
};

let dir: string;
beforeAll(() => {
  dir = tmpDir("deft-interop-ipc-");
});

describe("Arrow IPC written by apache-arrow, read and written back by deft", () => {
  it.each(Object.keys(CASES))("%s", async (name) => {
    const c = CASES[name]!;
    const slug = name.replace(/\W+/g, "_");
    const file = path.join(dir, `${slug}.arrow`);
    fs.writeFileSync(file, A.tableToIPC(new A.Table({ c: c.column() }), "file"));
    const df = readArrow(file);
    expect(String(df.schema.fields[0]!.type)).toBe(c.arrow);
    const values = arrowRows(await df.toArrow()).map((r) => r.c);
    expect(values).toEqual(c.values);

    const ipc = path.join(dir, `${slug}-by-deft.ipc`);
    await df.writeArrow(ipc);
    expect(arrowRows(await readArrow(ipc).toArrow()).map((r) => r.c)).toEqual(c.values);
    if (c.polars) {
      const back = polarsRows(pl, pl.readIPC(ipc)).map((r) => r.c);
      expect(back).toEqual(c.values);
    }

    const parquet = path.join(dir, `${slug}-by-deft.parquet`);
    if (c.noParquet) {
      await expect(df.writeParquet(parquet)).rejects.toThrow(c.noParquet);
      expect(fs.existsSync(parquet)).toBe(false);
      return;
    }
    await df.writeParquet(parquet);
    const again = readParquet(parquet);
    expect(String(again.schema.fields[0]!.type)).toBe(c.parquet?.arrow ?? c.arrow);
    expect(arrowRows(await again.toArrow()).map((r) => r.c)).toEqual(c.parquet?.values ?? c.values);
  });
});
