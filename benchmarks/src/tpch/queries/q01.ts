import { col, count, lit } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q01: TpchQuery = {
  name: "q01",
  ordered: true,
  deft: (t) => {
    const price = col("l_extendedprice");
    const discPrice = discounted(price, col("l_discount"));
    return t.lineitem
      .filter(col("l_shipdate").lte(date("1998-09-02")))
      .groupBy("l_returnflag", "l_linestatus")
      .agg(
        col("l_quantity").sum().alias("sum_qty"),
        price.sum().alias("sum_base_price"),
        discPrice.sum().alias("sum_disc_price"),
        discPrice
          .mul(lit(1).add(col("l_tax")))
          .sum()
          .alias("sum_charge"),
        col("l_quantity").mean().alias("avg_qty"),
        price.mean().alias("avg_price"),
        col("l_discount").mean().alias("avg_disc"),
        count().alias("count_order"),
      )
      .sort(["l_returnflag", "l_linestatus"]);
  },
  polars: (t) => {
    const price = pl.col("l_extendedprice");
    const discPrice = pdiscounted(price, pl.col("l_discount"));
    return t.lineitem
      .filter(pl.col("l_shipdate").ltEq(pdate("1998-09-02")))
      .groupBy(["l_returnflag", "l_linestatus"])
      .agg(
        pl.col("l_quantity").sum().alias("sum_qty"),
        price.sum().alias("sum_base_price"),
        discPrice.sum().alias("sum_disc_price"),
        discPrice
          .mul(pl.lit(1).add(pl.col("l_tax")))
          .sum()
          .alias("sum_charge"),
        pl.col("l_quantity").mean().alias("avg_qty"),
        price.mean().alias("avg_price"),
        pl.col("l_discount").mean().alias("avg_disc"),
        pl.len().alias("count_order"),
      )
      .sort(["l_returnflag", "l_linestatus"]);
  },
  sql: () => `
SELECT l_returnflag, l_linestatus,
  sum(l_quantity) AS sum_qty,
  sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty,
  avg(l_extendedprice) AS avg_price,
  avg(l_discount) AS avg_disc,
  count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= CAST('1998-09-02' AS date)
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`,
};
