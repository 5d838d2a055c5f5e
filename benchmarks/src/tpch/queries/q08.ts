import { col, lit, when } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q08: TpchQuery = {
  name: "q08",
  ordered: true,
  deft: (t) => {
    const n1 = t.nation.select(
      col("n_nationkey").alias("n1_key"),
      col("n_regionkey").alias("n1_region"),
    );
    const n2 = t.nation.select(col("n_nationkey").alias("n2_key"), col("n_name").alias("nation"));
    return t.part
      .filter(col("p_type").eq("ECONOMY ANODIZED STEEL"))
      .join(t.lineitem, { leftOn: "p_partkey", rightOn: "l_partkey" })
      .join(t.supplier, { leftOn: "l_suppkey", rightOn: "s_suppkey" })
      .join(t.orders.filter(col("o_orderdate").between(date("1995-01-01"), date("1996-12-31"))), {
        leftOn: "l_orderkey",
        rightOn: "o_orderkey",
      })
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" })
      .join(n1, { leftOn: "c_nationkey", rightOn: "n1_key" })
      .join(t.region.filter(col("r_name").eq("AMERICA")), {
        leftOn: "n1_region",
        rightOn: "r_regionkey",
      })
      .join(n2, { leftOn: "s_nationkey", rightOn: "n2_key" })
      .withColumns({
        o_year: col("o_orderdate").dt.year(),
        volume: discounted(col("l_extendedprice"), col("l_discount")),
      })
      .groupBy("o_year")
      .agg(
        when(col("nation").eq("BRAZIL"))
          .then(col("volume"))
          .otherwise(lit(0))
          .sum()
          .div(col("volume").sum())
          .alias("mkt_share"),
      )
      .sort("o_year");
  },
  polars: (t) => {
    const n1 = t.nation.select(
      pl.col("n_nationkey").alias("n1_key"),
      pl.col("n_regionkey").alias("n1_region"),
    );
    const n2 = t.nation.select(
      pl.col("n_nationkey").alias("n2_key"),
      pl.col("n_name").alias("nation"),
    );
    return t.part
      .filter(pl.col("p_type").eq(pl.lit("ECONOMY ANODIZED STEEL")))
      .join(t.lineitem, { leftOn: "p_partkey", rightOn: "l_partkey" })
      .join(t.supplier, { leftOn: "l_suppkey", rightOn: "s_suppkey" })
      .join(
        t.orders.filter(
          pl
            .col("o_orderdate")
            .gtEq(pdate("1995-01-01"))
            .and(pl.col("o_orderdate").ltEq(pdate("1996-12-31"))),
        ),
        { leftOn: "l_orderkey", rightOn: "o_orderkey" },
      )
      .join(t.customer, { leftOn: "o_custkey", rightOn: "c_custkey" })
      .join(n1, { leftOn: "c_nationkey", rightOn: "n1_key" })
      .join(t.region.filter(pl.col("r_name").eq(pl.lit("AMERICA"))), {
        leftOn: "n1_region",
        rightOn: "r_regionkey",
      })
      .join(n2, { leftOn: "s_nationkey", rightOn: "n2_key" })
      .withColumns(
        pl.col("o_orderdate").dt.year().alias("o_year"),
        pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).alias("volume"),
      )
      .groupBy("o_year")
      .agg(
        pl
          .when(pl.col("nation").eq(pl.lit("BRAZIL")))
          .then(pl.col("volume"))
          .otherwise(pl.lit(0))
          .sum()
          .div(pl.col("volume").sum())
          .alias("mkt_share"),
      )
      .sort("o_year");
  },
  sql: () => `
SELECT o_year, sum(CASE WHEN nation = 'BRAZIL' THEN volume ELSE 0 END) / sum(volume) AS mkt_share
FROM (
  SELECT extract(year FROM o_orderdate) AS o_year,
    l_extendedprice * (1 - l_discount) AS volume, n2.n_name AS nation
  FROM part, supplier, lineitem, orders, customer, nation n1, nation n2, region
  WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey AND l_orderkey = o_orderkey
    AND o_custkey = c_custkey AND c_nationkey = n1.n_nationkey AND n1.n_regionkey = r_regionkey
    AND r_name = 'AMERICA' AND s_nationkey = n2.n_nationkey
    AND o_orderdate BETWEEN CAST('1995-01-01' AS date) AND CAST('1996-12-31' AS date)
    AND p_type = 'ECONOMY ANODIZED STEEL'
) AS all_nations
GROUP BY o_year
ORDER BY o_year`,
};
