import type { DataFrame, ExecContext, ScanRequest, ScanSource } from "@deft/core";
import { buildUtf8, formatPlan, makeBatch, type Rule, runToFixpoint } from "@deft/core/internal";
import { Field, Float64, makeData, type RecordBatch, Schema, Utf8 } from "apache-arrow";

/** The "== Optimized plan ==" part of explain({ optimized: true }). */
export function optimized(df: DataFrame): string {
  const text = df.explain({ optimized: true });
  return text.slice(text.indexOf("== Optimized plan ==\n") + "== Optimized plan ==\n".length);
}

/** The logical plan before any rule, and after the given rules alone (run to a fixpoint). */
export function before(df: DataFrame): string {
  return formatPlan(df.plan);
}
export function after(df: DataFrame, ...rules: Rule[]): string {
  return formatPlan(runToFixpoint(df.plan, { name: "test", strategy: "fixpoint", rules }));
}

/** Plan lines as an array (easier to read in a failing diff than one long string). */
export const lines = (s: string): string[] => s.split("\n");

/**
 * An in-memory table of three float64 columns a, b, c and a utf8 column s, that can use a
 * pushed filter (like Parquet statistics) and records every request it gets.
 */
export class RecordingSource implements ScanSource {
  readonly kind = "rec";
  readonly usesFilter: boolean;
  readonly schema = new Schema([
    new Field("a", new Float64(), true),
    new Field("b", new Float64(), true),
    new Field("c", new Float64(), true),
    new Field("s", new Utf8(), true),
  ]);
  readonly numRows = 4;
  requests: ScanRequest[] = [];
  constructor(opts: { usesFilter?: boolean } = {}) {
    this.usesFilter = opts.usesFilter ?? false;
  }
  describe(): string {
    return "rec";
  }
  async *scan(request: ScanRequest, _ctx: ExecContext): AsyncGenerator<RecordBatch> {
    this.requests.push(request);
    const all: Record<string, () => ReturnType<typeof makeData>> = {
      a: () => f64([1, 2, 3, 4]),
      b: () => f64([10, 20, 30, 40]),
      c: () => f64([0.5, 0.25, 0, -1]),
      s: () => buildUtf8(["w", "x", "y", "z"]),
    };
    const names = request.columns ?? this.schema.fields.map((f) => f.name);
    const schema = new Schema(names.map((n) => this.schema.fields.find((f) => f.name === n)!));
    yield makeBatch(
      schema,
      names.map((n) => all[n]!()),
      4,
    );
  }
}

function f64(values: number[]) {
  return makeData({ type: new Float64(), length: values.length, data: Float64Array.from(values) });
}
