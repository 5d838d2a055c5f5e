import { col, lit } from "@deft/core";
import { type ExprNode, exprId } from "@deft/core/internal";
import { DateDay, DateMillisecond, Float64 } from "apache-arrow";
import { describe, expect, it } from "vitest";

describe("exprId (structural identity of expressions)", () => {
  it("gives separately built, equal trees the same id", () => {
    const a = col("a").add(col("b").mul(2)).gt(3).node;
    const b = col("a").add(col("b").mul(2)).gt(3).node;
    expect(a).not.toBe(b);
    expect(exprId(a)).toBe(exprId(b));
  });

  it("tells apart trees that differ only in structure, literal value or type", () => {
    const distinct: ExprNode[] = [
      col("b").neg().fillNull(col("a")).node,
      col("b").fillNull(col("a")).neg().node,
      lit(0).node,
      lit(-0).node,
      lit(1).node,
      lit(1n).node,
      lit("1").node,
      lit(true).node,
      { kind: "lit", value: 1, type: new Float64() },
      col("a").cast(new DateDay()).node,
      col("a").cast(new DateMillisecond()).node,
      col("a").isNull().node,
      col("a").isNotNull().node,
      col("a").alias("x").node,
      col("a").alias("y").node,
      col("a").sum().node,
      col("a").mean().node,
    ];
    const ids = distinct.map(exprId);
    expect(new Set(ids).size).toBe(distinct.length);
  });
});
