import { col, count } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

const CODES = ["13", "31", "23", "29", "30", "18", "17"];

export const q22: TpchQuery = {
  name: "q22",
  ordered: true,
  deft: (t) => {
    const inCountries = t.customer
      .withColumn("cntrycode", col("c_phone").str.slice(0, 2))
      .filter(col("cntrycode").isIn(CODES));
    const average = inCountries
      .filter(col("c_acctbal").gt(0))
      .select(col("c_acctbal").mean().alias("avg_acctbal"));
    return inCountries
      .join(t.orders, { leftOn: "c_custkey", rightOn: "o_custkey", how: "anti" })
      .join(average, { how: "cross" })
      .filter(col("c_acctbal").gt(col("avg_acctbal")))
      .groupBy("cntrycode")
      .agg(count().alias("numcust"), col("c_acctbal").sum().alias("totacctbal"))
      .sort("cntrycode");
  },
  polars: (t) => {
    const inCountries = t.customer
      .withColumns(pl.col("c_phone").str.slice(0, 2).alias("cntrycode"))
      .filter(pl.col("cntrycode").isIn(CODES));
    const average = inCountries
      .filter(pl.col("c_acctbal").gt(0))
      .select(pl.col("c_acctbal").mean().alias("avg_acctbal"));
    return inCountries
      .join(t.orders, { leftOn: "c_custkey", rightOn: "o_custkey", how: "anti" })
      .join(average, { how: "cross" })
      .filter(pl.col("c_acctbal").gt(pl.col("avg_acctbal")))
      .groupBy("cntrycode")
      .agg(pl.len().alias("numcust"), pl.col("c_acctbal").sum().alias("totacctbal"))
      .sort("cntrycode");
  },
  sql: () => `
SELECT cntrycode, count(*) AS numcust, sum(c_acctbal) AS totacctbal
FROM (
  SELECT substring(c_phone FROM 1 FOR 2) AS cntrycode, c_acctbal
  FROM customer
  WHERE substring(c_phone FROM 1 FOR 2) IN ('13', '31', '23', '29', '30', '18', '17')
    AND c_acctbal > (
      SELECT avg(c_acctbal) FROM customer
      WHERE c_acctbal > 0.00
        AND substring(c_phone FROM 1 FOR 2) IN ('13', '31', '23', '29', '30', '18', '17'))
    AND NOT EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey)
) AS custsale
GROUP BY cntrycode
ORDER BY cntrycode`,
};
