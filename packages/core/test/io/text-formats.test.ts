import fs from "node:fs";
import path from "node:path";
import { col } from "@deft/core";
import {
  CsvSource,
  IpcSource,
  NdjsonSource,
  readArrow,
  readCsv,
  readJson,
} from "@deft/core/internal";
import { describe, expect, it } from "vitest";
import { collect, columnValues, ctx, rowCount, tmpDir } from "./helpers.js";

const write = (name: string, text: string): string => {
  const p = path.join(tmpDir(), name);
  fs.writeFileSync(p, text);
  return p;
};

const types = (src: { schema: { fields: { name: string; type: unknown }[] } }) =>
  src.schema.fields.map((f) => `${f.name}:${String(f.type)}`);

describe("CSV", () => {
  it("infers bool, int64, float64, date, timestamp and utf8 from a sample", () => {
    const p = write(
      "t.csv",
      "b,i,f,d,ts,tsz,s,empty\ntrue,1,1.5,2024-01-02,2024-01-02 03:04:05,2024-01-02T03:04:05.123456Z,x,\nFALSE,-2,3,1999-12-31,2024-01-02T00:00,2024-01-02T03:04:05Z,y,\n",
    );
    expect(types(new CsvSource(p))).toEqual([
      "b:Bool",
      "i:Int64",
      "f:Float64",
      "d:Date32<DAY>",
      "ts:Timestamp<MILLISECOND>",
      'tsz:Timestamp<MICROSECOND, "UTC">'.replace(', "UTC"', ", UTC"),
      "s:Utf8",
      "empty:Utf8",
    ]);
  });

  it("reads quotes, embedded delimiters and newlines, CRLF, custom delimiter and null values", async () => {
    const p = write(
      "q.csv",
      'a;b;c\r\n1;"x;y";NA\r\n2;"multi\r\nline ""quoted""";3\r\n\r\n3;;4\r\n',
    );
    const src = new CsvSource(p, { delimiter: ";", nullValues: ["NA", ""] });
    expect(types(src)).toEqual(["a:Int64", "b:Utf8", "c:Int64"]);
    const got = await collect(src.scan({}, ctx()));
    expect(columnValues(got, "b")).toEqual(["x;y", 'multi\r\nline "quoted"', null]);
    expect(columnValues(got, "c")).toEqual([null, 3n, 4n]);
  });

  it("headerless files get column_1…, a given schema overrides inference, columns and limit push down", async () => {
    const p = write("h.csv", "1,a\n2,b\n3,c\n");
    const src = new CsvSource(p, { header: false, schema: { column_1: "int32" } });
    expect(types(src)).toEqual(["column_1:Int32", "column_2:Utf8"]);
    const got = await collect(src.scan({ columns: ["column_2"], limit: 2 }, ctx()));
    expect(got.map((b) => b.schema.fields.map((f) => f.name))).toEqual([["column_2"]]);
    expect(columnValues(got, "column_2")).toEqual(["a", "b"]);
  });

  it("streams in batches of batchSize and agrees with a simple reference", async () => {
    const rows = Array.from(
      { length: 10_007 },
      (_, i) => `${i},${i % 7 === 0 ? "" : `s${i}`},${(i * 0.25).toFixed(2)}`,
    );
    const p = write("big.csv", `n,s,x\n${rows.join("\n")}`);
    const got = await collect(new CsvSource(p, { batchSize: 1000 }).scan({}, ctx()));
    expect(got.map((b) => b.numRows)).toEqual([...Array(10).fill(1000), 7]);
    const s = columnValues(got, "s");
    expect(s.filter((v) => v === null).length).toBe(Math.ceil(10_007 / 7));
    expect(s[10_006]).toBe("s10006");
    expect(columnValues(got, "x")[4]).toBe(1);
  });

  it("errors name the file, the line and the column", async () => {
    const wrong = write("w.csv", "a,b\n1,2\n3\n");
    await expect(collect(new CsvSource(wrong).scan({}, ctx()))).rejects.toThrow(
      /CSV file ".*w.csv": line 3 has 1 fields but the header has 2/,
    );
    const bad = write("v.csv", "a,b\n1,2\n3,4\nxx,5\n");
    await expect(collect(new CsvSource(bad, { inferRows: 2 }).scan({}, ctx()))).rejects.toThrow(
      /CSV file ".*v.csv": line 4, column "a": cannot read "xx" as int64. Pass \{ schema: \{ "a": "utf8" \} \}/,
    );
    const open = write("o.csv", 'a,b\n1,"unclosed\n');
    expect(() => new CsvSource(open)).toThrow(/line 2: a quoted field is not closed/);
    expect(() => new CsvSource(write("e.csv", ""))).toThrow(/is empty/);
    expect(() => new CsvSource(write("d.csv", "a,a\n1,2\n"))).toThrow(/two columns named "a"/);
    expect(() => new CsvSource(write("s.csv", "a\n1\n"), { schema: { zz: "int32" } })).toThrow(
      /schema names column "zz"/,
    );
    expect(() => readCsv("/no/such.csv")).toThrow(/CSV file "\/no\/such.csv": no such file/);
  });

  it("works through a DataFrame", async () => {
    const p = write("df.csv", "n,s\n1,a\n2,b\n3,c\n");
    expect(await readCsv(p).filter(col("n").gt(1)).count()).toBe(2);
  });
});

describe("NDJSON", () => {
  it("infers scalar, list and struct fields and reads nulls and missing keys", async () => {
    const p = write(
      "a.ndjson",
      '{"a":1,"b":"x","c":[1,2],"d":{"e":true}}\n\n{"a":2.5,"c":null}\r\n{"b":"z","d":{"e":false,"f":"new"}}\n',
    );
    const src = new NdjsonSource(p);
    expect(types(src)).toEqual([
      "a:Float64",
      "b:Utf8",
      "c:List<Int64>",
      "d:Struct<{e:Bool, f:Utf8}>",
    ]);
    const got = await collect(src.scan({}, ctx()));
    expect(rowCount(got)).toBe(3);
    expect(columnValues(got, "a")).toEqual([1, 2.5, null]);
    expect(columnValues(got, "b")).toEqual(["x", null, "z"]);
    expect(columnValues(got, "c").map((v) => (v ? [...(v as Iterable<bigint>)] : v))).toEqual([
      [1n, 2n],
      null,
      null,
    ]);
  });

  it("errors name the file and the line", async () => {
    expect(() => new NdjsonSource(write("x.ndjson", '{"a":1}\n{oops}\n'))).toThrow(
      /NDJSON file ".*x.ndjson": line 2: invalid JSON/,
    );
    expect(() => new NdjsonSource(write("m.ndjson", '{"a":1}\n{"a":"s"}\n'))).toThrow(
      /field "a" holds mixed kinds/,
    );
    const p = write("t.ndjson", '{"a":1}\n{"a":2}\n{"a":"three"}\n');
    await expect(collect(new NdjsonSource(p, { inferRows: 2 }).scan({}, ctx()))).rejects.toThrow(
      /line 3, column "a": cannot read "three" as int64/,
    );
    expect(() => new NdjsonSource(write("arr.ndjson", "[1,2]\n"))).toThrow(
      /line 1: expected a JSON object, got an array/,
    );
  });

  it("limit stops reading and a given schema wins", async () => {
    const p = write(
      "l.ndjson",
      Array.from({ length: 100 }, (_, i) =>
        JSON.stringify({ i, t: "2024-01-01T00:00:00.5Z" }),
      ).join("\n"),
    );
    const src = new NdjsonSource(p, { schema: { i: "int32", t: "timestamp[ms, UTC]" } });
    const got = await collect(src.scan({ limit: 5 }, ctx()));
    expect(rowCount(got)).toBe(5);
    expect(columnValues(got, "t")[0]).toBe(Date.parse("2024-01-01T00:00:00.5Z"));
    expect(await readJson(p).count()).toBe(100);
  });
});

describe("Arrow IPC", () => {
  const flights = path.resolve(
    __dirname,
    "../../../../node_modules/vega-datasets/data/flights-200k.arrow",
  );

  it("reads a real IPC file with column projection and limit", async () => {
    const src = new IpcSource(flights);
    expect(types(src)).toEqual(["delay:Int16", "distance:Int16", "time:Float32"]);
    const got = await collect(src.scan({ columns: ["time"], limit: 1234 }, ctx()));
    expect(rowCount(got)).toBe(1234);
    expect(got[0]!.schema.fields.map((f) => f.name)).toEqual(["time"]);
    expect(await readArrow(flights).count()).toBe(200_000);
  });

  it("errors on missing, junk and truncated files", () => {
    expect(() => new IpcSource("/no/x.arrow")).toThrow(
      /Arrow IPC file "\/no\/x.arrow": no such file/,
    );
    expect(() => new IpcSource(write("j.arrow", "not arrow at all"))).toThrow(
      /Arrow IPC file ".*j.arrow"/,
    );
    const cut = write("cut.arrow", "");
    fs.writeFileSync(cut, fs.readFileSync(flights).subarray(0, 5000));
    expect(() => new IpcSource(cut)).toThrow(/is truncated: the Arrow file footer is missing/);
  });
});
