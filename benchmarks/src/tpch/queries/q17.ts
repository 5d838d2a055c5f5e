import { col } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

export const q17: TpchQuery = {
  name: "q17",
  ordered: true,
  deft: (t) => {
    const lines = t.lineitem.join(
      t.part.filter(col("p_brand").eq("Brand#23").and(col("p_container").eq("MED BOX"))),
      { leftOn: "l_partkey", rightOn: "p_partkey" },
    );
    const limit = lines.groupBy("l_partkey").agg(col("l_quantity").mean().mul(0.2).alias("limit"));
    return lines
      .join(limit, { on: "l_partkey" })
      .filter(col("l_quantity").lt(col("limit")))
      .select(col("l_extendedprice").sum().div(7).alias("avg_yearly"));
  },
  polars: (t) =>
    t.lineitem
      .join(
        t.part.filter(
          pl
            .col("p_brand")
            .eq(pl.lit("Brand#23"))
            .and(pl.col("p_container").eq(pl.lit("MED BOX"))),
        ),
        {
          leftOn: "l_partkey",
          rightOn: "p_partkey",
        },
      )
      .filter(pl.col("l_quantity").lt(pl.col("l_quantity").mean().over("l_partkey").mul(0.2)))
      .select(pl.col("l_extendedprice").sum().div(7).alias("avg_yearly")),
  sql: () => `
SELECT sum(l_extendedprice) / 7.0 AS avg_yearly
FROM lineitem, part
WHERE p_partkey = l_partkey AND p_brand = 'Brand#23' AND p_container = 'MED BOX'
  AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)`,
};
