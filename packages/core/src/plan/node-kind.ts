import type { ExprNode } from "../expr/ast.js";
import type { Json, JsonObject } from "./json/values.js";
import type { PlanNode } from "./nodes.js";

/** Writes the parts of a node that are not plain data (expressions; UDFs go in a table). */
export interface PlanEncoder {
  expr(e: ExprNode): Json;
}

/** Reads what PlanEncoder wrote; `where` names the place in the JSON for error messages. */
export interface PlanDecoder {
  expr(j: Json | undefined, where: string): ExprNode;
}

/**
 * Everything the engine knows about one kind of plan node, kept beside its type: adding a
 * kind means one file and one entry in the table of plan/nodes.ts, whose type makes the
 * compiler reject a kind that has no entry.
 */
export interface NodeKindDef<N extends PlanNode> {
  /** The node's inputs, in a fixed order (none for a source). */
  inputs(node: N): PlanNode[];
  /** The node over new inputs (same order as `inputs`); the schema is left as it was. */
  withInputs(node: N, inputs: PlanNode[]): N;
  /** The node with its schema derived again from its inputs (after a rule changed them). */
  refresh(node: N): N;
  /** The node's line in `explain`, e.g. `Filter: (col(x) > 1)`. */
  explain(node: N): string;
  /** The node's own fields as JSON (inputs and kind are written by the caller). */
  encode(node: N, enc: PlanEncoder): JsonObject;
  /** Rebuilds the node over its decoded inputs, checking it as the DataFrame method would. */
  decode(json: JsonObject, inputs: PlanNode[], dec: PlanDecoder, where: string): N;
}
