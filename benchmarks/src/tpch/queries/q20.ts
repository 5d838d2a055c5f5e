import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate } from "../polars.js";
import { date, type TpchQuery } from "../query.js";

export const q20: TpchQuery = {
  name: "q20",
  ordered: true,
  deft: (t) => {
    const forest = t.part.filter(col("p_name").str.startsWith("forest"));
    const shipped = t.lineitem
      .filter(
        col("l_shipdate")
          .gte(date("1994-01-01"))
          .and(col("l_shipdate").lt(date("1995-01-01"))),
      )
      .join(forest, { leftOn: "l_partkey", rightOn: "p_partkey", how: "semi" })
      .groupBy("l_partkey", "l_suppkey")
      .agg(col("l_quantity").sum().alias("sum_qty"));
    const excess = t.partsupp
      .join(forest, {
        leftOn: "ps_partkey",
        rightOn: "p_partkey",
        how: "semi",
      })
      .join(shipped, { leftOn: ["ps_partkey", "ps_suppkey"], rightOn: ["l_partkey", "l_suppkey"] })
      .filter(col("ps_availqty").gt(col("sum_qty").mul(0.5)));
    return t.supplier
      .join(excess, { leftOn: "s_suppkey", rightOn: "ps_suppkey", how: "semi" })
      .join(t.nation.filter(col("n_name").eq("CANADA")), {
        leftOn: "s_nationkey",
        rightOn: "n_nationkey",
      })
      .select("s_name", "s_address")
      .sort("s_name");
  },
  polars: (t) => {
    const forest = t.part.filter(pl.col("p_name").str.startsWith("forest"));
    const shipped = t.lineitem
      .filter(
        pl
          .col("l_shipdate")
          .gtEq(pdate("1994-01-01"))
          .and(pl.col("l_shipdate").lt(pdate("1995-01-01"))),
      )
      .join(forest, { leftOn: "l_partkey", rightOn: "p_partkey", how: "semi" })
      .groupBy(["l_partkey", "l_suppkey"])
      .agg(pl.col("l_quantity").sum().alias("sum_qty"));
    const excess = t.partsupp
      .join(forest, {
        leftOn: "ps_partkey",
        rightOn: "p_partkey",
        how: "semi",
      })
      .join(shipped, { leftOn: ["ps_partkey", "ps_suppkey"], rightOn: ["l_partkey", "l_suppkey"] })
      .filter(pl.col("ps_availqty").gt(pl.col("sum_qty").mul(0.5)));
    return t.supplier
      .join(excess, { leftOn: "s_suppkey", rightOn: "ps_suppkey", how: "semi" })
      .join(t.nation.filter(pl.col("n_name").eq(pl.lit("CANADA"))), {
        leftOn: "s_nationkey",
        rightOn: "n_nationkey",
      })
      .select("s_name", "s_address")
      .sort("s_name");
  },
  sql: () => `
SELECT s_name, s_address
FROM supplier, nation
WHERE s_suppkey IN (
    SELECT ps_suppkey FROM partsupp
    WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest%')
      AND ps_availqty > (
        SELECT 0.5 * sum(l_quantity) FROM lineitem
        WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey
          AND l_shipdate >= CAST('1994-01-01' AS date) AND l_shipdate < CAST('1995-01-01' AS date)))
  AND s_nationkey = n_nationkey AND n_name = 'CANADA'
ORDER BY s_name`,
};
