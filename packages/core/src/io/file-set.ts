// Many files read as one table: a glob, a folder or an array of paths, with the `key=value`
// directories of hive-partitioned folders as columns. Files of one partition are read by one
// source of their format (all of a partition's Parquet files share one ParquetSource, so its
// row groups split across the threads as before; CSV and NDJSON get a source per file). A
// pushed filter over the partition keys is evaluated once per partition: a partition it
// rules out is never opened, and the scan's `scan:end` event counts its files as skipped.
import {
  type Data,
  type DataType,
  type Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Type,
  Utf8,
} from "apache-arrow";
import { abortError, type ExecContext } from "../exec/context.js";
import type { ScanEndEvent } from "../exec/events.js";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { evaluate } from "../kernels/evaluate.js";
import { andAll, conjuncts, readsOnly } from "../optimizer/predicates.js";
import type { ScanPartitions, ScanRequest, ScanSource } from "../plan/source.js";
import type { FileKind } from "./files.js";
import { constantColumn, type HiveLayout, type HiveValue, hiveLayout } from "./hive.js";
import { checkSameType } from "./schema-utils.js";

/** One partition: its files, its keys' values, and the source that reads them. */
interface Part {
  files: string[];
  values: HiveValue[];
  source: ScanSource;
}

const valuesKey = (values: readonly HiveValue[]): string =>
  JSON.stringify(values.map((v) => (typeof v === "bigint" ? `${v}n` : v)));

/**
 * The source for `files`: `open` builds a source of the format over some of them (`perFile`:
 * one file each). Without hive keys (or with `hivePartitioning: false`) and when one source
 * can read every file, that source itself is returned.
 */
export function openFileSet(
  kind: FileKind,
  format: string,
  files: readonly string[],
  hive: boolean,
  perFile: boolean,
  open: (files: string[], types?: Record<string, DataType>) => ScanSource,
): ScanSource {
  const probe = hive ? hiveLayout(kind, files, []) : undefined;
  if (!probe && (!perFile || files.length === 1)) return open([...files]);
  const groups = new Map<string, { files: string[]; values: HiveValue[] }>();
  files.forEach((f, i) => {
    const values = probe?.values[i] ?? [];
    const key = perFile ? `${i}` : valuesKey(values);
    const g = groups.get(key);
    if (g) g.files.push(f);
    else groups.set(key, { files: [f], values });
  });
  let parts: Part[] = [...groups.values()].map((g) => ({ ...g, source: open(g.files) }));
  // Text files infer their types one by one: a column inferred differently (int64 in one
  // file, float64 in another) reads as the common type in every file.
  const common = perFile ? commonTypes(parts) : undefined;
  if (common) parts = parts.map((p) => ({ ...p, source: open(p.files, common) }));
  const first = parts[0]!;
  // Checks that no key is also a column of the files.
  const layout = probe
    ? hiveLayout(
        kind,
        files,
        first.source.schema.fields.map((f) => f.name),
      )
    : undefined;
  // The partitions' values for the keys the files do not hold themselves.
  const at = new Map(files.map((f, i) => [f, i]));
  const kept = parts.map((p) => ({ ...p, values: layout?.values[at.get(p.files[0]!)!] ?? [] }));
  return new FileSetSource(format, kept, layout);
}

export class FileSetSource implements ScanSource {
  readonly kind: string;
  readonly schema: Schema;
  readonly usesFilter: boolean;
  readonly numRows?: number;
  private readonly keys: ReadonlySet<string>;
  private readonly keyFields: readonly Field[];

  constructor(
    private readonly format: string,
    private readonly parts: readonly Part[],
    layout: HiveLayout | undefined,
  ) {
    this.kind = format;
    const first = parts[0]!;
    for (const p of parts.slice(1)) checkSameColumns(first, p);
    this.keyFields = layout?.fields ?? [];
    this.keys = new Set(this.keyFields.map((f) => f.name));
    this.schema = new Schema([...first.source.schema.fields, ...this.keyFields]);
    this.usesFilter = this.keys.size > 0 || parts.some((p) => p.source.usesFilter);
    const counts = parts.map((p) => p.source.numRows);
    if (counts.every((n) => n !== undefined)) this.numRows = counts.reduce((a, b) => a + b!, 0);
  }

  describe(request?: ScanRequest): string {
    const files = this.parts.reduce((n, p) => n + p.files.length, 0);
    let out = `${this.format} ${files} files`;
    if (this.keys.size > 0) {
      out += ` in ${this.parts.length} hive partitions [${[...this.keys].join(", ")}]`;
    }
    if (request?.columns) out += ` columns=[${request.columns.join(", ")}]`;
    if (request?.filter) out += ` filter=${formatExpr(request.filter)}`;
    if (request?.limit !== undefined) out += ` limit=${request.limit}`;
    return out;
  }

  /** The partitions a filter keeps, and the filter left for the files' own columns. */
  private prune(filter: ExprNode | undefined): { kept: Part[]; rest?: ExprNode } {
    if (!filter || this.keys.size === 0) return { kept: [...this.parts], rest: filter };
    const onKeys: ExprNode[] = [];
    const rest: ExprNode[] = [];
    const fileColumns = new Set(this.parts[0]!.source.schema.fields.map((f) => f.name));
    for (const c of conjuncts(filter)) {
      if (readsOnly(c, this.keys)) onKeys.push(c);
      else if (readsOnly(c, fileColumns)) rest.push(c);
    }
    const test = andAll(onKeys);
    const kept = test ? this.parts.filter((p) => this.passes(test, p)) : [...this.parts];
    return { kept, rest: andAll(rest) };
  }

  /** Whether the partition's values satisfy `test` (true, not false or null). */
  private passes(test: ExprNode, part: Part): boolean {
    const schema = new Schema(this.keyFields as Field[]);
    const children = this.keyFields.map((f, i) => constantColumn(f.type, part.values[i]!, 1));
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 1, nullCount: 0, children }),
    );
    const out = evaluate(test, batch);
    if (out.typeId !== Type.Bool) return true;
    return out.getValid(0) && ((out.values[0]! >> out.offset) & 1) === 1;
  }

  private childRequest(request: ScanRequest, rest: ExprNode | undefined): ScanRequest {
    const columns = request.columns?.filter((c) => !this.keys.has(c));
    return {
      ...(columns && { columns }),
      ...(rest && { filter: rest }),
      ...(request.limit !== undefined && { limit: request.limit }),
    };
  }

  describeTasks(request: ScanRequest): string {
    const { kept, rest } = this.prune(request.filter);
    const child = this.childRequest(request, rest);
    const tasks = kept.map((p) => p.source.describeTasks?.(child)).filter((t) => t);
    return `${kept.length} of ${this.parts.length} partitions: ${tasks.join("; ") || "whole files"}`;
  }

  partitions(request: ScanRequest): ScanPartitions | undefined {
    if (request.limit !== undefined) return undefined;
    const { kept, rest } = this.prune(request.filter);
    const child = this.childRequest(request, rest);
    const out: ScanPartitions = { splits: [], rowGroupsSkipped: 0 };
    for (const p of kept) {
      const sub = p.source.partitions?.(child);
      if (!sub) return undefined;
      out.splits.push(...sub.splits);
      out.rowGroupsSkipped += sub.rowGroupsSkipped;
    }
    return out;
  }

  async *scan(request: ScanRequest, ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const wanted = request.columns ?? this.schema.fields.map((f) => f.name);
    const { kept, rest } = this.prune(request.filter);
    const child = this.childRequest(request, rest);
    const ends: ScanEndEvent[] = [];
    const sub: ExecContext = {
      signal: ctx.signal,
      emit: (e) => (e.type === "scan:end" ? ends.push(e) : ctx.emit(e)),
      get listening() {
        return ctx.listening;
      },
      failures: ctx.failures,
      nextOperatorId: () => ctx.nextOperatorId(),
      threads: ctx.threads,
      broadcasts: ctx.broadcasts,
    };
    const fields = wanted.map((name) => this.schema.fields.find((f) => f.name === name)!);
    const outSchema = new Schema(fields);
    const keyIndex = new Map(this.keyFields.map((f, i) => [f.name, i]));
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    let filesOpened = 0;
    let rowsRead = 0;
    const splitPaths = request.split && new Set(request.split.map((s) => s.path));
    const skipped = this.parts.reduce((n, p) => n + (kept.includes(p) ? 0 : p.files.length), 0);
    try {
      for (const part of kept) {
        if (remaining <= 0) break;
        const split = request.split?.filter((s) => part.files.includes(s.path));
        if (splitPaths && split!.length === 0) continue;
        filesOpened += split ? new Set(split.map((s) => s.path)).size : part.files.length;
        const req = split ? { ...child, split } : child;
        for await (const batch of part.source.scan(req, sub)) {
          if (ctx.signal.aborted) throw abortError(ctx.signal);
          let b = batch;
          if (b.numRows > remaining) b = b.slice(0, remaining);
          const children: Data[] = fields.map((f) => {
            const k = keyIndex.get(f.name);
            if (k !== undefined) return constantColumn(f.type, part.values[k]!, b.numRows);
            return b.getChild(f.name)!.data[0]!;
          });
          remaining -= b.numRows;
          rowsRead += b.numRows;
          yield new RecordBatch(
            outSchema,
            makeData({ type: new Struct(fields), length: b.numRows, nullCount: 0, children }),
          );
          if (remaining <= 0) break;
        }
      }
    } finally {
      ctx.emit(mergeEnds(this.format, ends, { filesOpened, rowsRead, skipped, ctx, child }));
    }
  }
}

/** One `scan:end` for the whole set: the partition sources' events summed. */
function mergeEnds(
  format: string,
  ends: readonly ScanEndEvent[],
  own: {
    filesOpened: number;
    rowsRead: number;
    skipped: number;
    ctx: ExecContext;
    child: ScanRequest;
  },
): ScanEndEvent {
  const sum = (k: "filesOpened" | "rowGroupsRead" | "rowGroupsSkipped" | "tasks") =>
    ends.reduce((n, e) => n + e[k], 0);
  const decoders = new Set(ends.map((e) => e.decoder).filter((d) => d !== undefined));
  const filtered = ends.filter((e) => e.rowsFiltered !== undefined);
  return {
    type: "scan:end",
    format,
    filesOpened: ends.length > 0 ? sum("filesOpened") : own.filesOpened,
    rowGroupsRead: sum("rowGroupsRead"),
    rowGroupsSkipped: sum("rowGroupsSkipped"),
    columnsDecoded: ends[0]?.columnsDecoded ?? own.child.columns ?? [],
    rowsRead: own.rowsRead,
    ...(filtered.length > 0 && {
      rowsFiltered: filtered.reduce((n, e) => n + e.rowsFiltered!, 0),
    }),
    tasks: sum("tasks"),
    threads: own.ctx.threads,
    ...(decoders.size > 0 && { decoder: decoders.size === 1 ? [...decoders][0]! : "mixed" }),
    filesSkipped: own.skipped,
  };
}

/**
 * For columns whose inferred type differs between files: float64 when all are numbers,
 * else utf8. Undefined when every file agrees.
 */
function commonTypes(parts: readonly Part[]): Record<string, DataType> | undefined {
  const out: Record<string, DataType> = {};
  const first = parts[0]!.source.schema.fields;
  first.forEach((f, i) => {
    const types = parts.map((p) => p.source.schema.fields[i]?.type).filter((t) => t);
    if (types.every((t) => String(t) === String(f.type))) return;
    const numeric = types.every((t) => t!.typeId === Type.Int || t!.typeId === Type.Float);
    out[f.name] = numeric ? new Float64() : new Utf8();
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

function checkSameColumns(a: Part, b: Part): void {
  const fa = a.source.schema.fields;
  const fb = b.source.schema.fields;
  const names = (fs: readonly Field[]) => fs.map((f) => f.name).join(", ");
  if (names(fa) !== names(fb)) {
    throw new Error(
      `Files "${a.files[0]}" and "${b.files[0]}" have different columns: [${names(fa)}] and [${names(fb)}]. Read them separately, or pass { columns } to read the common ones.`,
    );
  }
  for (let i = 0; i < fa.length; i++) checkSameType(fa[i]!, fb[i]!, a.files[0]!, b.files[0]!);
}
