import { col, count } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

export const q13: TpchQuery = {
  name: "q13",
  ordered: true,
  deft: (t) =>
    t.customer
      .join(t.orders.filter(col("o_comment").str.like("%special%requests%").not()), {
        leftOn: "c_custkey",
        rightOn: "o_custkey",
        how: "left",
      })
      .groupBy("c_custkey")
      .agg(col("o_orderkey").count().alias("c_count"))
      .groupBy("c_count")
      .agg(count().alias("custdist"))
      .sort(["custdist", "c_count"], { descending: true }),
  polars: (t) =>
    t.customer
      .join(t.orders.filter(pl.col("o_comment").str.contains("special.*requests").not()), {
        leftOn: "c_custkey",
        rightOn: "o_custkey",
        how: "left",
      })
      .groupBy("c_custkey")
      .agg(pl.col("o_orderkey").count().alias("c_count"))
      .groupBy("c_count")
      .agg(pl.len().alias("custdist"))
      .sort({ by: ["custdist", "c_count"], descending: true }),
  sql: () => `
SELECT c_count, count(*) AS custdist
FROM (
  SELECT c_custkey, count(o_orderkey)
  FROM customer LEFT OUTER JOIN orders
    ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%requests%'
  GROUP BY c_custkey
) AS c_orders (c_custkey, c_count)
GROUP BY c_count
ORDER BY custdist DESC, c_count DESC`,
};
