import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdiscounted } from "../polars.js";
import { discounted, type TpchQuery } from "../query.js";

export const q09: TpchQuery = {
  name: "q09",
  ordered: true,
  deft: (t) =>
    t.lineitem
      .join(t.part.filter(col("p_name").str.contains("green")), {
        leftOn: "l_partkey",
        rightOn: "p_partkey",
        how: "semi",
      })
      .join(t.supplier.join(t.nation, { leftOn: "s_nationkey", rightOn: "n_nationkey" }), {
        leftOn: "l_suppkey",
        rightOn: "s_suppkey",
      })
      .join(t.partsupp, {
        leftOn: ["l_suppkey", "l_partkey"],
        rightOn: ["ps_suppkey", "ps_partkey"],
      })
      .join(t.orders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .groupBy(col("n_name").alias("nation"), col("o_orderdate").dt.year().alias("o_year"))
      .agg(
        discounted(col("l_extendedprice"), col("l_discount"))
          .sub(col("ps_supplycost").mul(col("l_quantity")))
          .sum()
          .alias("sum_profit"),
      )
      .sort(["nation", "o_year"], { descending: [false, true] }),
  polars: (t) =>
    t.lineitem
      .join(t.part.filter(pl.col("p_name").str.contains("green", true)), {
        leftOn: "l_partkey",
        rightOn: "p_partkey",
        how: "semi",
      })
      .join(t.supplier.join(t.nation, { leftOn: "s_nationkey", rightOn: "n_nationkey" }), {
        leftOn: "l_suppkey",
        rightOn: "s_suppkey",
      })
      .join(t.partsupp, {
        leftOn: ["l_suppkey", "l_partkey"],
        rightOn: ["ps_suppkey", "ps_partkey"],
      })
      .join(t.orders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .groupBy([pl.col("n_name").alias("nation"), pl.col("o_orderdate").dt.year().alias("o_year")])
      .agg(
        pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount"))
          .sub(pl.col("ps_supplycost").mul(pl.col("l_quantity")))
          .sum()
          .alias("sum_profit"),
      )
      .sort({ by: ["nation", "o_year"], descending: [false, true] }),
  sql: () => `
SELECT nation, o_year, sum(amount) AS sum_profit
FROM (
  SELECT n_name AS nation, extract(year FROM o_orderdate) AS o_year,
    l_extendedprice * (1 - l_discount) - ps_supplycost * l_quantity AS amount
  FROM part, supplier, lineitem, partsupp, orders, nation
  WHERE s_suppkey = l_suppkey AND ps_suppkey = l_suppkey AND ps_partkey = l_partkey
    AND p_partkey = l_partkey AND o_orderkey = l_orderkey AND s_nationkey = n_nationkey
    AND p_name LIKE '%green%'
) AS profit
GROUP BY nation, o_year
ORDER BY nation, o_year DESC`,
};
