// Branches on the DataFrameEngine: with a branch in the pipeline, every node runs as a stage
// of its own over only the rows it runs for (so a target's function is called for exactly
// the items whose branch chose it), and the other rows keep its outputs absent.
import type { Node } from "../node.js";
import { workersFor } from "./dataframe-compile.js";
import type { StageEnv } from "./dataframe-frame.js";
import { declaredReturns } from "./dataframe-values.js";

/**
 * Throws when a worker node behind a branch has an output whose type nobody declared and
 * the first item (which teaches the types) did not produce.
 */
export function checkGatedTypes(env: StageEnv, n: Node): void {
  if (n.kind === "pipeline" || workersFor(n, env.workers) === 0) return;
  if (!env.pipeline.graph.gates.has(n)) return;
  n.outputs.forEach((o, i) => {
    if (declaredReturns(n, i) !== undefined || env.codecs.has(o)) return;
    throw new Error(
      `Node "${n.name}" runs on workers behind a branch and was skipped for the first item, so the type of its output "${o}" is unknown. Declare it: node({ output: "${o}", returns: "utf8", … }, fn).`,
    );
  });
}
