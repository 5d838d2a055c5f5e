import type { DataType } from "apache-arrow";

/** What `udf()` / `udf.batch()` / `udf.cls()` record about a user function (see udf/udf.ts). */
export interface UdfDef {
  /** Unique per process; lets the optimizer and executor tell two UDFs apart. */
  readonly id: number;
  /** The function's name (or "anonymous"), used in errors, explain and failure records. */
  readonly name: string;
  readonly kind: "row" | "batch";
  readonly returnType: DataType;
  /** Everything else the runtime needs (function, concurrency, retries, workers …). */
  readonly runtime: unknown;
}
