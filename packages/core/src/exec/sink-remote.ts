import fsp from "node:fs/promises";
import path from "node:path";
import { type WriteResult, writesParts } from "../io/write-batches.js";
import { planToJson } from "../plan/json/plan.js";
import type { SinkNode } from "../plan/nodes/sink.js";
import { prepareBroadcasts } from "./broadcast.js";
import type { ExecContext } from "./context.js";
import type { ScanEndEvent } from "./events.js";
import { chainScan, emitScans, partitionsOf, withSplit } from "./fragment.js";
import { RemoteUdfEvents } from "./remote-udf-events.js";
import { stageProgress } from "./runner.js";

/**
 * A directory write whose input is one partitioned stage, written by the run's runner: each
 * task writes its partition's parts, the runner commits them (exec/runner.ts `writeStage`).
 * Undefined when the write cannot go that way (no runner able to, a single-file target, an
 * input that is not one chain over a split scan): the calling process then writes it.
 */
export async function writeOnRunner(
  node: SinkNode,
  ctx: ExecContext,
): Promise<WriteResult | undefined> {
  const runner = ctx.runner;
  if (!runner?.writeStage || !writesParts(node.path, node.options)) return undefined;
  const scan = chainScan(node.input, true);
  const parts = scan && partitionsOf(scan);
  if (!parts) return undefined;
  const target = path.resolve(node.path);
  const existing = await fsp.stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new Error(
      `Cannot write part files to "${node.path}": it exists and is a file. Remove it or choose a directory path.`,
    );
  }
  const shipped = await prepareBroadcasts(node.input, ctx);
  const json = planToJson({ ...node, input: shipped.plan });
  const tasks = parts.splits.map((s) => withSplit(json, s));
  let scans: ScanEndEvent[] = [];
  const udfEvents = new RemoteUdfEvents(ctx);
  try {
    const w = await runner.writeStage(
      { tasks, broadcasts: shipped.broadcasts, target },
      ctx.signal,
      udfEvents.listener(),
      stageProgress(ctx),
    );
    scans = w.scans;
    // Paths as a local write reports them: under the target as it was given.
    return {
      ...w.result,
      path: node.path,
      paths: w.result.paths.map((p) => path.join(node.path, path.relative(target, p))),
    };
  } finally {
    udfEvents.end();
    emitScans(ctx, scans, parts);
  }
}
