import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q03: TpchQuery = {
  name: "q03",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .filter(col("l_shipdate").gt(date("1995-03-15")))
      .join(
        t.orders
          .filter(col("o_orderdate").lt(date("1995-03-15")))
          .join(t.customer.filter(col("c_mktsegment").eq("BUILDING")), {
            leftOn: "o_custkey",
            rightOn: "c_custkey",
            how: "semi",
          }),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .groupBy("l_orderkey", "o_orderdate", "o_shippriority")
      .agg(discounted(col("l_extendedprice"), col("l_discount")).sum().alias("revenue"))
      .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
      .sort(["revenue", "o_orderdate"], { descending: [true, false] })
      .limit(10),
  polars: (t) =>
    t.lineitem
      .filter(pl.col("l_shipdate").gt(pdate("1995-03-15")))
      .join(
        t.orders
          .filter(pl.col("o_orderdate").lt(pdate("1995-03-15")))
          .join(t.customer.filter(pl.col("c_mktsegment").eq(pl.lit("BUILDING"))), {
            leftOn: "o_custkey",
            rightOn: "c_custkey",
            how: "semi",
          }),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .groupBy(["l_orderkey", "o_orderdate", "o_shippriority"])
      .agg(pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).sum().alias("revenue"))
      .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
      .sort({ by: ["revenue", "o_orderdate"], descending: [true, false] })
      .limit(10),
  sql: () => `
SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
FROM customer, orders, lineitem
WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
  AND o_orderdate < CAST('1995-03-15' AS date) AND l_shipdate > CAST('1995-03-15' AS date)
GROUP BY l_orderkey, o_orderdate, o_shippriority
ORDER BY revenue DESC, o_orderdate
LIMIT 10`,
};
