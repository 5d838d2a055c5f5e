import cliProgress from "cli-progress";
import type { DeftEvent, Subscriber } from "../exec/events.js";

interface BarState {
  bar: cliProgress.SingleBar;
  rows: number;
  failed: number;
  known: boolean;
  startedAt: number;
}

/** A distributed stage's bar: its tasks done of all, and those running, retried and failed. */
const STAGE_FORMAT =
  "{name} |{bar}| {value}/{total} tasks | {running} running | {retried} retried | {failed} failed";

/**
 * `progress: true`: one cli-progress bar per UDF operator (rows done, failures, rate), and in
 * a distributed run one per stage (tasks done, running, retried, failed), drawn only when the
 * stream is a TTY — piped output and CI logs stay clean.
 */
export function progressSubscriber(stream: NodeJS.WriteStream = process.stdout): Subscriber {
  if (!stream.isTTY) return () => {};
  let multi: cliProgress.MultiBar | null = null;
  const bars = new Map<number, BarState>();
  const stages = new Map<string, cliProgress.SingleBar>();
  const stopAll = () => {
    multi?.stop();
    multi = null;
    bars.clear();
    stages.clear();
  };
  const board = () =>
    (multi ??= new cliProgress.MultiBar(
      {
        stream,
        hideCursor: true,
        clearOnComplete: false,
        format: "{name} |{bar}| {value} rows{of} | {failed} failed | {speed} rows/s",
      },
      cliProgress.Presets.shades_classic,
    ));
  return (e: DeftEvent) => {
    switch (e.type) {
      case "operator:start": {
        if (!e.name.startsWith("Udf[")) return;
        const multi = board();
        const known = e.totalRows !== undefined;
        const total = e.totalRows ?? 1;
        const bar = multi.create(total, 0, {
          name: e.name,
          of: known ? ` of ${total}` : "",
          failed: 0,
          speed: 0,
        });
        bars.set(e.id, { bar, rows: 0, failed: 0, known, startedAt: performance.now() });
        return;
      }
      case "udf:done": {
        const s = bars.get(e.id);
        if (!s) return;
        s.rows += e.rows;
        const secs = Math.max(1e-3, (performance.now() - s.startedAt) / 1000);
        if (!s.known) s.bar.setTotal(Math.max(1, s.rows));
        s.bar.update(s.rows, { failed: s.failed, speed: Math.round(s.rows / secs) });
        return;
      }
      case "udf:failure": {
        const s = bars.get(e.id);
        if (s) s.failed++;
        return;
      }
      case "stage:progress": {
        const counts = { running: e.running, retried: e.retried, failed: e.failed };
        let bar = stages.get(e.stage);
        if (!bar) {
          const name = `stage ${e.stage} (${e.output})`;
          bar = board().create(e.tasks, e.done, { name, ...counts }, { format: STAGE_FORMAT });
          stages.set(e.stage, bar);
        }
        bar.update(e.done, counts);
        return;
      }
      case "query:end":
        stopAll();
        return;
      default:
        return;
    }
  };
}
