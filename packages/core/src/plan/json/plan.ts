import type { UdfDef } from "../../udf/types.js";
import type { NodeKindDef, PlanDecoder, PlanEncoder } from "../node-kind.js";
import { kindOf, NODE_KINDS, type PlanKind, type PlanNode } from "../nodes.js";
import { PlanError } from "../resolve.js";
import { decodeExpr, encodeExpr } from "./expr.js";
import { decodeUdf, encodeUdf } from "./udf.js";
import { arrayAt, badPlan, type Json, type JsonObject, objectAt, stringAt } from "./values.js";

/** What `JSON.stringify(df)` writes: a deft plan, its UDFs once each, then the node tree. */
export interface PlanJson {
  /** Always "deft-plan". */
  format: "deft-plan";
  /** The layout version (1). */
  version: number;
  /** The root node: `{ kind, ...fields, inputs? }`, types by name, sources as descriptors. */
  plan: JsonObject;
  /** The UDFs the expressions name by index: name, options and shipped source or module. */
  udfs: JsonObject[];
}

const FORMAT = "deft-plan";
const VERSION = 1;

/** The plan as JSON-ready data; throws a PlanError naming what cannot travel. */
export function planToJson(root: PlanNode): PlanJson {
  const udfs: JsonObject[] = [];
  const index = new Map<UdfDef, number>();
  const udfIndex = (def: UdfDef): number => {
    let i = index.get(def);
    if (i === undefined) {
      i = udfs.length;
      udfs.push(encodeUdf(def));
      index.set(def, i);
    }
    return i;
  };
  const enc: PlanEncoder = { expr: (e) => encodeExpr(e, udfIndex) };
  const node = (n: PlanNode): JsonObject => {
    const def = kindOf(n);
    const out: JsonObject = { kind: n.kind, ...def.encode(n, enc) };
    const inputs = def.inputs(n);
    if (inputs.length) out.inputs = inputs.map(node);
    return out;
  };
  const plan = node(root);
  return { format: FORMAT, version: VERSION, plan, udfs };
}

/** Rebuilds a plan from JSON (a string or parsed), checking every node as it is built. */
export function planFromJson(input: string | object): PlanNode {
  let j: Json;
  if (typeof input === "string") {
    try {
      j = JSON.parse(input) as Json;
    } catch (err) {
      throw new PlanError(`DataFrame.fromJSON: the text is not JSON (${(err as Error).message}).`);
    }
  } else j = input as Json;
  const top = objectAt(j, "the plan");
  if (top.format !== FORMAT)
    throw badPlan(
      "format",
      `expected "${FORMAT}" (the output of JSON.stringify(df)), got ${JSON.stringify(top.format)}`,
    );
  if (top.version !== VERSION)
    throw badPlan(
      "version",
      `this deft reads plan version ${VERSION}, got ${JSON.stringify(top.version)}`,
    );
  const udfs = arrayAt(top.udfs ?? [], "udfs").map((u, i) => decodeUdf(u, `udfs[${i}]`));
  const udf = (i: number, where: string): UdfDef => {
    const def = Number.isInteger(i) ? udfs[i] : undefined;
    if (!def)
      throw badPlan(where, `no UDF number ${JSON.stringify(i)} (the plan has ${udfs.length})`);
    return def;
  };
  const dec: PlanDecoder = { expr: (e, where) => decodeExpr(e, where, udf) };
  const node = (nj: Json | undefined, where: string): PlanNode => {
    const o = objectAt(nj, where);
    const kind = stringAt(o.kind, `${where}.kind`);
    if (!Object.hasOwn(NODE_KINDS, kind))
      throw badPlan(
        `${where}.kind`,
        `unknown node kind "${kind}" (known: ${Object.keys(NODE_KINDS).join(", ")})`,
      );
    const inputs = arrayAt(o.inputs ?? [], `${where}.inputs`).map((c, i) =>
      node(c, `${where}.inputs[${i}]`),
    );
    const def = NODE_KINDS[kind as PlanKind] as unknown as NodeKindDef<PlanNode>;
    return def.decode(o, inputs, dec, where);
  };
  return node(top.plan, "plan");
}
