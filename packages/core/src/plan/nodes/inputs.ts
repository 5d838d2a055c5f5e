import { badPlan } from "../json/values.js";
import type { PlanNode } from "../nodes.js";

/** The single input of a decoded node; says where when the JSON has another count. */
export function oneInput(inputs: PlanNode[], where: string): PlanNode {
  if (inputs.length !== 1) throw badPlan(where, `expected one input, got ${inputs.length}`);
  return inputs[0]!;
}
