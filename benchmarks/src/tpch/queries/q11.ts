import { col } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

/** The substitution parameter FRACTION is 0.0001 / SF. */
const fraction = (sf: number) => 0.0001 / sf;

export const q11: TpchQuery = {
  name: "q11",
  ordered: true,
  deft: (t, sf) => {
    const german = t.partsupp
      .join(t.supplier, { leftOn: "ps_suppkey", rightOn: "s_suppkey" })
      .join(t.nation.filter(col("n_name").eq("GERMANY")), {
        leftOn: "s_nationkey",
        rightOn: "n_nationkey",
      })
      .withColumn("value", col("ps_supplycost").mul(col("ps_availqty")));
    const threshold = german.select(col("value").sum().mul(fraction(sf)).alias("threshold"));
    const perPart = german.groupBy("ps_partkey").agg(col("value").sum().alias("value"));
    return perPart
      .join(threshold, { how: "cross" })
      .filter(col("value").gt(col("threshold")))
      .select("ps_partkey", "value")
      .sort("value", { descending: true });
  },
  polars: (t, sf) => {
    const german = t.partsupp
      .join(t.supplier, { leftOn: "ps_suppkey", rightOn: "s_suppkey" })
      .join(t.nation.filter(pl.col("n_name").eq(pl.lit("GERMANY"))), {
        leftOn: "s_nationkey",
        rightOn: "n_nationkey",
      })
      .withColumns(pl.col("ps_supplycost").mul(pl.col("ps_availqty")).alias("value"));
    const threshold = german.select(pl.col("value").sum().mul(fraction(sf)).alias("threshold"));
    return german
      .groupBy("ps_partkey")
      .agg(pl.col("value").sum().alias("value"))
      .join(threshold, { how: "cross" })
      .filter(pl.col("value").gt(pl.col("threshold")))
      .select("ps_partkey", "value")
      .sort({ by: "value", descending: true });
  },
  sql: (sf) => `
SELECT ps_partkey, sum(ps_supplycost * ps_availqty) AS value
FROM partsupp, supplier, nation
WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY'
GROUP BY ps_partkey
HAVING sum(ps_supplycost * ps_availqty) > (
  SELECT sum(ps_supplycost * ps_availqty) * ${fraction(sf)}
  FROM partsupp, supplier, nation
  WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY')
ORDER BY value DESC`,
};
