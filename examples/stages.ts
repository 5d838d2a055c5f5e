// Timing helpers for the demo: how long each stage took, what the same work costs when run
// one item after another, and the summary table printed at the end.

export interface Stage {
  name: string;
  rowsIn: number;
  rowsOut: number;
  ms: number;
  /** The same stage run sequentially (absent when the stage has no concurrent part). */
  sequential?: Baseline;
  /** What the stage's own time includes, printed under the table. */
  note?: string;
}

export interface Baseline {
  /** Estimated or measured wall time for all items, one after another. */
  ms: number;
  /** How the figure was obtained, printed under the table. */
  how: string;
}

/** Runs `fn` and returns its result with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/**
 * The sequential baseline of a stage: `fn` awaited on `sampleSize` items spread evenly over
 * `items`, one after another, then scaled up to all of them. Running every item this way
 * would take as long as the number printed, which is the point of not doing it.
 */
export async function sequentialBaseline<T>(
  items: readonly T[],
  sampleSize: number,
  fn: (item: T) => unknown,
  what: string,
): Promise<Baseline> {
  const n = Math.min(sampleSize, items.length);
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(items[Math.floor((i * items.length) / n)]!);
  const perItem = (performance.now() - start) / n;
  const how =
    n === items.length
      ? `measured: ${what} one after another for all ${fmtInt(n)}`
      : `estimated: ${what} one after another for ${fmtInt(n)} of ${fmtInt(items.length)} (${perItem.toFixed(2)} ms each), times ${fmtInt(items.length)}`;
  return { ms: perItem * items.length, how };
}

const fmtInt = (n: number) => n.toLocaleString("en-US");

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** The summary table: one line per stage, then the footnotes saying how baselines were taken. */
export function formatSummary(stages: readonly Stage[], totalMs: number): string {
  const notes: string[] = [];
  const rows = stages.map((s) => {
    let seq = "-";
    let speedup = "-";
    let time = fmtMs(s.ms);
    if (s.note) {
      notes.push(s.note);
      time = `${time} [${notes.length}]`;
    }
    if (s.sequential) {
      notes.push(s.sequential.how);
      seq = `${fmtMs(s.sequential.ms)} [${notes.length}]`;
      speedup = `${(s.sequential.ms / s.ms).toFixed(1)}x`;
    }
    return [s.name, `${fmtInt(s.rowsIn)} -> ${fmtInt(s.rowsOut)}`, time, seq, speedup];
  });
  rows.push(["total", "", fmtMs(totalMs), "", ""]);
  const header = ["stage", "rows in -> out", "time", "sequential", "speedup"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  // Names left-aligned, figures right-aligned.
  const line = (cells: string[]) =>
    cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const table = [line(header), rule, ...rows.slice(0, -1).map(line), rule, line(rows.at(-1)!)];
  return [...table, "", ...notes.map((n, i) => `[${i + 1}] ${n}`)].join("\n");
}
