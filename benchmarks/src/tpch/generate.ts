// TPC-H data as Parquet files, generated once per scale factor into a cache folder
// (benchmarks/.cache/tpch/sf-<sf>/, gitignored) and reused while the generator is unchanged.
// `TPCH_SF` picks the scale factor (default 1; 0.01 for a quick run). Run directly to generate:
// `node --import tsx src/tpch/generate.ts` (from benchmarks/).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Table } from "apache-arrow";
import { parquetWasmEncode } from "../peers.js";
import { customer, nation, ordersAndLineitem, part, partsupp, region, supplier } from "./tables.js";

export const TABLES = [
  "region",
  "nation",
  "part",
  "supplier",
  "partsupp",
  "customer",
  "orders",
  "lineitem",
] as const;
export type TableName = (typeof TABLES)[number];
export type TpchFiles = Record<TableName, string>;

/** Bumped whenever the generated data changes, so stale caches are rebuilt. */
const GENERATOR_VERSION = 1;
/** Rows per Parquet row group: several per table at SF 1, so row groups can be read in parallel. */
export const ROW_GROUP_SIZE = 131_072;

const defaultCache = fileURLToPath(new URL("../../.cache/tpch/", import.meta.url));

/** The scale factor from TPCH_SF (default 1). */
export function scaleFactor(): number {
  const raw = process.env.TPCH_SF;
  if (raw === undefined || raw === "") return 1;
  const sf = Number(raw);
  if (!(sf > 0) || !Number.isFinite(sf) || sf > 100) {
    throw new Error(`TPCH_SF=${raw} is not a scale factor; use e.g. TPCH_SF=1 or TPCH_SF=0.01`);
  }
  return sf;
}

function write(path: string, table: Table): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, parquetWasmEncode(table, "snappy", ROW_GROUP_SIZE));
  renameSync(tmp, path); // a half-written file never looks like a cached one
}

/**
 * The eight tables at scale factor `sf` as Parquet files under `root` (generated when missing
 * or made by another generator version). Returns the file paths and whether they were built.
 */
export function ensureTpch(
  sf: number,
  root: string = defaultCache,
  log: (line: string) => void = () => {},
): { dir: string; files: TpchFiles; generated: boolean } {
  const dir = join(root, `sf-${sf}`);
  const files = Object.fromEntries(TABLES.map((t) => [t, join(dir, `${t}.parquet`)])) as TpchFiles;
  const manifest = join(dir, "manifest.json");
  const want = JSON.stringify({ version: GENERATOR_VERSION, sf, rowGroupSize: ROW_GROUP_SIZE });
  const fresh =
    existsSync(manifest) &&
    readFileSync(manifest, "utf8") === want &&
    TABLES.every((t) => existsSync(files[t]));
  if (fresh) return { dir, files, generated: false };
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const step = (name: string, build: () => Table) => {
    const t = performance.now();
    const table = build();
    write(files[name as TableName], table);
    log(
      `   tpch sf ${sf}: ${name} ${table.numRows.toLocaleString("en")} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  };
  step("region", region);
  step("nation", nation);
  step("part", () => part(sf));
  step("supplier", () => supplier(sf));
  step("partsupp", () => partsupp(sf));
  step("customer", () => customer(sf));
  const t = performance.now();
  const { orders, lineitem } = ordersAndLineitem(sf);
  write(files.orders, orders);
  write(files.lineitem, lineitem);
  log(
    `   tpch sf ${sf}: orders ${orders.numRows.toLocaleString("en")} + lineitem ${lineitem.numRows.toLocaleString("en")} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  writeFileSync(manifest, want);
  log(
    `   tpch sf ${sf}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${dir}`,
  );
  return { dir, files, generated: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureTpch(scaleFactor(), defaultCache, console.log);
}
