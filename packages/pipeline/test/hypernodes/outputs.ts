// hypernodes' run/map results hold only the outputs; deft's hold the inputs too. These take
// the inputs back out, so a ported assertion compares what hypernodes compares.
import type { Values } from "@deft/pipeline";

/** `result` without the keys of `inputs`. */
export function outputsOf(result: Values, inputs: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(result)) if (!(k in inputs)) out[k] = v;
  return out;
}

/** Every map result without the keys of `inputs`. */
export function mapOutputs(results: readonly Values[], inputs: Values): Values[] {
  return results.map((r) => outputsOf(r, inputs));
}
