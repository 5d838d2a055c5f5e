import { col, lit, when } from "@deft/core";
import pl from "nodejs-polars";
import { pdate } from "../polars.js";
import { date, type TpchQuery } from "../query.js";

export const q12: TpchQuery = {
  name: "q12",
  ordered: true,
  deft: (t) => {
    const high = col("o_orderpriority").eq("1-URGENT").or(col("o_orderpriority").eq("2-HIGH"));
    return t.orders
      .join(
        t.lineitem.filter(
          col("l_shipmode")
            .isIn(["MAIL", "SHIP"])
            .and(col("l_commitdate").lt(col("l_receiptdate")))
            .and(col("l_shipdate").lt(col("l_commitdate")))
            .and(col("l_receiptdate").gte(date("1994-01-01")))
            .and(col("l_receiptdate").lt(date("1995-01-01"))),
        ),
        { leftOn: "o_orderkey", rightOn: "l_orderkey" },
      )
      .groupBy("l_shipmode")
      .agg(
        when(high).then(lit(1)).otherwise(lit(0)).sum().alias("high_line_count"),
        when(high).then(lit(0)).otherwise(lit(1)).sum().alias("low_line_count"),
      )
      .sort("l_shipmode");
  },
  polars: (t) => {
    const high = pl
      .col("o_orderpriority")
      .eq(pl.lit("1-URGENT"))
      .or(pl.col("o_orderpriority").eq(pl.lit("2-HIGH")));
    return t.orders
      .join(
        t.lineitem.filter(
          pl
            .col("l_shipmode")
            .isIn(["MAIL", "SHIP"])
            .and(pl.col("l_commitdate").lt(pl.col("l_receiptdate")))
            .and(pl.col("l_shipdate").lt(pl.col("l_commitdate")))
            .and(pl.col("l_receiptdate").gtEq(pdate("1994-01-01")))
            .and(pl.col("l_receiptdate").lt(pdate("1995-01-01"))),
        ),
        { leftOn: "o_orderkey", rightOn: "l_orderkey" },
      )
      .groupBy("l_shipmode")
      .agg(
        pl.when(high).then(pl.lit(1)).otherwise(pl.lit(0)).sum().alias("high_line_count"),
        pl.when(high).then(pl.lit(0)).otherwise(pl.lit(1)).sum().alias("low_line_count"),
      )
      .sort("l_shipmode");
  },
  sql: () => `
SELECT l_shipmode,
  sum(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END)
    AS high_line_count,
  sum(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END)
    AS low_line_count
FROM orders, lineitem
WHERE o_orderkey = l_orderkey AND l_shipmode IN ('MAIL', 'SHIP')
  AND l_commitdate < l_receiptdate AND l_shipdate < l_commitdate
  AND l_receiptdate >= CAST('1994-01-01' AS date) AND l_receiptdate < CAST('1995-01-01' AS date)
GROUP BY l_shipmode
ORDER BY l_shipmode`,
};
