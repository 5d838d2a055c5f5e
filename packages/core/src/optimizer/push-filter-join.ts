import type { ExprNode } from "../expr/ast.js";
import { filterNode } from "../plan/build.js";
import type { PlanNode } from "../plan/nodes.js";
import { type JoinNode, joinColumns } from "./join-columns.js";
import { andAll, conjuncts, readsOnly, rename } from "./predicates.js";

/**
 * Pushes the conjuncts of a filter over a join into the sides the join kind allows:
 *
 * - reading only left columns: into the left side of inner, cross, left, semi and anti joins
 *   (a left row that fails it yields no output row in those kinds, matched or not);
 * - reading only right columns (and keys): into the right side of inner, cross and right joins,
 *   with key and suffixed names mapped back to the right side's own;
 * - reading only join keys: into both sides for every kind but outer. A row of one side that
 *   fails it can only match rows of the other side that fail it too, and the output key is
 *   the key of a row that survives;
 * - the rest, and everything over an outer join, stay above the join (a side's filter would
 *   turn its dropped rows into null-extended ones instead of removing them).
 */
export function pushFilterIntoJoin(predicate: ExprNode, join: JoinNode): PlanNode | undefined {
  const { how } = join;
  if (how === "outer") return undefined;
  const cols = joinColumns(join);
  const leftNames = new Set(cols.left);
  const keys = new Set(join.leftOn);
  const toRight = new Map<string, string>(cols.right.map((c) => [c.out, c.name]));
  for (const [i, l] of join.leftOn.entries()) toRight.set(l, join.rightOn[i]!);
  const rightNames = new Set(toRight.keys());
  const leftToo =
    how === "inner" || how === "cross" || how === "left" || how === "semi" || how === "anti";
  const rightToo = how === "inner" || how === "cross" || how === "right";

  const left: ExprNode[] = [];
  const right: ExprNode[] = [];
  const kept: ExprNode[] = [];
  for (const c of conjuncts(predicate)) {
    if (readsOnly(c, keys)) {
      left.push(c);
      right.push(rename(c, toRight));
    } else if (leftToo && readsOnly(c, leftNames)) left.push(c);
    else if (rightToo && readsOnly(c, rightNames)) right.push(rename(c, toRight));
    else kept.push(c);
  }
  if (left.length === 0 && right.length === 0) return undefined;
  const onLeft = andAll(left);
  const onRight = andAll(right);
  const moved: JoinNode = {
    ...join,
    left: onLeft ? filterNode(join.left, onLeft) : join.left,
    right: onRight ? filterNode(join.right, onRight) : join.right,
  };
  const rest = andAll(kept);
  return rest ? filterNode(moved, rest) : moved;
}
