// `progress: true`: one bar per node (nested pipelines' nodes too) via cli-progress, drawn
// only when the stream is a TTY so logs, pipes and CI output stay clean.
import cliProgress from "cli-progress";
import { type Callbacks, withContext } from "./callbacks.js";
import type { Job } from "./engines/engine.js";
import type { Node } from "./node.js";
import type { Values } from "./pipeline.js";

/** Where bars go: `progress: { stream }` (default process.stderr). */
export interface ProgressOptions {
  /** Bars are drawn only when `stream.isTTY` is true; nothing is written otherwise. */
  stream?: NodeJS.WriteStream;
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

/**
 * Bars as callbacks. A bar's total grows by the items of each start of its pipeline (a nested
 * pipeline starts once per outer item on the sequential and pool engines), and it advances on
 * every end or cache hit of its node.
 */
function progressCallbacks(job: Job, stream: NodeJS.WriteStream) {
  const multi = new cliProgress.MultiBar(
    {
      format: " {bar} {percentage}% | {value}/{total} | {node}",
      stream,
      clearOnComplete: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const key = (pipeline: string, node: string) => `${pipeline}\u0000${node}`;
  const bars = new Map<string, cliProgress.SingleBar>();
  const byPipeline = nodesByPipeline(job);
  for (const [pipeline, nodes] of byPipeline) {
    for (const n of nodes) {
      const label = pipeline === job.pipeline.name ? n.name : `${pipeline}/${n.name}`;
      bars.set(key(pipeline, n.name), multi.create(0, 0, { node: label }));
    }
  }
  const tick = (e: { pipeline: string; node: string }) =>
    bars.get(key(e.pipeline, e.node))?.increment();
  const callbacks: Callbacks = {
    onPipelineStart(e) {
      for (const n of byPipeline.get(e.pipeline) ?? []) {
        const bar = bars.get(key(e.pipeline, n.name));
        bar?.setTotal(bar.getTotal() + e.items);
      }
    },
    onNodeEnd: tick,
    onNodeCached: tick,
    onNodeSkipped: tick,
  };
  return { callbacks, stop: () => multi.stop() };
}

/**
 * Runs `body` with the engine's callbacks, plus progress bars when asked and on a TTY, all
 * sharing one new CallbackContext.
 */
export async function withProgress(
  progress: boolean | ProgressOptions | undefined,
  job: Job,
  callbacks: readonly Callbacks[],
  body: (callbacks: readonly Callbacks[]) => Promise<Values[]>,
): Promise<Values[]> {
  if (!progress) return body(withContext(callbacks));
  const stream = (progress === true ? undefined : progress.stream) ?? process.stderr;
  if (!stream.isTTY) return body(withContext(callbacks));
  const bars = progressCallbacks(job, stream);
  try {
    return await body(withContext([...callbacks, bars.callbacks]));
  } finally {
    bars.stop();
  }
}
