import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DeftEvent, ScanEndEvent } from "@deft/core";
import { createContext } from "@deft/core/internal";
import type { RecordBatch } from "apache-arrow";

export const FLIGHTS = path.resolve(
  __dirname,
  "../../../../node_modules/vega-datasets/data/flights-3m.parquet",
);

export function tmpDir(prefix = "deft-io-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ctx = (signal: AbortSignal = new AbortController().signal, threads?: number) =>
  createContext(signal, [], threads);

/** A context that records the run's events; `scan()` is the last scan:end event seen. */
export function probe(threads?: number, signal: AbortSignal = new AbortController().signal) {
  const events: DeftEvent[] = [];
  const context = createContext(signal, [(e) => events.push(e)], threads);
  return {
    ctx: context,
    events,
    scan(): ScanEndEvent {
      const last = events.findLast((e): e is ScanEndEvent => e.type === "scan:end");
      if (!last) throw new Error("no scan:end event was emitted");
      return last;
    },
  };
}

export async function collect(it: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

/** Column values across batches as plain JS (via toArray per batch, fine for test sizes). */
export function columnValues(batches: RecordBatch[], name: string): unknown[] {
  const out: unknown[] = [];
  for (const b of batches) {
    const v = b.getChild(name)!;
    for (let i = 0; i < b.numRows; i++) out.push(v.get(i));
  }
  return out;
}

export const rowCount = (batches: RecordBatch[]): number =>
  batches.reduce((n, b) => n + b.numRows, 0);

/** Files left in a directory (to prove no temp file or partial output remains). */
export const listDir = (dir: string): string[] => fs.readdirSync(dir).sort();
