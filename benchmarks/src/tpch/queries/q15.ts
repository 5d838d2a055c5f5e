import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q15: TpchQuery = {
  name: "q15",
  ordered: true,
  deft: (t) => {
    const revenue = t.lineitem
      .filter(
        col("l_shipdate")
          .gte(date("1996-01-01"))
          .and(col("l_shipdate").lt(date("1996-04-01"))),
      )
      .groupBy(col("l_suppkey").alias("supplier_no"))
      .agg(discounted(col("l_extendedprice"), col("l_discount")).sum().alias("total_revenue"));
    const best = revenue.select(col("total_revenue").max().alias("max_revenue"));
    return t.supplier
      .join(
        revenue.join(best, { how: "cross" }).filter(col("total_revenue").eq(col("max_revenue"))),
        { leftOn: "s_suppkey", rightOn: "supplier_no" },
      )
      .select("s_suppkey", "s_name", "s_address", "s_phone", "total_revenue")
      .sort("s_suppkey");
  },
  polars: (t) => {
    const revenue = t.lineitem
      .filter(
        pl
          .col("l_shipdate")
          .gtEq(pdate("1996-01-01"))
          .and(pl.col("l_shipdate").lt(pdate("1996-04-01"))),
      )
      .groupBy(pl.col("l_suppkey").alias("supplier_no"))
      .agg(
        pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).sum().alias("total_revenue"),
      );
    return t.supplier
      .join(revenue.filter(pl.col("total_revenue").eq(pl.col("total_revenue").max())), {
        leftOn: "s_suppkey",
        rightOn: "supplier_no",
      })
      .select("s_suppkey", "s_name", "s_address", "s_phone", "total_revenue")
      .sort("s_suppkey");
  },
  sql: () => `
WITH revenue AS (
  SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue
  FROM lineitem
  WHERE l_shipdate >= CAST('1996-01-01' AS date) AND l_shipdate < CAST('1996-04-01' AS date)
  GROUP BY supplier_no)
SELECT s_suppkey, s_name, s_address, s_phone, total_revenue
FROM supplier, revenue
WHERE s_suppkey = supplier_no AND total_revenue = (SELECT max(total_revenue) FROM revenue)
ORDER BY s_suppkey`,
};
