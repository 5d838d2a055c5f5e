// Text renderings of one workload's results: an aligned console table and a markdown summary.
import type { CaseResult, WorkloadResult } from "./runner.js";

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function formatValue(v: number | undefined, format: string): string {
  if (v === undefined) return "";
  if (format === "ratio") return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}x`;
  if (format === "percent") return `${v.toFixed(1)}%`;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function statusNote(r: CaseResult): string {
  if (r.status === "unavailable") return `not available: ${r.error ?? ""}`;
  if (r.status === "failed") return `FAILED: ${r.error ?? ""}`;
  return "";
}

/** Header and rows as strings, shared by both renderings. */
function tableCells(result: WorkloadResult): { header: string[]; rows: string[][] } {
  const groups = new Set(result.cases.map((c) => c.group));
  const showGroup = groups.size > 1 || !groups.has("");
  const header = [
    ...(showGroup ? ["group"] : []),
    "case",
    "median ms",
    "min ms",
    "ratio",
    ...result.derived.map((d) => d.name),
    "note",
  ];
  const rows = result.cases.map((r) => [
    ...(showGroup ? [r.group] : []),
    r.label,
    formatMs(r.medianMs),
    formatMs(r.minMs),
    formatValue(r.ratio, "ratio"),
    ...result.derived.map((d) => formatValue(r.derived[d.name], d.format)),
    statusNote(r),
  ]);
  // Drop the note column when every case ran.
  if (rows.every((row) => row[row.length - 1] === "")) {
    header.pop();
    for (const row of rows) row.pop();
  }
  return { header, rows };
}

const numeric = /^-?[\d.]+(x|%)?$/;

export function renderConsoleTable(result: WorkloadResult): string {
  const { header, rows } = tableCells(result);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  for (const c of result.comparisons) {
    const v = c.value === undefined ? "n/a" : formatValue(c.value, "ratio");
    out.push(`${c.name}: ${v}${c.target ? `  (target ${c.target})` : ""}`);
  }
  return out.join("\n");
}

export function renderMarkdown(result: WorkloadResult): string {
  const { header, rows } = tableCells(result);
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const align = header.map((h) => (h === "case" || h === "group" || h === "note" ? "---" : "---:"));
  const m = result.machine;
  const lines = [
    `# ${result.name}`,
    "",
    result.description,
    "",
    `Median of ${result.runs} runs after ${result.warmup} warm-up, cases interleaved; ` +
      `${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAvg.join(" ")}; ` +
      `${result.date}.`,
    "",
    `| ${header.map(esc).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ];
  if (result.comparisons.length > 0) {
    lines.push("", "| comparison | value | target |", "| --- | ---: | --- |");
    for (const c of result.comparisons) {
      const v = c.value === undefined ? "n/a" : formatValue(c.value, "ratio");
      lines.push(`| ${esc(c.name)} | ${v} | ${esc(c.target ?? "")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
