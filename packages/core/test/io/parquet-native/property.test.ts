import path from "node:path";
import { writeParquetBatches } from "@deft/core/internal";
import {
  Bool,
  type DataType,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, it } from "vitest";
import { tmpDir } from "../helpers.js";
import {
  columnCells,
  duckRun,
  expectSameCells,
  num,
  readWithDeft,
  readWithWasm,
} from "./helpers.js";

// Random flat tables written by deft's writeParquet (parquet-wasm) and rewritten by DuckDB
// (V1 or V2 encodings) read back through the native decoder: equal to the values written
// and, for deft's own files, to parquet-wasm's reading of them.

type Column = { name: string; type: DataType; values: unknown[]; text: (v: never) => string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const kinds = {
  i8: { type: new Int8(), arb: fc.integer({ min: -128, max: 127 }), text: String },
  i16: { type: new Int16(), arb: fc.integer({ min: -32768, max: 32767 }), text: String },
  i32: { type: new Int32(), arb: fc.integer(), text: String },
  i64: {
    type: new Int64(),
    arb: fc.oneof(
      fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n),
      fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
    ),
    text: String,
  },
  f32: { type: new Float32(), arb: fc.float(), text: (v: number) => num(Math.fround(v)) },
  f64: { type: new Float64(), arb: fc.double(), text: num },
  b: { type: new Bool(), arb: fc.boolean(), text: String },
  s: {
    type: new Utf8(),
    arb: fc.string({ unit: "grapheme", maxLength: 12 }),
    text: (v: string) => v,
  },
  code: {
    type: new Utf8(),
    arb: fc.constantFrom("", "a", "ø", "日本", "🦆🦆", "long-ish label"),
    text: (v: string) => v,
  },
} as const;

const tableArb = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record(
    Object.fromEntries(
      Object.entries(kinds).map(([name, k]) => [
        name,
        fc.array(fc.option(k.arb as fc.Arbitrary<unknown>, { freq: 5 }), {
          minLength: n,
          maxLength: n,
        }),
      ]),
    ) as Record<keyof typeof kinds, fc.Arbitrary<unknown[]>>,
  ),
);

function toTable(data: Record<string, unknown[]>): { table: Table; columns: Column[] } {
  const columns: Column[] = Object.entries(kinds).map(([name, k]) => ({
    name,
    type: k.type,
    values: data[name]!,
    text: k.text as (v: never) => string,
  }));
  const schema = new Schema(columns.map((c) => new Field(c.name, c.type, true)));
  const n = columns[0]!.values.length;
  const children = columns.map((c) => vectorFromArray(c.values as never, c.type).data[0]!);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: n, children }),
  );
  return { table: new Table([batch]), columns };
}

let dir: string;
let seq = 0;

describe("random flat tables through the native decoder", () => {
  it("equal the values written and parquet-wasm's reading (deft's writer, then DuckDB's)", async () => {
    dir = tmpDir("deft-native-prop-");
    await fc.assert(
      fc.asyncProperty(
        tableArb,
        fc.constantFrom("zstd", "snappy", "none"),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom("V1", "V2"),
        fc.constantFrom("zstd", "snappy", "uncompressed", "lz4_raw"),
        async (data, compression, rowGroupSize, version, duckCodec) => {
          const { table, columns } = toTable(data);
          const names = columns.map((c) => c.name);
          const deftFile = path.join(dir, `deft-${seq}.parquet`);
          const duckFile = path.join(dir, `duck-${seq++}.parquet`);
          await writeParquetBatches(table.batches, table.schema, deftFile, {
            compression,
            rowGroupSize,
          });
          await duckRun(
            `COPY (SELECT * FROM read_parquet('${deftFile}')) TO '${duckFile}' (FORMAT parquet, PARQUET_VERSION ${version}, COMPRESSION ${duckCodec}, ROW_GROUP_SIZE ${rowGroupSize})`,
          );
          for (const file of [deftFile, duckFile]) {
            const { table: got, decoder } = await readWithDeft(file, names);
            if (decoder !== "native") throw new Error(`${file} was read by ${decoder}`);
            // parquet-wasm 0.8 traps on some of DuckDB's V2 files: it is the second reference
            // for deft's own files only.
            const wasm = file === deftFile ? await readWithWasm(file, names) : undefined;
            for (const c of columns) {
              const cells = columnCells(got, c.name);
              const what = `${path.basename(file)} column ${c.name}`;
              expectSameCells(
                cells,
                c.values.map((v) => (v === null ? null : c.text(v as never))),
                what,
              );
              if (wasm) expectSameCells(cells, columnCells(wasm, c.name), `${what} (parquet-wasm)`);
            }
          }
        },
      ),
      { numRuns: 50, endOnFailure: true },
    );
  }, 240_000);
});
