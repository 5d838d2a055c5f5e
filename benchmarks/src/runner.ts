// The shared benchmark runner. A workload is a set of cases measured side by side: every round
// runs each case once (in an order rotated per round), so machine noise — these machines are
// shared — falls on all cases alike, and ratios between cases stay meaningful even when
// absolute times drift. See benchmarks/README.md for the contract.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { renderConsoleTable, renderMarkdown } from "./report.js";

export type Awaitable<T> = T | Promise<T>;

export interface Case {
  /** Row name in the table; unique within its group. */
  label: string;
  /** Cases are compared within their group (e.g. "a*2+b" vs "filter"). Default "". */
  group?: string;
  /** Untimed, once before the first round. Throwing "x is not a function" (or a
   * NotAvailableError) marks the case "not available" instead of failing the workload. */
  setup?: () => unknown;
  /** The timed work. Its result is kept until the clock stops, then handed to `check`. */
  run: () => Awaitable<unknown>;
  /** Untimed, after the warm-up run: throw if the result is wrong, so a fast wrong answer is
   * reported as a failure, never as a time. */
  check?: (result: unknown) => Awaitable<void>;
  /** Untimed, after the last round: extra figures for derived columns (e.g. file size). */
  metrics?: () => Awaitable<Record<string, number>>;
  teardown?: () => Awaitable<void>;
}

export interface CaseResult {
  label: string;
  group: string;
  status: "ok" | "unavailable" | "failed";
  /** Why the case is unavailable or failed. */
  error?: string;
  samplesMs: number[];
  medianMs?: number;
  /** The first (warm-up) run: thread start, module load and code generation fall on it. */
  coldMs?: number;
  minMs?: number;
  maxMs?: number;
  /** median / the group's baseline median (lower is faster). */
  ratio?: number;
  metrics: Record<string, number>;
  derived: Record<string, number>;
}

export interface DerivedContext {
  /** The result of the case with this label (in the row's group unless one is named), if it
   * ran. */
  byLabel(label: string, group?: string): CaseResult | undefined;
  baseline?: CaseResult;
}

/** An extra table column computed from one row (and others, through the context). */
export interface Derived {
  name: string;
  value: (row: CaseResult, ctx: DerivedContext) => number | undefined;
  /** "ratio" prints 1.23x, "percent" 97.1%, "number" 12.3. Default "number". */
  format?: "ratio" | "percent" | "number";
}

/** The "speedup" column: the group baseline's median / the row's median (charted by the report). */
export const speedup: Derived = {
  name: "speedup",
  format: "ratio",
  value: (row, ctx) =>
    ctx.baseline && row.medianMs ? ctx.baseline.medianMs! / row.medianMs : undefined,
};

/** A derived column: median(case `label` of the row's group) / median(row), e.g. "deft / this";
 * below 1 means `label` is faster than the row's engine. */
export function relativeTo(label: string, name = `${label} / this`): Derived {
  return {
    name,
    format: "ratio",
    value: (row, ctx) => {
      const ref = ctx.byLabel(label)?.medianMs;
      return ref !== undefined && row.label !== label ? ref / row.medianMs! : undefined;
    },
  };
}

/** A headline figure: median(numerator) / median(denominator), e.g. deft / polars; both are
 * case labels within `group`. */
export interface Comparison {
  name: string;
  group?: string;
  numerator: string;
  denominator: string;
  /** The target it is checked against, as text (e.g. "<= 1.2x"). */
  target?: string;
  /** Compare the first (cold) runs instead of the medians. */
  cold?: boolean;
}

export interface Workload {
  name: string;
  description: string;
  cases: Case[];
  /** Label of the baseline case: one for all groups, or one per group. */
  baseline?: string | Record<string, string>;
  derived?: Derived[];
  comparisons?: Comparison[];
  /** Untimed: build the shared data once (it is dropped in teardown). */
  setup?: () => unknown;
  teardown?: () => Awaitable<void>;
  /** Untimed, after the medians: extra rows built from the measured ones (e.g. a total over
   * many groups). They join the table and can be named by comparisons. */
  summarize?: (rows: readonly CaseResult[]) => CaseResult[];
  /** The groups `summarize` makes (comparisons may name them; they have no cases). */
  summaryGroups?: string[];
  /** Timed runs per case (default 5, or BENCH_RUNS) and untimed warm-up runs (default 1). */
  runs?: number;
  warmup?: number;
  /**
   * Run each case once untimed right before each of its timed runs (default false, or
   * BENCH_PRIME_EACH=1/0). Cases still interleave round by round, but each sample is a warm
   * run of its own case, not the first one after a neighbour that left threads idle.
   */
  primeEach?: boolean;
}

export interface ComparisonResult extends Comparison {
  value?: number;
}

export interface WorkloadResult {
  name: string;
  description: string;
  date: string;
  runs: number;
  warmup: number;
  machine: { node: string; cpus: number; cpuModel: string; memoryGiB: number; loadAvg: number[] };
  derived: { name: string; format: string }[];
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  totalSeconds: number;
}

/** Thrown by a case's setup when the engine lacks what the case measures. */
export class NotAvailableError extends Error {
  override name = "NotAvailableError";
}

function isNotAvailable(err: unknown): boolean {
  if (err instanceof NotAvailableError) return true;
  return err instanceof TypeError && /is not a function|is not a constructor/.test(err.message);
}

function message(err: unknown): string {
  if (err instanceof NotAvailableError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name}=${raw} is not a positive integer (e.g. ${name}=3 for a smoke run)`);
  }
  return n;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A 0/1 environment switch; undefined when unset. */
function envFlag(name: string): boolean | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  if (raw === "1") return true;
  if (raw === "0") return false;
  throw new Error(`${name}=${raw} is not 0 or 1`);
}

const gc = (globalThis as { gc?: () => void }).gc;

function baselineLabel(w: Workload, group: string): string | undefined {
  if (typeof w.baseline === "string") return w.baseline;
  return w.baseline?.[group];
}

export function validateWorkload(w: Workload): void {
  const keys = new Set<string>();
  const key = (group: string | undefined, label: string) => `${group ?? ""}\u0000${label}`;
  for (const c of w.cases) {
    const k = key(c.group, c.label);
    if (keys.has(k)) {
      throw new Error(
        `workload ${w.name}: two cases in group "${c.group ?? ""}" are labelled "${c.label}"`,
      );
    }
    keys.add(k);
  }
  const groups = [...new Set(w.cases.map((c) => c.group ?? ""))];
  for (const g of groups) {
    const l = baselineLabel(w, g);
    if (l !== undefined && !keys.has(key(g, l))) {
      throw new Error(`workload ${w.name}: baseline "${l}" is not a case of group "${g}"`);
    }
  }
  for (const c of w.comparisons ?? []) {
    if (w.summaryGroups?.includes(c.group ?? "")) continue;
    for (const l of [c.numerator, c.denominator]) {
      if (!keys.has(key(c.group, l))) {
        throw new Error(
          `workload ${w.name}: comparison "${c.name}" names "${l}", which is not a case of group "${c.group ?? ""}"`,
        );
      }
    }
  }
}

async function timeOnce(c: Case, prime: boolean): Promise<{ ms: number; result: unknown }> {
  gc?.(); // collect the previous case's garbage outside this case's clock
  // The untimed run comes after the collection: nothing stands between it and the timed run.
  if (prime) await c.run();
  const t0 = performance.now();
  const result = await c.run();
  const ms = performance.now() - t0;
  return { ms, result };
}

/** Runs every case of the workload, interleaved, and returns the measured table. */
export async function runWorkload(w: Workload, log: (line: string) => void = console.log) {
  validateWorkload(w);
  const started = performance.now();
  const runs = envInt("BENCH_RUNS") ?? w.runs ?? 5;
  const warmup = envInt("BENCH_WARMUP") ?? w.warmup ?? 1;
  const primeEach = envFlag("BENCH_PRIME_EACH") ?? w.primeEach === true;
  const results = new Map<Case, CaseResult>();
  for (const c of w.cases) {
    results.set(c, {
      label: c.label,
      group: c.group ?? "",
      status: "ok",
      samplesMs: [],
      metrics: {},
      derived: {},
    });
  }
  const fail = (c: Case, err: unknown, unavailable = false) => {
    const r = results.get(c)!;
    r.status = unavailable ? "unavailable" : "failed";
    r.error = message(err);
    log(`  ${c.label}: ${unavailable ? "not available" : "FAILED"} (${r.error})`);
  };
  const live = () => w.cases.filter((c) => results.get(c)!.status === "ok");

  log(`\n== ${w.name}: ${w.description}`);
  log(
    `   ${runs} timed runs per case after ${warmup} warm-up, interleaved${primeEach ? ", each timed run right after an untimed run of the same case" : ""}${gc ? ", gc between runs" : ""}`,
  );
  let t = performance.now();
  await w.setup?.();
  log(`   data ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  try {
    for (const c of w.cases) {
      try {
        await c.setup?.();
      } catch (err) {
        fail(c, err, isNotAvailable(err));
      }
    }
    for (let round = 0; round < warmup + runs; round++) {
      const cases = live();
      // Rotate the order each round so no case always runs right after the same neighbour.
      const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
      for (const c of order) {
        t = performance.now();
        try {
          const { ms, result } = await timeOnce(c, primeEach && round >= warmup);
          if (round < warmup || (warmup === 0 && round === 0)) {
            if (c.check) await c.check(result);
          }
          if (round === 0) results.get(c)!.coldMs = ms;
          if (round >= warmup) results.get(c)!.samplesMs.push(ms);
        } catch (err) {
          fail(c, err);
        }
      }
      log(`   round ${round + 1}/${warmup + runs}${round < warmup ? " (warm-up)" : ""} done`);
    }
    for (const c of live()) {
      try {
        if (c.metrics) results.get(c)!.metrics = await c.metrics();
      } catch (err) {
        fail(c, err);
      }
    }
  } finally {
    for (const c of w.cases) {
      try {
        await c.teardown?.();
      } catch (err) {
        log(`  ${c.label}: teardown failed (${message(err)})`);
      }
    }
    await w.teardown?.();
  }

  const rows = [...results.values()];
  for (const r of rows) {
    if (r.status !== "ok" || r.samplesMs.length === 0) continue;
    r.medianMs = median(r.samplesMs);
    r.minMs = Math.min(...r.samplesMs);
    r.maxMs = Math.max(...r.samplesMs);
  }
  const find = (label: string, group: string) =>
    rows.find((r) => r.label === label && r.group === group && r.medianMs !== undefined);
  for (const r of rows) {
    const bl = baselineLabel(w, r.group);
    const base = bl === undefined ? undefined : find(bl, r.group);
    if (r.medianMs !== undefined && base?.medianMs) r.ratio = r.medianMs / base.medianMs;
    const byLabel = (label: string, group?: string) => find(label, group ?? r.group);
    for (const d of w.derived ?? []) {
      if (r.medianMs === undefined) continue;
      const v = d.value(r, { byLabel, baseline: base });
      if (v !== undefined && Number.isFinite(v)) r.derived[d.name] = v;
    }
  }
  if (w.summarize) rows.push(...w.summarize(rows));
  const comparisons: ComparisonResult[] = (w.comparisons ?? []).map((c) => {
    const pick = (r: CaseResult | undefined) => (c.cold ? r?.coldMs : r?.medianMs);
    const num = pick(find(c.numerator, c.group ?? ""));
    const den = pick(find(c.denominator, c.group ?? ""));
    return { ...c, value: num !== undefined && den ? num / den : undefined };
  });

  const result: WorkloadResult = {
    name: w.name,
    description: w.description,
    date: new Date().toISOString(),
    runs,
    warmup,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    derived: (w.derived ?? []).map((d) => ({ name: d.name, format: d.format ?? "number" })),
    cases: rows,
    comparisons,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  return result;
}

/** Writes results/<name>.json and results/<name>.md next to this package's src/. */
export function writeResults(result: WorkloadResult, dir: URL): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = new URL(`${result.name}.json`, dir);
  const md = new URL(`${result.name}.md`, dir);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(md, renderMarkdown(result));
  return { json: json.pathname, md: md.pathname };
}

export { renderConsoleTable };
