import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdate, pdiscounted } from "../polars.js";
import { date, discounted, type TpchQuery } from "../query.js";

export const q07: TpchQuery = {
  name: "q07",
  ordered: true,
  deft: (t) => {
    const n1 = t.nation.select(
      col("n_nationkey").alias("n1_key"),
      col("n_name").alias("supp_nation"),
    );
    const n2 = t.nation.select(
      col("n_nationkey").alias("n2_key"),
      col("n_name").alias("cust_nation"),
    );
    const pair = (a: string, b: string) => col("supp_nation").eq(a).and(col("cust_nation").eq(b));
    return t.lineitem
      .filter(col("l_shipdate").between(date("1995-01-01"), date("1996-12-31")))
      .join(t.supplier.join(n1, { leftOn: "s_nationkey", rightOn: "n1_key" }), {
        leftOn: "l_suppkey",
        rightOn: "s_suppkey",
      })
      .join(t.orders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .join(t.customer.join(n2, { leftOn: "c_nationkey", rightOn: "n2_key" }), {
        leftOn: "o_custkey",
        rightOn: "c_custkey",
      })
      .filter(pair("FRANCE", "GERMANY").or(pair("GERMANY", "FRANCE")))
      .withColumns({
        l_year: col("l_shipdate").dt.year(),
        volume: discounted(col("l_extendedprice"), col("l_discount")),
      })
      .groupBy("supp_nation", "cust_nation", "l_year")
      .agg(col("volume").sum().alias("revenue"))
      .sort(["supp_nation", "cust_nation", "l_year"]);
  },
  polars: (t) => {
    const n1 = t.nation.select(
      pl.col("n_nationkey").alias("n1_key"),
      pl.col("n_name").alias("supp_nation"),
    );
    const n2 = t.nation.select(
      pl.col("n_nationkey").alias("n2_key"),
      pl.col("n_name").alias("cust_nation"),
    );
    const pair = (a: string, b: string) =>
      pl
        .col("supp_nation")
        .eq(pl.lit(a))
        .and(pl.col("cust_nation").eq(pl.lit(b)));
    return t.lineitem
      .filter(
        pl
          .col("l_shipdate")
          .gtEq(pdate("1995-01-01"))
          .and(pl.col("l_shipdate").ltEq(pdate("1996-12-31"))),
      )
      .join(t.supplier.join(n1, { leftOn: "s_nationkey", rightOn: "n1_key" }), {
        leftOn: "l_suppkey",
        rightOn: "s_suppkey",
      })
      .join(t.orders, { leftOn: "l_orderkey", rightOn: "o_orderkey" })
      .join(t.customer.join(n2, { leftOn: "c_nationkey", rightOn: "n2_key" }), {
        leftOn: "o_custkey",
        rightOn: "c_custkey",
      })
      .filter(pair("FRANCE", "GERMANY").or(pair("GERMANY", "FRANCE")))
      .withColumns(
        pl.col("l_shipdate").dt.year().alias("l_year"),
        pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).alias("volume"),
      )
      .groupBy(["supp_nation", "cust_nation", "l_year"])
      .agg(pl.col("volume").sum().alias("revenue"))
      .sort(["supp_nation", "cust_nation", "l_year"]);
  },
  sql: () => `
SELECT supp_nation, cust_nation, l_year, sum(volume) AS revenue
FROM (
  SELECT n1.n_name AS supp_nation, n2.n_name AS cust_nation,
    extract(year FROM l_shipdate) AS l_year, l_extendedprice * (1 - l_discount) AS volume
  FROM supplier, lineitem, orders, customer, nation n1, nation n2
  WHERE s_suppkey = l_suppkey AND o_orderkey = l_orderkey AND c_custkey = o_custkey
    AND s_nationkey = n1.n_nationkey AND c_nationkey = n2.n_nationkey
    AND ((n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY')
      OR (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE'))
    AND l_shipdate BETWEEN CAST('1995-01-01' AS date) AND CAST('1996-12-31' AS date)
) AS shipping
GROUP BY supp_nation, cust_nation, l_year
ORDER BY supp_nation, cust_nation, l_year`,
};
