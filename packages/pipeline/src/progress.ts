// `progress: true`: one bar per node (nested pipelines' nodes too) on stderr, via cli-progress,
// drawn only when stderr is a TTY so logs and CI output stay clean.
import type { Callbacks } from "./callbacks.js";
import type { Job } from "./engines/engine.js";
import type { Node } from "./node.js";
import type { Values } from "./pipeline.js";

interface Bar {
  setTotal(total: number): void;
  getTotal(): number;
  increment(): void;
}
interface MultiBar {
  create(total: number, start: number, payload: { node: string }): Bar;
  stop(): void;
}
interface CliProgress {
  MultiBar: new (
    opts: {
      format: string;
      stream: NodeJS.WriteStream;
      clearOnComplete: boolean;
      hideCursor: boolean;
    },
    preset: unknown,
  ) => MultiBar;
  Presets: { shades_classic: unknown };
}

async function loadCliProgress(): Promise<CliProgress> {
  // A variable specifier keeps cli-progress out of the type graph: it is loaded only when bars
  // are drawn, so runs without progress never depend on it.
  const spec = "cli-progress";
  try {
    const mod = (await import(spec)) as { default?: CliProgress } & CliProgress;
    return mod.default ?? mod;
  } catch (err) {
    throw new Error(
      `progress: true needs the cli-progress package, which could not be loaded (${(err as Error).message}). Install it next to @deft/pipeline, or run without progress.`,
    );
  }
}

/** Every (pipeline name, node) a job may run, nested pipelines included. */
function nodesByPipeline(job: Job): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  const visit = (pipeline: string, nodes: readonly Node[]) => {
    if (out.has(pipeline)) return;
    out.set(pipeline, [...nodes]);
    for (const n of nodes)
      if (n.kind === "pipeline") visit(n.pipeline.name, n.pipeline.graph.order);
  };
  visit(job.pipeline.name, job.plan.nodes);
  return out;
}

/** Bars as callbacks: a pipeline start adds its items to its nodes' totals. */
function progressCallbacks(lib: CliProgress, job: Job, stream: NodeJS.WriteStream) {
  const multi = new lib.MultiBar(
    {
      format: " {bar} {percentage}% | {value}/{total} | {node}",
      stream,
      clearOnComplete: false,
      hideCursor: true,
    },
    lib.Presets.shades_classic,
  );
  const bars = new Map<string, Bar>();
  const byPipeline = nodesByPipeline(job);
  for (const [pipeline, nodes] of byPipeline) {
    for (const n of nodes) {
      const label = pipeline === job.pipeline.name ? n.name : `${pipeline}/${n.name}`;
      bars.set(`${pipeline}\u0000${n.name}`, multi.create(0, 0, { node: label }));
    }
  }
  const tick = (e: { pipeline: string; node: string }) =>
    bars.get(`${e.pipeline}\u0000${e.node}`)?.increment();
  const callbacks: Callbacks = {
    onPipelineStart(e) {
      for (const n of byPipeline.get(e.pipeline) ?? []) {
        const bar = bars.get(`${e.pipeline}\u0000${n.name}`);
        bar?.setTotal(bar.getTotal() + e.items);
      }
    },
    onNodeEnd: tick,
    onNodeCached: tick,
  };
  return { callbacks, stop: () => multi.stop() };
}

/** Runs `body` with the engine's callbacks, plus progress bars when asked and on a TTY. */
export async function withProgress(
  progress: boolean | undefined,
  job: Job,
  callbacks: readonly Callbacks[],
  body: (callbacks: readonly Callbacks[]) => Promise<Values[]>,
): Promise<Values[]> {
  if (!progress || !process.stderr.isTTY) return body(callbacks);
  const lib = await loadCliProgress();
  const bars = progressCallbacks(lib, job, process.stderr);
  try {
    return await body([...callbacks, bars.callbacks]);
  } finally {
    bars.stop();
  }
}
