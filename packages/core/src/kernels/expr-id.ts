// Structural identity of expressions for the kernel caches: two trees with the same shape get
// the same id, whatever object they are and however they print.
import type { DataType } from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { typeName } from "../types/dtype.js";

/** Interned node shapes: "kind|own fields|child ids" -> id. */
const interned = new Map<string, number>();
/** Ids already computed for node objects (trees are immutable, so an id never changes). */
const memo = new WeakMap<ExprNode, number>();
let nextId = 1;

/**
 * A hash-consed id: equal ids mean structurally equal expressions (same kinds, fields,
 * literal values and types, same children in order). Computed once per node object.
 * Distinct shapes never share an id, also after the intern table is cleared (ids only grow),
 * so clearing costs cache misses, never a wrong hit.
 */
export function exprId(node: ExprNode): number {
  const hit = memo.get(node);
  if (hit !== undefined) return hit;
  const key = `${node.kind}|${ownFields(node)}|${childIds(node)}`;
  let id = interned.get(key);
  if (id === undefined) {
    if (interned.size > 50_000) interned.clear();
    id = nextId++;
    interned.set(key, id);
  }
  memo.set(node, id);
  return id;
}

/** A type's identity: deft's name plus apache-arrow's spelling (date32 and date64 differ). */
export function typeKey(t: DataType): string {
  return `${typeName(t)}#${String(t)}`;
}

function childIds(node: ExprNode): string {
  switch (node.kind) {
    case "col":
    case "lit":
    case "interval":
      return "";
    case "binary":
      return `${exprId(node.left)},${exprId(node.right)}`;
    case "fillNull":
      return `${exprId(node.arg)},${exprId(node.fill)}`;
    case "when":
      return `${node.branches.map((b) => `${exprId(b.cond)}:${exprId(b.value)}`).join(",")};${exprId(node.otherwise)}`;
    case "udf":
    case "concatStr":
    case "math":
    case "choice":
      return node.args.map(exprId).join(",");
    case "agg":
    case "winFn":
      return node.arg ? String(exprId(node.arg)) : "";
    case "over":
      return `${exprId(node.arg)};${node.partitionBy.map(exprId).join(",")};${node.orderBy.map((k) => exprId(k.expr)).join(",")}`;
    default:
      return String(exprId(node.arg));
  }
}

function ownFields(node: ExprNode): string {
  switch (node.kind) {
    case "col":
      return JSON.stringify(node.name);
    case "lit":
      return `${litKey(node.value)}:${node.type ? typeKey(node.type) : "~"}`;
    case "binary":
      return node.op;
    case "isNull":
      return node.negated ? "not" : "";
    case "isIn":
      return node.values.map(litKey).join(",");
    case "cast":
      return `${typeKey(node.to)}${node.onError === "null" ? "?" : ""}`;
    case "alias":
      return JSON.stringify(node.name);
    case "when":
      return String(node.branches.length);
    case "str":
    case "list":
    case "struct":
    case "dt":
      return `${node.fn}(${node.args.map(litKey).join(",")})`;
    case "interval":
      return `${node.months},${node.days},${litKey(node.ms)}`;
    case "udf":
      return String(node.udf.id);
    case "concatStr":
      return `${JSON.stringify(node.separator)}${node.ignoreNulls ? "~" : ""}`;
    case "agg":
      return node.args ? `${node.fn}(${node.args.map(litKey).join(",")})` : node.fn;
    case "math":
    case "choice":
      return node.fn;
    case "winFn":
      return `${node.fn}(${node.args.map(litKey).join(",")})`;
    case "over":
      return `${node.orderBy.map((k) => `${k.descending ? "d" : "a"}${k.nullsFirst ? "f" : "l"}`).join("")}${node.frame ? `${node.frame.unit}[${node.frame.start},${node.frame.end}]` : ""}`;
    case "neg":
    case "not":
    case "fillNull":
      return "";
  }
}

/** A literal's identity: -0 differs from 0, 1 from 1n, "1" from 1, a Date from its number. */
function litKey(v: LitValue): string {
  if (v === null) return "n";
  if (typeof v === "number") return Object.is(v, -0) ? "d-0" : `d${v}`;
  if (typeof v === "bigint") return `b${v}`;
  if (typeof v === "boolean") return v ? "T" : "F";
  if (typeof v === "string") return `s${JSON.stringify(v)}`;
  if (v instanceof Date) return `D${v.getTime()}`;
  return `u${v.join(".")}`;
}
