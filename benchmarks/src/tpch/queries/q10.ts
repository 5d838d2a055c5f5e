import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q10: TpchQuery = {
  name: "q10",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .filter(col("l_returnflag").eq("R"))
      .join(
        t.orders.filter(
          col("o_orderdate")
            .gte(date("1993-10-01"))
            .and(col("o_orderdate").lt(date("1994-01-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" })
      .join(t.nation, { leftOn: "c_nationkey", rightOn: "n_nationkey" })
      .groupBy(
        col("o_custkey").alias("c_custkey"),
        "c_name",
        "c_acctbal",
        "c_phone",
        "n_name",
        "c_address",
        "c_comment",
      )
      .agg(discounted(col("l_extendedprice"), col("l_discount")).sum().alias("revenue"))
      .select(
        "c_custkey",
        "c_name",
        "revenue",
        "c_acctbal",
        "n_name",
        "c_address",
        "c_phone",
        "c_comment",
      )
      .sort("revenue", { descending: true })
      .limit(20),
  polars: (t) =>
    t.lineitem
      .filter(pl.col("l_returnflag").eq(pl.lit("R")))
      .join(
        t.orders.filter(
          pl
            .col("o_orderdate")
            .gtEq(pdate("1993-10-01"))
            .and(pl.col("o_orderdate").lt(pdate("1994-01-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" })
      .join(t.nation, { leftOn: "c_nationkey", rightOn: "n_nationkey" })
      .groupBy([
        pl.col("o_custkey").alias("c_custkey"),
        ...["c_name", "c_acctbal", "c_phone", "n_name", "c_address", "c_comment"].map((c) =>
          pl.col(c),
        ),
      ])
      .agg(pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).sum().alias("revenue"))
      .select(
        "c_custkey",
        "c_name",
        "revenue",
        "c_acctbal",
        "n_name",
        "c_address",
        "c_phone",
        "c_comment",
      )
      .sort({ by: "revenue", descending: true })
      .limit(20),
  sql: () => `
SELECT c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) AS revenue, c_acctbal, n_name,
  c_address, c_phone, c_comment
FROM customer, orders, lineitem, nation
WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey
  AND o_orderdate >= CAST('1993-10-01' AS date) AND o_orderdate < CAST('1994-01-01' AS date)
  AND l_returnflag = 'R' AND c_nationkey = n_nationkey
GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment
ORDER BY revenue DESC
LIMIT 20`,
};
