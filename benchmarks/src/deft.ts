// The slice of the @deft/core API the workloads measure, loaded by name at run time. Parts of
// the engine land at different times (relational operators, Parquet I/O); a workload asks for
// what it needs in a case's setup, and a missing export or method becomes a "not available"
// row (NotAvailableError / TypeError "… is not a function") instead of a crashed suite.
import * as core from "@deft/core";
import type { Table } from "apache-arrow";
import { NotAvailableError } from "./runner.js";

type Expr = core.Expr;

/** What the benchmarks call on a DataFrame (the public API's names and semantics). */
export interface DeftFrame {
  withColumn(name: string, expr: Expr): DeftFrame;
  filter(expr: Expr): DeftFrame;
  groupBy(...keys: string[]): { agg(...aggs: Expr[]): DeftFrame };
  join(
    other: DeftFrame,
    opts: { on: string; how?: "inner" | "left" | "right" | "outer" },
  ): DeftFrame;
  sort(by: string, opts?: { descending?: boolean }): DeftFrame;
  toArrow(): Promise<Table>;
  writeParquet(
    path: string,
    opts?: { compression?: "zstd" | "snappy" | "none"; rowGroupSize?: number },
  ): Promise<unknown>;
}

export interface DeftDataFrameStatics {
  fromColumns(columns: Record<string, ArrayLike<unknown>>): DeftFrame;
  fromArrow(table: Table): DeftFrame;
}

export const col = core.col;

function exported<T>(name: string): T {
  const value = (core as Record<string, unknown>)[name];
  if (value === undefined) throw new NotAvailableError(`@deft/core does not export ${name} yet`);
  return value as T;
}

export function DataFrame(): DeftDataFrameStatics {
  return exported<DeftDataFrameStatics>("DataFrame");
}

export function readParquet(
  path: string,
  opts?: { columns?: string[]; batchSize?: number },
): DeftFrame {
  return exported<(p: string, o?: typeof opts) => DeftFrame>("readParquet")(path, opts);
}

/** Throws NotAvailableError unless `frame` has every named method (checked at setup, before
 * any timing, so a half-landed engine shows as "not available", not as a failure). */
export function requireMethods(frame: object, ...methods: string[]): void {
  for (const m of methods) {
    if (typeof (frame as Record<string, unknown>)[m] !== "function") {
      throw new NotAvailableError(`DataFrame.${m} is not implemented yet`);
    }
  }
}
