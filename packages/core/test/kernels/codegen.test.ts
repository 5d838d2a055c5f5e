// The shape of the generated loops: the properties that make them fast.
import { col, lit } from "@deft/core";
import { type ExprNode, generateLoop, type LoopLeaf, type LoopNode } from "@deft/core/internal";
import { Bool, type DataType, Float64, Int32 } from "apache-arrow";
import { describe, expect, it } from "vitest";

/** A loop tree of `op(col(a), rhs)` with column a as input slot 0. */
function tree(
  node: ExprNode,
  type: DataType,
  left: ExprNode,
  leftType: DataType,
  right: ExprNode,
  rightType: DataType,
  hasNulls: boolean,
) {
  const leaf: LoopLeaf = { index: 0, type: leftType, hasNulls, validityOnly: false };
  const root: LoopNode = {
    node,
    type,
    kids: [
      { node: left, type: leftType, kids: [], leaf },
      { node: right, type: rightType, kids: [] },
    ],
  };
  return { root, leaves: [leaf] };
}

describe("generated loops", () => {
  const f64 = new Float64();

  it("a no-null float expression is one tight loop over typed arrays: no validity, no calls", () => {
    const { root, leaves } = tree(
      col("a").mul(2).node,
      f64,
      col("a").node,
      f64,
      lit(2).node,
      f64,
      false,
    );
    const { source } = generateLoop(root, leaves, "value");
    expect(source.match(/for \(/g)).toHaveLength(1);
    expect(source).toContain("a0[i]");
    expect(source).not.toMatch(/validity;|m0|\.get\(|=>/);
    expect(source).toContain("const validity = null");
  });

  it("a nullable input reads its validity bitmap bit by bit and counts nulls", () => {
    const { root, leaves } = tree(
      col("a").mul(2).node,
      f64,
      col("a").node,
      f64,
      lit(2).node,
      f64,
      true,
    );
    const { source } = generateLoop(root, leaves, "value");
    expect(source).toContain("const m0 = I[0].validity;");
    expect(source).toMatch(/m0\[i >> 3\] >> \(i & 7\)/);
    expect(source).toContain("nulls += 1 - kb");
  });

  it("a selection (filter) is branch free: it writes every index and advances on a match", () => {
    const { root, leaves } = tree(
      col("a").gt(0.5).node,
      new Bool(),
      col("a").node,
      f64,
      lit(0.5).node,
      f64,
      false,
    );
    const { source } = generateLoop(root, leaves, "select");
    expect(source).toContain("sel[c] = i; c += +(");
    expect(source).not.toContain("if (");
  });

  it("int32 multiplication uses Math.imul (exact 32-bit wrap) and int32 add wraps with | 0", () => {
    const i32 = new Int32();
    const mul = tree(
      col("a").mul(col("a")).node,
      i32,
      col("a").node,
      i32,
      col("a").node,
      i32,
      false,
    );
    mul.root.kids[1] = mul.root.kids[0]!;
    expect(generateLoop(mul.root, mul.leaves, "value").source).toContain("Math.imul(");
    const add = tree(col("a").add(1).node, i32, col("a").node, i32, lit(1).node, f64, false);
    expect(generateLoop(add.root, add.leaves, "value").source).toMatch(/\+ 1 \| 0\)/);
  });
});
