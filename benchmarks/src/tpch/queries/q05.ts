import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q05: TpchQuery = {
  name: "q05",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .join(
        t.supplier
          .join(t.nation, { leftOn: "s_nationkey", rightOn: "n_nationkey" })
          .join(t.region.filter(col("r_name").eq("ASIA")), {
            leftOn: "n_regionkey",
            rightOn: "r_regionkey",
            how: "semi",
          }),
        { leftOn: "l_suppkey", rightOn: "s_suppkey" },
      )
      .join(
        t.orders.filter(
          col("o_orderdate")
            .gte(date("1994-01-01"))
            .and(col("o_orderdate").lt(date("1995-01-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .join(t.customer, {
        leftOn: ["o_custkey", "s_nationkey"],
        rightOn: ["c_custkey", "c_nationkey"],
      })
      .groupBy("n_name")
      .agg(discounted(col("l_extendedprice"), col("l_discount")).sum().alias("revenue"))
      .sort("revenue", { descending: true }),
  polars: (t) =>
    t.lineitem
      .join(
        t.supplier
          .join(t.nation, { leftOn: "s_nationkey", rightOn: "n_nationkey" })
          .join(t.region.filter(pl.col("r_name").eq(pl.lit("ASIA"))), {
            leftOn: "n_regionkey",
            rightOn: "r_regionkey",
            how: "semi",
          }),
        { leftOn: "l_suppkey", rightOn: "s_suppkey" },
      )
      .join(
        t.orders.filter(
          pl
            .col("o_orderdate")
            .gtEq(pdate("1994-01-01"))
            .and(pl.col("o_orderdate").lt(pdate("1995-01-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .join(t.customer, {
        leftOn: ["o_custkey", "s_nationkey"],
        rightOn: ["c_custkey", "c_nationkey"],
      })
      .groupBy("n_name")
      .agg(pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).sum().alias("revenue"))
      .sort({ by: "revenue", descending: true }),
  sql: () => `
SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM customer, orders, lineitem, supplier, nation, region
WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey
  AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey
  AND r_name = 'ASIA' AND o_orderdate >= CAST('1994-01-01' AS date)
  AND o_orderdate < CAST('1995-01-01' AS date)
GROUP BY n_name
ORDER BY revenue DESC`,
};
