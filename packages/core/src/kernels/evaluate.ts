import {
  type Data,
  type DataType,
  makeData,
  type RecordBatch,
  type Schema,
  Type,
} from "apache-arrow";
import { children, type ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { isString, typeName } from "../types/dtype.js";
import { resolveType } from "../types/typing.js";
import { compileLoop } from "./codegen.js";
import { exprId, typeKey } from "./expr-id.js";
import { type LoopInput, loopInput } from "./input.js";
import { isLoopType, type LoopLeaf, type LoopNode } from "./loop-types.js";
import { type CompareOp, compareUtf8Literal, isInUtf8 } from "./str-compare.js";
import { broadcastLiteral, vectorKernel } from "./vector.js";

/** Computes one column from a batch. */
export type Program = (batch: RecordBatch) => Data;

const programs = new Map<string, Program>();

function schemaKey(schema: Schema): string {
  let s = "";
  for (const f of schema.fields) s += `${JSON.stringify(f.name)}:${typeKey(f.type)};`;
  return s;
}

/** Evaluates an expression over a batch (compiled once per expression shape and schema). */
export function evaluate(node: ExprNode, batch: RecordBatch): Data {
  return compile(node, batch.schema)(batch);
}

/** Compiles an expression against a schema into a reusable program. */
export function compile(node: ExprNode, schema: Schema): Program {
  const key = `${exprId(node)}|${schemaKey(schema)}`;
  let p = programs.get(key);
  if (!p) {
    p = build(node, schema);
    if (programs.size > 2000) programs.clear();
    programs.set(key, p);
  }
  return p;
}

/**
 * Compiles a predicate into a function that returns the selected row indices (null counts
 * as false), so a filter evaluates its condition once and then gathers.
 */
export function compileSelection(
  node: ExprNode,
  schema: Schema,
): (batch: RecordBatch) => Int32Array {
  const t = resolveType(node, schema);
  if (t.typeId !== Type.Bool && t.typeId !== Type.Null) {
    throw new Error(`internal: selection over ${typeName(t)}`);
  }
  return buildLoop(node, schema, "select") as unknown as (batch: RecordBatch) => Int32Array;
}

function build(node: ExprNode, schema: Schema): Program {
  const type = resolveType(node, schema);
  if (loopable(node, schema, type)) return buildLoop(node, schema, "value");
  return buildVector(node, schema, type);
}

/** Whether the node itself can be computed inside a generated loop. */
function loopable(node: ExprNode, schema: Schema, type: DataType): boolean {
  if (!isLoopType(type)) return false;
  switch (node.kind) {
    case "lit":
    case "neg":
    case "not":
    case "isNull":
    case "fillNull":
    case "when":
      return true;
    case "alias":
      return loopable(node.arg, schema, type);
    case "binary":
      return (
        isLoopType(resolveType(node.left, schema)) && isLoopType(resolveType(node.right, schema))
      );
    case "isIn":
    case "cast":
    case "dt":
      return isLoopType(resolveType(node.arg, schema));
    case "math":
      // hash reads every type's bytes: a vector kernel (kernels/hash64.ts).
      if (node.fn === "hash") return false;
      return node.args.every((a) => isLoopType(resolveType(a, schema)));
    case "choice":
      return node.args.every((a) => isLoopType(resolveType(a, schema)));
    default:
      return false;
  }
}

function buildLoop(root: ExprNode, schema: Schema, mode: "value" | "select"): Program {
  const leaves: { program: Program; leaf: LoopLeaf }[] = [];
  const annotate = (node: ExprNode, validityOnly: boolean): LoopNode => {
    const type = resolveType(node, schema);
    if (node.kind !== "col" && loopable(node, schema, type)) {
      const kids = children(node).map((k) =>
        annotate(k, node.kind === "isNull" && !isLoopType(resolveType(k, schema))),
      );
      return { node, type, kids };
    }
    const leaf: LoopLeaf = {
      index: leaves.length,
      type,
      hasNulls: false,
      validityOnly: validityOnly || !isLoopType(type),
    };
    leaves.push({ program: build(node, schema), leaf });
    return { node, type, kids: [], leaf };
  };
  const tree = annotate(root, false);
  const outType = tree.type;
  const shape = `${mode}|${exprId(root)}|${typeKey(outType)}|${leaves.map((l) => typeKey(l.leaf.type)).join(",")}`;
  return (batch: RecordBatch): Data => {
    const n = batch.numRows;
    const inputs: LoopInput[] = [];
    let nullKey = "";
    for (const { program, leaf } of leaves) {
      const d = program(batch);
      const input = loopInput(d);
      inputs.push(input);
      leaf.hasNulls = input.validity !== null;
      nullKey += leaf.hasNulls ? "1" : "0";
    }
    const { fn, consts } = compileLoop(
      `${shape}|${nullKey}`,
      tree,
      leaves.map((l) => ({ ...l.leaf })),
      mode,
      outType,
    );
    const res = fn(n, inputs, consts);
    if (mode === "select") return res.values as unknown as Data;
    if (outType.typeId === Type.Null)
      return makeData({ type: outType, length: n, nullCount: n }) as Data;
    return makeData({
      type: outType,
      length: n,
      nullCount: res.nulls,
      nullBitmap: res.validity,
      data: res.values,
    } as never) as Data;
  };
}

function buildVector(node: ExprNode, schema: Schema, type: DataType): Program {
  switch (node.kind) {
    case "col": {
      const idx = schema.fields.findIndex((f) => f.name === node.name);
      return (batch) => batch.data.children[idx]!;
    }
    case "alias":
      return build(node.arg, schema);
    case "lit":
      return (batch) => broadcastLiteral(node.value, type, batch.numRows);
    case "udf":
      throw new Error(
        `internal: UDF ${node.udf.name} reached the expression kernels; the optimizer splits UDFs into their own plan nodes.`,
      );
    case "agg":
      throw new Error(
        `${formatExpr(node)} is an aggregation: use it in groupBy(...).agg(...) or select(...), not in withColumn/filter.`,
      );
    case "binary":
    case "isIn": {
      const fast = stringLiteralTest(node, schema);
      if (fast) return fast;
      return buildKernel(node, schema, type);
    }
    default:
      return buildKernel(node, schema, type);
  }
}

const COMPARE_OPS = new Set(["eq", "neq", "lt", "lte", "gt", "gte"]);

/**
 * A string column compared with a string literal, or tested against a list of them: byte
 * kernels that never build the literal as a column nor decode a row (kernels/str-compare.ts).
 */
function stringLiteralTest(node: ExprNode, schema: Schema): Program | undefined {
  const stringCol = (e: ExprNode) => isString(resolveType(e, schema));
  const strLit = (e: ExprNode): e is Extract<ExprNode, { kind: "lit" }> =>
    e.kind === "lit" && typeof e.value === "string";
  if (node.kind === "isIn") {
    if (!stringCol(node.arg) || !node.values.every((v) => v === null || typeof v === "string"))
      return undefined;
    const arg = build(node.arg, schema);
    const values = node.values.filter((v): v is string => typeof v === "string");
    return (batch) => isInUtf8(arg(batch), values);
  }
  if (node.kind !== "binary" || !COMPARE_OPS.has(node.op)) return undefined;
  const op = node.op as CompareOp;
  if (strLit(node.right) && stringCol(node.left)) {
    const left = build(node.left, schema);
    const lit = node.right.value as string;
    return (batch) => compareUtf8Literal(op, left(batch), lit, false);
  }
  if (strLit(node.left) && stringCol(node.right)) {
    const right = build(node.right, schema);
    const lit = node.left.value as string;
    return (batch) => compareUtf8Literal(op, right(batch), lit, true);
  }
  return undefined;
}

function buildKernel(node: ExprNode, schema: Schema, type: DataType): Program {
  const kids = children(node);
  const programs = kids.map((k) => build(k, schema));
  const kidTypes = kids.map((k) => resolveType(k, schema));
  return (batch) =>
    vectorKernel(
      node,
      programs.map((p) => p(batch)),
      kidTypes,
      type,
      batch.numRows,
    );
}
