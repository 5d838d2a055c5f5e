import { col } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

export const q16: TpchQuery = {
  name: "q16",
  ordered: true,
  deft: (t) =>
    t.partsupp
      .join(t.supplier.filter(col("s_comment").str.like("%Customer%Complaints%")), {
        leftOn: "ps_suppkey",
        rightOn: "s_suppkey",
        how: "anti",
      })
      .join(
        t.part.filter(
          col("p_brand")
            .neq("Brand#45")
            .and(col("p_type").str.startsWith("MEDIUM POLISHED").not())
            .and(col("p_size").isIn([49, 14, 23, 45, 19, 3, 36, 9])),
        ),
        { leftOn: "ps_partkey", rightOn: "p_partkey" },
      )
      .groupBy("p_brand", "p_type", "p_size")
      .agg(col("ps_suppkey").countDistinct().alias("supplier_cnt"))
      .sort(["supplier_cnt", "p_brand", "p_type", "p_size"], {
        descending: [true, false, false, false],
      }),
  polars: (t) =>
    t.partsupp
      .join(t.supplier.filter(pl.col("s_comment").str.contains("Customer.*Complaints")), {
        leftOn: "ps_suppkey",
        rightOn: "s_suppkey",
        how: "anti",
      })
      .join(
        t.part.filter(
          pl
            .col("p_brand")
            .neq(pl.lit("Brand#45"))
            .and(pl.col("p_type").str.startsWith("MEDIUM POLISHED").not())
            .and(pl.col("p_size").isIn([49, 14, 23, 45, 19, 3, 36, 9])),
        ),
        { leftOn: "ps_partkey", rightOn: "p_partkey" },
      )
      .groupBy(["p_brand", "p_type", "p_size"])
      .agg(pl.col("ps_suppkey").nUnique().alias("supplier_cnt"))
      .sort({
        by: ["supplier_cnt", "p_brand", "p_type", "p_size"],
        descending: [true, false, false, false],
      }),
  sql: () => `
SELECT p_brand, p_type, p_size, count(DISTINCT ps_suppkey) AS supplier_cnt
FROM partsupp, part
WHERE p_partkey = ps_partkey AND p_brand <> 'Brand#45' AND p_type NOT LIKE 'MEDIUM POLISHED%'
  AND p_size IN (49, 14, 23, 45, 19, 3, 36, 9)
  AND ps_suppkey NOT IN (SELECT s_suppkey FROM supplier WHERE s_comment LIKE '%Customer%Complaints%')
GROUP BY p_brand, p_type, p_size
ORDER BY supplier_cnt DESC, p_brand, p_type, p_size`,
};
