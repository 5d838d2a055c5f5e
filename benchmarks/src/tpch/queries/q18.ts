import { col } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

/** Q18 with its QUANTITY parameter (the standard one is 300; few orders pass it at small SF). */
export const q18With = (quantity: number): TpchQuery => ({
  name: quantity === 300 ? "q18" : `q18 (quantity ${quantity})`,
  ordered: true,
  deft: (t) => {
    const large = t.lineitem
      .groupBy("l_orderkey")
      .agg(col("l_quantity").sum().alias("order_qty"))
      .filter(col("order_qty").gt(quantity));
    const bigOrders = t.orders
      .join(large, { leftOn: "o_orderkey", rightOn: "l_orderkey", how: "semi" })
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" });
    return t.lineitem
      .join(bigOrders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .groupBy(
        "c_name",
        col("o_custkey").alias("c_custkey"),
        col("l_orderkey").alias("o_orderkey"),
        "o_orderdate",
        "o_totalprice",
      )
      .agg(col("l_quantity").sum().alias("sum_qty"))
      .sort(["o_totalprice", "o_orderdate"], { descending: [true, false] })
      .limit(100);
  },
  polars: (t) => {
    const large = t.lineitem
      .groupBy("l_orderkey")
      .agg(pl.col("l_quantity").sum().alias("order_qty"))
      .filter(pl.col("order_qty").gt(quantity));
    const bigOrders = t.orders
      .join(large, { leftOn: "o_orderkey", rightOn: "l_orderkey", how: "semi" })
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" });
    return t.lineitem
      .join(bigOrders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .groupBy([
        pl.col("c_name"),
        pl.col("o_custkey").alias("c_custkey"),
        pl.col("l_orderkey").alias("o_orderkey"),
        pl.col("o_orderdate"),
        pl.col("o_totalprice"),
      ])
      .agg(pl.col("l_quantity").sum().alias("sum_qty"))
      .sort({ by: ["o_totalprice", "o_orderdate"], descending: [true, false] })
      .limit(100);
  },
  sql: () => `
SELECT c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum(l_quantity) AS sum_qty
FROM customer, orders, lineitem
WHERE o_orderkey IN (
    SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > ${quantity})
  AND c_custkey = o_custkey AND o_orderkey = l_orderkey
GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice
ORDER BY o_totalprice DESC, o_orderdate
LIMIT 100`,
});

export const q18 = q18With(300);
