import type { Schema } from "apache-arrow";
import { arrayAt, badPlan, type Json, stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { joinPlan } from "../relational.js";

/**
 * Join kind: "inner" (matching rows), "left"/"right" (plus the unmatched rows of that side),
 * "outer" (plus both), "semi" (left rows with a match), "anti" (left rows without one),
 * "cross" (every left row with every right row; no keys).
 */
export type JoinHow = "inner" | "left" | "right" | "outer" | "semi" | "anti" | "cross";

/** A hash join of two inputs on equal keys, or (how "cross", no keys) their product. */
export interface JoinNode {
  kind: "join";
  schema: Schema;
  left: PlanNode;
  right: PlanNode;
  leftOn: string[];
  rightOn: string[];
  how: JoinHow;
  suffix: string;
  /**
   * Set only in the plan of a run whose runner shuffles (exec/shuffle-join.ts): both sides
   * are cut into this many hash buckets by their keys, and each bucket is joined on its own.
   */
  shuffle?: number;
}

const names = (j: Json | undefined, where: string): string[] =>
  arrayAt(j, where).map((n, i) => stringAt(n, `${where}[${i}]`));

const rebuild = (node: JoinNode, left: PlanNode, right: PlanNode): JoinNode =>
  joinPlan(left, right, {
    leftOn: node.leftOn,
    rightOn: node.rightOn,
    how: node.how,
    suffix: node.suffix,
  });

export const joinKind: NodeKindDef<JoinNode> = {
  inputs: (node) => [node.left, node.right],
  withInputs: (node, [left, right]) => ({ ...node, left: left!, right: right! }),
  refresh: (node) => rebuild(node, node.left, node.right),
  explain: (node) =>
    node.how === "cross"
      ? "Join: cross"
      : `Join: ${node.how} on ${node.leftOn.map((l, i) => (l === node.rightOn[i] ? l : `${l}=${node.rightOn[i]}`)).join(", ")}`,
  encode: (node) => ({
    leftOn: [...node.leftOn],
    rightOn: [...node.rightOn],
    how: node.how,
    suffix: node.suffix,
  }),
  decode(json, inputs, _dec, where) {
    if (inputs.length !== 2) throw badPlan(where, `a join has two inputs, got ${inputs.length}`);
    return joinPlan(inputs[0]!, inputs[1]!, {
      leftOn: names(json.leftOn, `${where}.leftOn`),
      rightOn: names(json.rightOn, `${where}.rightOn`),
      how: stringAt(json.how, `${where}.how`) as JoinHow,
      suffix: stringAt(json.suffix, `${where}.suffix`),
    });
  },
};
