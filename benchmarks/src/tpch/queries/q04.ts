import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate } from "../polars.js";
import { date, type TpchQuery } from "../query.js";

export const q04: TpchQuery = {
  name: "q04",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .filter(col("l_commitdate").lt(col("l_receiptdate")))
      .join(
        t.orders.filter(
          col("o_orderdate")
            .gte(date("1993-07-01"))
            .and(col("o_orderdate").lt(date("1993-10-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      // EXISTS a late line: each order once, however many late lines it has.
      .groupBy("o_orderpriority")
      .agg(col("l_orderkey").countDistinct().alias("order_count"))
      .sort("o_orderpriority"),
  polars: (t) =>
    t.lineitem
      .filter(pl.col("l_commitdate").lt(pl.col("l_receiptdate")))
      .join(
        t.orders.filter(
          pl
            .col("o_orderdate")
            .gtEq(pdate("1993-07-01"))
            .and(pl.col("o_orderdate").lt(pdate("1993-10-01"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .groupBy("o_orderpriority")
      .agg(pl.col("l_orderkey").nUnique().alias("order_count"))
      .sort("o_orderpriority"),
  sql: () => `
SELECT o_orderpriority, count(*) AS order_count
FROM orders
WHERE o_orderdate >= CAST('1993-07-01' AS date) AND o_orderdate < CAST('1993-10-01' AS date)
  AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
GROUP BY o_orderpriority
ORDER BY o_orderpriority`,
};
