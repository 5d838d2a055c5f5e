import { col, lit, when } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q14: TpchQuery = {
  name: "q14",
  ordered: true,
  deft: (t) => {
    const revenue = discounted(col("l_extendedprice"), col("l_discount"));
    return t.lineitem
      .filter(
        col("l_shipdate")
          .gte(date("1995-09-01"))
          .and(col("l_shipdate").lt(date("1995-10-01"))),
      )
      .join(t.part, { leftOn: "l_partkey", rightOn: "p_partkey" })
      .select(
        lit(100)
          .mul(when(col("p_type").str.startsWith("PROMO")).then(revenue).otherwise(lit(0)).sum())
          .div(revenue.sum())
          .alias("promo_revenue"),
      );
  },
  polars: (t) => {
    const revenue = pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount"));
    return t.lineitem
      .filter(
        pl
          .col("l_shipdate")
          .gtEq(pdate("1995-09-01"))
          .and(pl.col("l_shipdate").lt(pdate("1995-10-01"))),
      )
      .join(t.part, { leftOn: "l_partkey", rightOn: "p_partkey" })
      .select(
        pl
          .lit(100)
          .mul(
            pl
              .when(pl.col("p_type").str.startsWith("PROMO"))
              .then(revenue)
              .otherwise(pl.lit(0))
              .sum(),
          )
          .div(revenue.sum())
          .alias("promo_revenue"),
      );
  },
  sql: () => `
SELECT 100.00 * sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END)
  / sum(l_extendedprice * (1 - l_discount)) AS promo_revenue
FROM lineitem, part
WHERE l_partkey = p_partkey AND l_shipdate >= CAST('1995-09-01' AS date)
  AND l_shipdate < CAST('1995-10-01' AS date)`,
};
