// A nested pipeline on the DataFrameEngine: the elements of every row are flattened into one
// inner job (so the inner nodes see all of them as one frame), run, and grouped back per row.
import type { ExecPlan } from "../graph.js";
import { planRun } from "../graph.js";
import type { NestedPipelineNode } from "../node.js";
import type { Pipeline, Values } from "../pipeline.js";
import type { Rows } from "./dataframe-frame.js";

/** Runs an inner job (the engine's own pipeline run, callbacks and state included). */
export type RunInner = (pipeline: Pipeline, plan: ExecPlan, items: Values[]) => Promise<Values[]>;

export async function nestedStage(
  n: NestedPipelineNode,
  rows: Rows,
  runInner: RunInner,
  wanted: readonly string[] | undefined,
): Promise<void> {
  const inner = n.pipeline;
  const innerOf = (outer: string) => n.inputMap[outer] ?? outer;
  const flat: Values[] = [];
  const counts: number[] = [];
  rows.values.forEach((v, r) => {
    const base: Values = { ...n.boundInputs };
    for (const outer of n.inputs)
      if (outer in v && !n.mapOver.includes(outer)) base[innerOf(outer)] = v[outer];
    if (n.mapOver.length === 0) {
      flat.push(base);
      counts.push(1);
      return;
    }
    const lists = n.mapOver.map((m) => v[m]);
    const bad = n.mapOver.find((_, j) => !Array.isArray(lists[j]));
    if (bad !== undefined) {
      throw new Error(
        `Nested pipeline node "${n.name}" (item ${rows.items[r]}): mapOver input "${bad}" must be an array.`,
      );
    }
    const len = (lists[0] as unknown[]).length;
    if (lists.some((l) => (l as unknown[]).length !== len)) {
      const lengths = n.mapOver.map((m, j) => `${m}: ${(lists[j] as unknown[]).length}`).join(", ");
      throw new Error(
        `Nested pipeline node "${n.name}" (item ${rows.items[r]}): mapped inputs must have equal lengths, got ${lengths}.`,
      );
    }
    for (let e = 0; e < len; e++) {
      const it: Values = { ...base };
      n.mapOver.forEach((m, j) => {
        it[innerOf(m)] = (lists[j] as unknown[])[e];
      });
      flat.push(it);
    }
    counts.push(len);
  });
  const innerOutputs = wanted ?? Object.keys(n.outputMap);
  const given = new Set(
    flat.length > 0
      ? Object.keys(flat[0]!)
      : [...Object.keys(n.boundInputs), ...n.inputs.map(innerOf)],
  );
  const plan = planRun(inner.graph, given, innerOutputs, inner.name);
  const results = await runInner(inner, plan, flat);
  let at = 0;
  rows.values.forEach((v, r) => {
    const mine = results.slice(at, at + counts[r]!);
    at += counts[r]!;
    for (const o of innerOutputs) {
      if (n.mapOver.length === 0 && !(o in mine[0]!)) continue; // skipped by a branch inside
      v[n.outputMap[o]!] = n.mapOver.length === 0 ? mine[0]![o] : mine.map((x) => x[o]);
    }
  });
}
