// The "total" rows of the tpch table: per engine, the sum of its per-query medians (and cold
// runs), the ratio of that sum to the baseline's, and the geometric mean and worst of the
// per-query ratios. Only queries every listed engine answered count, so totals compare alike.
import type { CaseResult } from "../runner.js";

export const TOTAL = "total";

export function summarizeTotals(
  rows: readonly CaseResult[],
  engines: readonly string[],
  baseline: string,
): CaseResult[] {
  const groups = [...new Set(rows.map((r) => r.group))];
  const at = (g: string, label: string) =>
    rows.find((r) => r.group === g && r.label === label && r.medianMs !== undefined);
  const answered = groups.filter((g) => engines.every((e) => at(g, e)));
  if (answered.length === 0) return [];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const base = sum(answered.map((g) => at(g, baseline)?.medianMs ?? Number.NaN));
  return engines.map((label) => {
    const own = answered.map((g) => at(g, label)!);
    const ratios = own.map((r) => r.ratio ?? Number.NaN);
    const medianMs = sum(own.map((r) => r.medianMs!));
    const derived: Record<string, number> = {
      "cold ms": sum(own.map((r) => r.coldMs ?? r.medianMs!)),
    };
    if (label !== baseline && ratios.every(Number.isFinite)) {
      derived["geomean vs duckdb"] = Math.exp(sum(ratios.map(Math.log)) / ratios.length);
      derived["worst vs duckdb"] = Math.max(...ratios);
    }
    return {
      label,
      group: TOTAL,
      status: "ok",
      samplesMs: [],
      medianMs,
      metrics: { queries: answered.length },
      derived,
      ...(Number.isFinite(base) && base > 0 ? { ratio: medianMs / base } : {}),
    };
  });
}
