import { col, count } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

export const q21: TpchQuery = {
  name: "q21",
  ordered: true,
  deft: (t) => {
    const late = t.lineitem.filter(col("l_receiptdate").gt(col("l_commitdate")));
    // EXISTS another supplier on the order: its suppliers are not all one (min != max).
    const multiSupplier = t.lineitem
      .groupBy("l_orderkey")
      .agg(col("l_suppkey").min().alias("lo"), col("l_suppkey").max().alias("hi"))
      .filter(col("lo").neq(col("hi")));
    // NOT EXISTS another late supplier: the order's late lines all have one supplier.
    const oneLate = late
      .groupBy("l_orderkey")
      .agg(col("l_suppkey").min().alias("lo"), col("l_suppkey").max().alias("hi"))
      .filter(col("lo").eq(col("hi")));
    const saudi = t.supplier.join(t.nation.filter(col("n_name").eq("SAUDI ARABIA")), {
      leftOn: "s_nationkey",
      rightOn: "n_nationkey",
      how: "semi",
    });
    return late
      .join(saudi, { leftOn: "l_suppkey", rightOn: "s_suppkey" })
      .join(multiSupplier, { on: "l_orderkey", how: "semi" })
      .join(oneLate, { on: "l_orderkey", how: "semi" })
      .join(t.orders.filter(col("o_orderstatus").eq("F")), {
        leftOn: "l_orderkey",
        rightOn: "o_orderkey",
        how: "semi",
      })
      .groupBy("s_name")
      .agg(count().alias("numwait"))
      .sort(["numwait", "s_name"], { descending: [true, false] })
      .limit(100);
  },
  polars: (t) => {
    const late = t.lineitem.filter(pl.col("l_receiptdate").gt(pl.col("l_commitdate")));
    const multiSupplier = t.lineitem
      .groupBy("l_orderkey")
      .agg(pl.col("l_suppkey").min().alias("lo"), pl.col("l_suppkey").max().alias("hi"))
      .filter(pl.col("lo").neq(pl.col("hi")));
    const oneLate = late
      .groupBy("l_orderkey")
      .agg(pl.col("l_suppkey").min().alias("lo"), pl.col("l_suppkey").max().alias("hi"))
      .filter(pl.col("lo").eq(pl.col("hi")));
    const saudi = t.supplier.join(t.nation.filter(pl.col("n_name").eq(pl.lit("SAUDI ARABIA"))), {
      leftOn: "s_nationkey",
      rightOn: "n_nationkey",
      how: "semi",
    });
    return late
      .join(saudi, { leftOn: "l_suppkey", rightOn: "s_suppkey" })
      .join(multiSupplier, { on: "l_orderkey", how: "semi" })
      .join(oneLate, { on: "l_orderkey", how: "semi" })
      .join(t.orders.filter(pl.col("o_orderstatus").eq(pl.lit("F"))), {
        leftOn: "l_orderkey",
        rightOn: "o_orderkey",
        how: "semi",
      })
      .groupBy("s_name")
      .agg(pl.len().alias("numwait"))
      .sort({ by: ["numwait", "s_name"], descending: [true, false] })
      .limit(100);
  },
  sql: () => `
SELECT s_name, count(*) AS numwait
FROM supplier, lineitem l1, orders, nation
WHERE s_suppkey = l1.l_suppkey AND o_orderkey = l1.l_orderkey AND o_orderstatus = 'F'
  AND l1.l_receiptdate > l1.l_commitdate
  AND EXISTS (
    SELECT * FROM lineitem l2
    WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey)
  AND NOT EXISTS (
    SELECT * FROM lineitem l3
    WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey
      AND l3.l_receiptdate > l3.l_commitdate)
  AND s_nationkey = n_nationkey AND n_name = 'SAUDI ARABIA'
GROUP BY s_name
ORDER BY numwait DESC, s_name
LIMIT 100`,
};
