import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate } from "../polars.js";
import { date, type TpchQuery } from "../query.js";

export const q06: TpchQuery = {
  name: "q06",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .filter(
        col("l_shipdate")
          .gte(date("1994-01-01"))
          .and(col("l_shipdate").lt(date("1995-01-01")))
          .and(col("l_discount").between(0.05, 0.07))
          .and(col("l_quantity").lt(24)),
      )
      .select(col("l_extendedprice").mul(col("l_discount")).sum().alias("revenue")),
  polars: (t) =>
    t.lineitem
      .filter(
        pl
          .col("l_shipdate")
          .gtEq(pdate("1994-01-01"))
          .and(pl.col("l_shipdate").lt(pdate("1995-01-01")))
          .and(pl.col("l_discount").gtEq(0.05))
          .and(pl.col("l_discount").ltEq(0.07))
          .and(pl.col("l_quantity").lt(24)),
      )
      .select(pl.col("l_extendedprice").mul(pl.col("l_discount")).sum().alias("revenue")),
  sql: () => `
SELECT sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= CAST('1994-01-01' AS date) AND l_shipdate < CAST('1995-01-01' AS date)
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`,
};
