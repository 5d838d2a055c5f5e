import { col } from "@deft/core";
import pl from "nodejs-polars";
import { pdiscounted } from "../polars.js";
import { discounted, type TpchQuery } from "../query.js";

export const q19: TpchQuery = {
  name: "q19",
  ordered: true,
  deft: (t) => {
    const branch = (brand: string, containers: string[], qty: number, maxSize: number) =>
      col("p_brand")
        .eq(brand)
        .and(col("p_container").isIn(containers))
        .and(col("l_quantity").gte(qty))
        .and(col("l_quantity").lte(qty + 10))
        .and(col("p_size").between(1, maxSize))
        .and(col("l_shipmode").isIn(["AIR", "AIR REG"]))
        .and(col("l_shipinstruct").eq("DELIVER IN PERSON"));
    return t.lineitem
      .join(t.part, { leftOn: "l_partkey", rightOn: "p_partkey" })
      .filter(
        branch("Brand#12", ["SM CASE", "SM BOX", "SM PACK", "SM PKG"], 1, 5)
          .or(branch("Brand#23", ["MED BAG", "MED BOX", "MED PKG", "MED PACK"], 10, 10))
          .or(branch("Brand#34", ["LG CASE", "LG BOX", "LG PACK", "LG PKG"], 20, 15)),
      )
      .select(discounted(col("l_extendedprice"), col("l_discount")).sum().alias("revenue"));
  },
  polars: (t) => {
    const branch = (brand: string, containers: string[], qty: number, maxSize: number) =>
      pl
        .col("p_brand")
        .eq(pl.lit(brand))
        .and(pl.col("p_container").isIn(containers))
        .and(pl.col("l_quantity").gtEq(qty))
        .and(pl.col("l_quantity").ltEq(qty + 10))
        .and(pl.col("p_size").gtEq(1))
        .and(pl.col("p_size").ltEq(maxSize))
        .and(pl.col("l_shipmode").isIn(["AIR", "AIR REG"]))
        .and(pl.col("l_shipinstruct").eq(pl.lit("DELIVER IN PERSON")));
    return t.lineitem
      .join(t.part, { leftOn: "l_partkey", rightOn: "p_partkey" })
      .filter(
        branch("Brand#12", ["SM CASE", "SM BOX", "SM PACK", "SM PKG"], 1, 5)
          .or(branch("Brand#23", ["MED BAG", "MED BOX", "MED PKG", "MED PACK"], 10, 10))
          .or(branch("Brand#34", ["LG CASE", "LG BOX", "LG PACK", "LG PKG"], 20, 15)),
      )
      .select(pdiscounted(pl.col("l_extendedprice"), pl.col("l_discount")).sum().alias("revenue"));
  },
  sql: () => `
SELECT sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM lineitem, part
WHERE (p_partkey = l_partkey AND p_brand = 'Brand#12'
    AND p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG')
    AND l_quantity >= 1 AND l_quantity <= 1 + 10 AND p_size BETWEEN 1 AND 5
    AND l_shipmode IN ('AIR', 'AIR REG') AND l_shipinstruct = 'DELIVER IN PERSON')
  OR (p_partkey = l_partkey AND p_brand = 'Brand#23'
    AND p_container IN ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK')
    AND l_quantity >= 10 AND l_quantity <= 10 + 10 AND p_size BETWEEN 1 AND 10
    AND l_shipmode IN ('AIR', 'AIR REG') AND l_shipinstruct = 'DELIVER IN PERSON')
  OR (p_partkey = l_partkey AND p_brand = 'Brand#34'
    AND p_container IN ('LG CASE', 'LG BOX', 'LG PACK', 'LG PKG')
    AND l_quantity >= 20 AND l_quantity <= 20 + 10 AND p_size BETWEEN 1 AND 15
    AND l_shipmode IN ('AIR', 'AIR REG') AND l_shipinstruct = 'DELIVER IN PERSON')`,
};
