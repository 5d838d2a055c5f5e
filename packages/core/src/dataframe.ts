import type { RecordBatch, Schema, Table } from "apache-arrow";
import { tableFromBatches } from "./dataframe-arrow.js";
import {
  batchesFromArrow,
  batchFromColumns,
  batchFromRecords,
  type SchemaLike,
} from "./dataframe-construct.js";
import type { UdfFailure } from "./exec/context.js";
import { type RunOptions, runPlan, setProgressFactory } from "./exec/execute.js";
import { lowerPlan } from "./exec/lower.js";
import { writeResultOf } from "./exec/sink.js";
import { resolveThreads } from "./exec/threads/count.js";
import { type ExprNode, type LitValue, outputName, some, stripAlias } from "./expr/ast.js";
import { Expr, type ExprLike, toNode } from "./expr/expr.js";
import { columnCells, formatTable } from "./format/table.js";
import { GroupBy } from "./groupby.js";
import type { ArrowWriteOptions } from "./io/ipc.js";
import type { ParquetWriteOptions } from "./io/parquet-writer.js";
import type { CsvWriteOptions } from "./io/text-writers.js";
import type { WriteOptions, WriteResult } from "./io/write-batches.js";
import type { ColumnInput } from "./kernels/from-js.js";
import { type ToJsOptions, valuesOf } from "./kernels/to-js.js";
import { optimize } from "./optimizer/optimize.js";
import { aggregateExprsPlan } from "./plan/agg-exprs.js";
import { filterNode, projectNode } from "./plan/build.js";
import { formatOperators, formatPlan } from "./plan/explain.js";
import { type PlanJson, planFromJson, planToJson } from "./plan/json/plan.js";
import { intoBatchesNode } from "./plan/nodes/into-batches.js";
import { limitNode } from "./plan/nodes/limit.js";
import { rowIndexNode } from "./plan/nodes/row-index.js";
import { type SampleOptions, sampleNode } from "./plan/nodes/sample.js";
import { type SinkTarget, sinkNode } from "./plan/nodes/sink.js";
import { objectSourceNode, sourceNode } from "./plan/nodes/source.js";
import { tailNode } from "./plan/nodes/tail.js";
import type { NamedExpr, PlanNode } from "./plan/nodes.js";
import {
  concatPlan,
  distinctPlan,
  explodePlan,
  type JoinOptions,
  joinPlan,
  type KeyInput,
  type SortOptions,
  sortPlan,
} from "./plan/relational.js";
import { fieldOf, PlanError, typeAt } from "./plan/resolve.js";
import type { ScanSource } from "./plan/source.js";
import { windowFilterPlan, windowProjectPlan } from "./plan/window-exprs.js";
import { typeName } from "./types/dtype.js";
import { firstWindow, type Placement } from "./types/typing.js";
import { progressSubscriber } from "./udf/progress.js";
import { describe } from "./verbs/describe.js";
import { dropNulls, fillNull } from "./verbs/nulls.js";
import { distinctOnValues, type PivotOptions, pivotColumns, pivotWith } from "./verbs/pivot.js";
import { setOperation } from "./verbs/set-ops.js";
import { type UnionByNameOptions, unionByName } from "./verbs/union-by-name.js";
import { unnest } from "./verbs/unnest.js";
import { type UnpivotOptions, unpivot } from "./verbs/unpivot.js";

export type { RunOptions } from "./exec/execute.js";

// `progress: true` draws the UDF operators' bars (a TTY only).
setProgressFactory(progressSubscriber);

/** `toRecords`/`iterRows` options: run options plus how Int64 comes out. */
export interface RecordOptions extends RunOptions {
  /** "bigint" (default) or "number" (throws on values beyond 2^53). */
  int64?: "bigint" | "number";
  /** "string" (default): a decimal as its exact text ("123.45"); "number": the nearest double. */
  decimal?: "string" | "number";
}

/** A column selector: a name or an expression. */
export type ColumnLike = string | Expr;

/**
 * A lazy, immutable table. Every transform returns a new DataFrame with one more plan node;
 * nothing runs until a method that returns a Promise (or an async iterable) is called.
 */
export class DataFrame {
  /** @internal Use the static constructors; `plan` is the logical plan this frame stands for. */
  constructor(
    /** @internal The logical plan this frame stands for. */
    readonly plan: PlanNode,
  ) {}

  // ── construction ──────────────────────────────────────────────────────────────────────

  /**
   * A DataFrame over any {@link ScanSource}; nothing is read until the frame runs.
   * large_utf8/large_binary columns come out as utf8/binary. Such a plan runs only in this
   * process: `JSON.stringify` of it throws a PlanError (the readers' plans travel).
   */
  static fromSource(source: ScanSource): DataFrame {
    return new DataFrame(objectSourceNode(source));
  }
  /**
   * Rebuilds a DataFrame from the output of `JSON.stringify(df)` (the text, or the parsed
   * object), in this or any other process that can reach the same files and UDF modules.
   * Every node is checked as the method that made it would check it, so a file that changed
   * its columns fails here with a PlanError naming the column.
   */
  static fromJSON(json: string | object): DataFrame {
    return new DataFrame(planFromJson(json));
  }
  /** Plain objects -> a DataFrame; types are inferred (see docs) unless `schema` is given. */
  static fromRecords(
    records: readonly Record<string, unknown>[],
    opts: { schema?: SchemaLike } = {},
  ): DataFrame {
    const batch = batchFromRecords(records, opts.schema);
    return memoryFrame(batch.schema, [batch]);
  }
  /** Columns -> a DataFrame. Typed arrays are used without copying. */
  static fromColumns(
    columns: Record<string, ColumnInput>,
    opts: { schema?: SchemaLike } = {},
  ): DataFrame {
    const batch = batchFromColumns(columns, opts.schema);
    return memoryFrame(batch.schema, [batch]);
  }
  /** An apache-arrow Table, RecordBatch or list of RecordBatches (zero copy). */
  static fromArrow(input: Table | RecordBatch | readonly RecordBatch[]): DataFrame {
    const { schema, batches } = batchesFromArrow(input);
    return memoryFrame(schema, batches);
  }
  /** One Int64 column "id": `range(n)` is 0..n-1; `range(start, end, step?)`. */
  static range(startOrEnd: number, end?: number, step = 1): DataFrame {
    const [s, e] = end === undefined ? [0, startOrEnd] : [startOrEnd, end];
    if (
      !Number.isSafeInteger(s) ||
      !Number.isSafeInteger(e) ||
      !Number.isSafeInteger(step) ||
      step === 0
    ) {
      throw new RangeError(
        `range() takes whole numbers and a non-zero step, got (${startOrEnd}, ${end}, ${step}).`,
      );
    }
    return new DataFrame(
      sourceNode({ format: "range", paths: [], options: { start: s, end: e, step } }),
    );
  }

  // ── schema ────────────────────────────────────────────────────────────────────────────

  /** The output schema (names, types, nullability), known without running anything. */
  get schema(): Schema {
    return this.plan.schema;
  }
  /** The output column names, in order. */
  get columns(): string[] {
    return this.plan.schema.fields.map((f) => f.name);
  }

  // ── transforms ────────────────────────────────────────────────────────────────────────

  /**
   * Adds column `name` (or replaces it in place) computed by `expr`; a plain value is a literal.
   * Throws PlanError at once when the expression names an unknown column or mixes types.
   */
  withColumn(name: string, expr: ExprLike): DataFrame {
    return this.withColumns({ [name]: expr });
  }
  /** Adds or replaces columns; expressions see the columns as they were before this call. */
  withColumns(columns: Record<string, ExprLike>): DataFrame {
    const added = Object.entries(columns).map(([name, e]) => ({
      name,
      expr: this.check(toNode(e), `withColumn("${name}")`, "window"),
    }));
    const replaced = new Map(added.map((a) => [a.name, a]));
    const exprs: NamedExpr[] = this.columns.map(
      (name) => replaced.get(name) ?? { name, expr: { kind: "col", name } },
    );
    for (const a of added) if (!this.columns.includes(a.name)) exprs.push(a);
    return this.next(this.project(exprs));
  }
  /** Columns by name or expression (an expression's name is its alias or first column). */
  select(...columns: (ColumnLike | ColumnLike[])[]): DataFrame {
    const flat = columns.flat();
    // Windows make every output one value per row; else aggregations may make it one row.
    const at = flat.some((c) => typeof c !== "string" && firstWindow(c.node))
      ? "window"
      : "aggregate";
    const exprs = flat.map((c) => {
      const node =
        typeof c === "string"
          ? this.check({ kind: "col", name: c }, "select()", at)
          : this.check(c.node, "select()", at);
      return { name: outputName(node), expr: node };
    });
    if (at === "aggregate" && exprs.some((e) => some(e.expr, (n) => n.kind === "agg")))
      return this.globalAgg(exprs);
    const seen = new Set<string>();
    for (const e of exprs) {
      if (seen.has(e.name))
        throw new PlanError(
          `select() would make two columns named "${e.name}". Give one an .alias("other").`,
        );
      seen.add(e.name);
    }
    return this.next(this.project(exprs));
  }
  /** All columns but these. */
  exclude(...names: string[]): DataFrame {
    for (const n of names) fieldOf(this.schema, n, " in exclude()");
    return this.select(...this.columns.filter((c) => !names.includes(c)));
  }
  /** `rename({ from: "to" })`. */
  rename(mapping: Record<string, string>): DataFrame {
    for (const from of Object.keys(mapping)) fieldOf(this.schema, from, " in rename()");
    const exprs = this.columns.map((name) => ({
      name: mapping[name] ?? name,
      expr: { kind: "col", name } as ExprNode,
    }));
    return this.next(projectNode(this.plan, exprs));
  }
  /** Rows where the predicate is true (null counts as false). */
  filter(predicate: Expr): DataFrame {
    if (!(predicate instanceof Expr)) {
      const got =
        typeof predicate === "string"
          ? `the string ${JSON.stringify(predicate)}`
          : typeof predicate;
      throw new PlanError(
        `filter() takes an expression, e.g. filter(col("qty").gt(2)); got ${got} (deft does not parse expression strings).`,
      );
    }
    const node = predicate.node;
    const t = typeAt(node, this.schema, "filter()", "window");
    if (typeName(t) !== "bool" && typeName(t) !== "null") {
      throw new PlanError(
        `filter() needs a boolean expression, but ${predicate.toString()} is ${typeName(t)}. Compare it, e.g. .gt(0).`,
      );
    }
    if (firstWindow(node)) return this.next(windowFilterPlan(this.plan, node));
    return this.next(filterNode(this.plan, node));
  }
  /** Alias of filter. */
  where(predicate: Expr): DataFrame {
    return this.filter(predicate);
  }
  /** The first n rows (after skipping `offset`). */
  limit(n: number, offset = 0): DataFrame {
    if (!Number.isInteger(n) || n < 0 || !Number.isInteger(offset) || offset < 0) {
      throw new RangeError(
        `limit() takes a whole number >= 0, got ${n}${offset ? ` (offset ${offset})` : ""}.`,
      );
    }
    return this.next(limitNode(this.plan, n, offset));
  }
  /** Alias of limit. */
  head(n = 10): DataFrame {
    return this.limit(n);
  }
  /** The last n rows, in order (reads the whole input, keeping about n rows). */
  tail(n = 10): DataFrame {
    return this.next(tailNode(this.plan, n));
  }
  /** A first int64 column `name` numbering the rows from 0, in the order they arrive. */
  withRowIndex(name = "index"): DataFrame {
    return this.next(rowIndexNode(this.plan, name));
  }
  /**
   * A seeded random sample, in input order: `{ n }` exactly n rows (all when fewer), or
   * `{ fraction }` each row with that probability. The same seed gives the same rows at any
   * batch size and thread count; without one, a seed is drawn when the plan is built.
   */
  sample(opts: SampleOptions): DataFrame {
    return this.next(sampleNode(this.plan, opts));
  }
  /** Re-chunks into batches of exactly `rows` rows (the last may be shorter). */
  intoBatches(rows: number): DataFrame {
    if (!Number.isInteger(rows) || rows < 1)
      throw new RangeError(`intoBatches() takes a whole number >= 1, got ${rows}.`);
    return this.next(intoBatchesNode(this.plan, rows));
  }

  /**
   * Sorts by one or more keys (names or expressions). Stable; nulls last unless `nullsFirst`;
   * `descending` and `nullsFirst` take one value or one per key. `sort(...).limit(n)` runs as
   * a top-N without sorting everything.
   */
  sort(by: KeyInput | KeyInput[], opts: SortOptions = {}): DataFrame {
    return this.next(sortPlan(this.plan, by, opts));
  }
  /** Groups by keys (names or expressions); finish with `.agg(...)`. Null keys form a group. */
  groupBy(...keys: (KeyInput | KeyInput[])[]): GroupBy {
    return new GroupBy(this, keys.flat());
  }
  /**
   * Hash join: `on` (same names) or `leftOn`/`rightOn`; `how` is inner (default), left, right,
   * outer, semi or anti. Null keys never match. Clashing right-side names get `suffix`
   * (default "_right").
   */
  join(other: DataFrame, opts: JoinOptions): DataFrame {
    return this.next(joinPlan(this.plan, other.plan, opts));
  }
  /** One row per element of a list column; an empty or null list gives one row with null. */
  explode(column: string): DataFrame {
    return this.next(explodePlan(this.plan, column));
  }
  /**
   * Each struct column replaced, where it stands, by its fields as columns (a multi-output
   * UDF's result: `df.withColumn("r", f(col("x"))).unnest("r")`).
   */
  unnest(...columns: string[]): DataFrame {
    return unnest(this, columns);
  }
  /** Unique rows over `columns` (all columns when none are named), first occurrence kept. */
  distinct(...columns: string[]): DataFrame {
    return this.next(distinctPlan(this.plan, columns));
  }
  /** Rows of this DataFrame followed by the others' (schemas must match by name and type). */
  concat(...others: DataFrame[]): DataFrame {
    return this.next(concatPlan([this.plan, ...others.map((o) => o.plan)]));
  }

  /**
   * SQL's UNION ALL BY NAME: these rows, then `other`'s, columns matched by name (numbers of
   * different types meet in their supertype). With `allowMissing`, a column one side lacks
   * is null there. Duplicates are kept.
   */
  unionByName(other: DataFrame, opts: UnionByNameOptions = {}): DataFrame {
    return unionByName(this, other, opts);
  }
  /** SQL's INTERSECT: the distinct rows that are also in `other` (null equals null). */
  intersect(other: DataFrame): DataFrame {
    return setOperation(this, other, "intersect");
  }
  /** SQL's EXCEPT: the distinct rows that are not in `other` (null equals null). */
  except(other: DataFrame): DataFrame {
    return setOperation(this, other, "except");
  }
  /** Rows without a null in `columns` (in any column when none are named). */
  dropNulls(...columns: string[]): DataFrame {
    return dropNulls(this, columns);
  }
  /**
   * Fills nulls: `fillNull(0)` in every column the value fits (types kept; see docs),
   * `fillNull({ column: valueOrExpr })` in the named columns.
   */
  fillNull(value: LitValue | Record<string, ExprLike>): DataFrame {
    return fillNull(this, value);
  }

  /**
   * Wide to long: for each `on` column (default: all but `index`), every row as the index
   * columns, `variable` (the column's name) and `value`; column by column, nulls kept.
   */
  unpivot(opts: UnpivotOptions = {}): DataFrame {
    return unpivot(this, opts);
  }
  /**
   * Long to wide: one row per `index` key, one column per `on` value holding the `agg` of
   * `values` (null where no row). With `onValues` the columns are those, in that order, and
   * the result is lazy; without, the input runs once to find them (sorted, nulls last).
   */
  pivot(opts: PivotOptions & { onValues: readonly LitValue[] }): DataFrame;
  pivot(opts: PivotOptions & { onValues?: undefined }): Promise<DataFrame>;
  pivot(opts: PivotOptions): DataFrame | Promise<DataFrame>;
  pivot(opts: PivotOptions): DataFrame | Promise<DataFrame> {
    if (opts.onValues) return pivotWith(this, opts, opts.onValues);
    // Bad options throw here, before anything runs.
    pivotColumns(this, opts);
    return distinctOnValues(this, opts.on).then((values) => pivotWith(this, opts, values));
  }

  // ── inspection ────────────────────────────────────────────────────────────────────────

  /**
   * One line naming the columns and their types, e.g.
   * `DataFrame [city: utf8, temp: float64] (lazy: .show() or .toRecords() runs it)`. Nothing
   * runs; `console.log(df)` prints the same.
   */
  toString(): string {
    const cols = this.schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
    return `DataFrame [${cols}] (lazy: .show() or .toRecords() runs it)`;
  }

  /** What `console.log` and `util.inspect` print: `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * The plan as indented trees: the logical plan as built, and with `optimized` the plan the
   * optimizer produced, with `physical` the operators that will run, with the thread count a
   * run with `threads` (default: as a run's) would use and how scans split into tasks.
   */
  explain(opts: { optimized?: boolean; physical?: boolean; threads?: number } = {}): string {
    const parts = [`== Logical plan ==\n${formatPlan(this.plan)}`];
    if (opts.optimized || opts.physical) {
      const optimized = optimize(this.plan);
      if (opts.optimized) parts.push(`== Optimized plan ==\n${formatPlan(optimized)}`);
      if (opts.physical) {
        const threads = resolveThreads(opts.threads);
        parts.push(
          `== Physical plan (threads: ${threads}) ==\n${formatOperators(lowerPlan(optimized))}`,
        );
      }
    }
    return parts.join("\n\n");
  }

  // ── running ───────────────────────────────────────────────────────────────────────────

  /** Streams the result batch by batch (bounded memory; breaking out stops the sources). */
  iterBatches(opts: RunOptions = {}): AsyncIterable<RecordBatch> {
    return { [Symbol.asyncIterator]: () => runPlan(this.plan, opts) };
  }
  /** Streams rows as plain objects. */
  async *iterRows(opts: RecordOptions = {}): AsyncGenerator<Record<string, unknown>> {
    for await (const batch of this.iterBatches(opts)) yield* rowsOf(batch, opts);
  }
  /** Runs the plan and keeps the result in memory as a new DataFrame. */
  async collect(opts: RunOptions = {}): Promise<DataFrame> {
    return memoryFrame(this.schema, await this.collectBatches(opts));
  }
  /** Runs the plan; rows whose UDF failed under `onError: "null"` are listed in `failures`. */
  async collectWithFailures(opts: RunOptions = {}): Promise<{
    /** The result, materialized; a failed row's UDF value is null. */
    data: DataFrame;
    /** One record per row whose UDF call failed (after its retries). */
    failures: UdfFailure[];
  }> {
    let failures: UdfFailure[] = [];
    const batches: RecordBatch[] = [];
    for await (const b of runPlan(this.plan, opts, (ctx) => {
      failures = ctx.failures;
    })) {
      batches.push(b);
    }
    return { data: memoryFrame(this.schema, batches), failures };
  }
  /** Runs the plan and returns the result as one apache-arrow Table (batches kept, not copied). */
  async toArrow(opts: RunOptions = {}): Promise<Table> {
    return tableFromBatches(this.schema, await this.collectBatches(opts));
  }
  /**
   * Runs the plan and returns one plain object per row: Int64 as bigint (unless `int64:
   * "number"`), dates and timestamps as Date, lists as arrays, structs as objects, null for null.
   */
  async toRecords(opts: RecordOptions = {}): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const b of await this.collectBatches(opts)) for (const r of rowsOf(b, opts)) out.push(r);
    return out;
  }
  /** `{ column: values[] }` with the same value conversions as toRecords. */
  async toColumns(opts: RecordOptions = {}): Promise<Record<string, unknown[]>> {
    const batches = await this.collectBatches(opts);
    const out: Record<string, unknown[]> = {};
    this.schema.fields.forEach((f, i) => {
      const vals: unknown[] = [];
      for (const b of batches)
        for (const v of valuesOf(b.data.children[i]!, { ...opts, column: f.name })) vals.push(v);
      out[f.name] = vals;
    });
    return out;
  }
  /**
   * Runs the plan and summarizes each column: count, null_count, mean, std, min, 25%, 50%,
   * 75%, max (rows), after a first column "statistic" (see docs/relational.md).
   */
  describe(opts: RunOptions = {}): Promise<DataFrame> {
    return describe(this, opts);
  }
  /** Number of rows. */
  async count(opts: RunOptions = {}): Promise<number> {
    let n = 0;
    // Counting needs no column: pruning then lets scans skip decoding entirely.
    for await (const b of runPlan(projectNode(this.plan, []), opts)) n += b.numRows;
    return n;
  }
  /** Prints the first n rows as an aligned table (and returns the text). */
  async show(n = 10, opts: RunOptions = {}): Promise<string> {
    const batches = await this.limit(n + 1).collectBatches(opts);
    const columns: string[][] = this.schema.fields.map(() => []);
    for (const b of batches) {
      b.data.children.forEach((c, i) => {
        for (const cell of columnCells(c)) columns[i]!.push(cell);
      });
    }
    const total = columns[0]?.length ?? batches.reduce((s, b) => s + b.numRows, 0);
    const more = total > n;
    const shownRows = Math.min(total, n);
    const text = formatTable(
      this.schema,
      columns.map((c) => c.slice(0, n)),
      more ? `(showing first ${n} rows)` : `(${shownRows} ${shownRows === 1 ? "row" : "rows"})`,
    );
    console.log(text);
    return text;
  }

  // ── writing (streaming; a temp file renamed at the end, so a failed run leaves nothing) ──

  /** Writes Parquet (`compression`: "zstd" default, "snappy", "none"; `rowGroupSize`). */
  writeParquet(path: string, opts: ParquetWriteOptions & RunOptions = {}): Promise<WriteResult> {
    return this.write({ format: "parquet", path, options: opts }, opts);
  }
  /** Writes an Arrow IPC file (or stream with `format: "stream"`). */
  writeArrow(path: string, opts: ArrowWriteOptions & RunOptions = {}): Promise<WriteResult> {
    return this.write({ format: "ipc", path, options: opts }, opts);
  }
  /** Writes CSV with a header line. */
  writeCsv(path: string, opts: CsvWriteOptions & RunOptions = {}): Promise<WriteResult> {
    return this.write({ format: "csv", path, options: opts }, opts);
  }
  /** Writes newline-delimited JSON, one object per row. */
  writeJson(path: string, opts: WriteOptions & RunOptions = {}): Promise<WriteResult> {
    return this.write({ format: "ndjson", path, options: opts }, opts);
  }

  // ── plans as data ─────────────────────────────────────────────────────────────────────

  /**
   * The plan as plain JSON data, so `JSON.stringify(df)` gives text that
   * `DataFrame.fromJSON` turns back into an equal DataFrame: sources as descriptors (format,
   * files, options; in-memory tables as Arrow IPC up to 16 MiB), types by name, UDFs by
   * their source text or `fromModule` reference. Throws a PlanError naming what cannot
   * travel: a UDF that reads outer variables, a larger in-memory table, a ScanSource object.
   */
  toJSON(): PlanJson {
    return planToJson(this.plan);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────

  /** @internal */
  async collectBatches(opts: RunOptions = {}): Promise<RecordBatch[]> {
    const batches: RecordBatch[] = [];
    for await (const b of runPlan(this.plan, opts)) batches.push(b);
    return batches;
  }
  /** The write as a sink node on top of this plan, run by the executor. */
  private async write(target: SinkTarget, opts: RunOptions): Promise<WriteResult> {
    return writeResultOf(await this.next(sinkNode(this.plan, target)).collectBatches(opts));
  }
  /** @internal A new DataFrame over a plan node (used by the verb modules). */
  next(plan: PlanNode): DataFrame {
    return new DataFrame(plan);
  }
  /**
   * Resolves an expression now, so mistakes throw at the call that made them. "aggregate"
   * admits aggregations (a select() of them aggregates the whole table); "row" does not.
   */
  private check(node: ExprNode, where: string, at: Placement): ExprNode {
    typeAt(node, this.schema, where, at);
    return node;
  }
  /** A projection; windows in it are computed by Window nodes below (plan/window-exprs.ts). */
  private project(exprs: NamedExpr[]): PlanNode {
    return exprs.some((e) => firstWindow(e.expr))
      ? windowProjectPlan(this.plan, exprs)
      : projectNode(this.plan, exprs);
  }
  /** `select(col("x").sum(), …)`: one row aggregating the whole table. */
  private globalAgg(exprs: NamedExpr[]): DataFrame {
    const outputs = exprs.map(
      (e) => ({ kind: "alias", arg: stripAlias(e.expr), name: e.name }) as ExprNode,
    );
    return this.next(aggregateExprsPlan(this.plan, [], outputs, "select()"));
  }
}

/** A DataFrame over batches held in memory. */
function memoryFrame(schema: Schema, batches: readonly RecordBatch[]): DataFrame {
  return new DataFrame(sourceNode({ format: "memory", paths: [], options: {}, schema, batches }));
}

function* rowsOf(batch: RecordBatch, opts: ToJsOptions): Generator<Record<string, unknown>> {
  const names = batch.schema.fields.map((f) => f.name);
  const cols = batch.data.children.map((c, i) => valuesOf(c, { ...opts, column: names[i] }));
  for (let r = 0; r < batch.numRows; r++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = cols[c]![r];
    yield row;
  }
}
