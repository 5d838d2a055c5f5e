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
  readonly runtime: UdfRuntime;
}

/** A function or class named by module URL and export, loadable on any thread. */
export interface ModuleRef {
  /** Always "module". */
  readonly kind: "module";
  /** A file: URL (string form). */
  readonly url: string;
  /** The export to load ("default" for the default export). */
  readonly exportName: string;
}

/** Any callable a user hands to udf(); arguments and result are checked at run time. */
export type UserFn = (...args: never[]) => unknown;
/** A class a user hands to udf.cls(). */
export type UserClass = new (...args: never[]) => object;

/** Where the code of a UDF comes from. */
export type UdfSource =
  | { kind: "fn"; fn: UserFn }
  | { kind: "module"; ref: ModuleRef }
  | { kind: "class"; cls: UserClass; args: readonly unknown[] }
  | { kind: "classModule"; ref: ModuleRef; args: readonly unknown[] };

/** The validated options and code of one UDF. */
export interface UdfRuntime {
  readonly source: UdfSource;
  /** Calls (rows, or batches for batch UDFs) in flight at once, across all batches of a run. */
  readonly maxConcurrency: number;
  /**
   * Calls in flight at once across every worker process of a distributed run (a budget of
   * permits kept in Redis); locally it caps this process's calls like `maxConcurrency`.
   */
  readonly clusterMaxConcurrency: number | undefined;
  /** Extra attempts per row (batch UDFs: per batch) after a failure. */
  readonly retries: number;
  /** Per call; 0 means no limit. */
  readonly timeoutMs: number;
  readonly onError: "raise" | "null";
  /** Worker threads; 0 runs on the main thread. */
  readonly workers: number;
  /** Rows per call for batch UDFs (exact when given); rows per worker task when set on row UDFs. */
  readonly batchSize: number | undefined;
}
