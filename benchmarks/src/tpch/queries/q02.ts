import { col } from "@deft/core";
import pl from "nodejs-polars";
import type { TpchQuery } from "../query.js";

export const q02: TpchQuery = {
  name: "q02",
  ordered: true,
  deft: (t) => {
    const europe = t.supplier.join(
      t.nation.join(t.region.filter(col("r_name").eq("EUROPE")), {
        leftOn: "n_regionkey",
        rightOn: "r_regionkey",
        how: "semi",
      }),
      { leftOn: "s_nationkey", rightOn: "n_nationkey" },
    );
    const candidates = t.partsupp
      .join(t.part.filter(col("p_size").eq(15).and(col("p_type").str.endsWith("BRASS"))), {
        leftOn: "ps_partkey",
        rightOn: "p_partkey",
      })
      .join(europe, { leftOn: "ps_suppkey", rightOn: "s_suppkey" })
      .rename({ ps_partkey: "p_partkey" });
    const cheapest = candidates
      .groupBy("p_partkey")
      .agg(col("ps_supplycost").min().alias("min_cost"));
    return candidates
      .join(cheapest, { on: "p_partkey" })
      .filter(col("ps_supplycost").eq(col("min_cost")))
      .select(
        "s_acctbal",
        "s_name",
        "n_name",
        "p_partkey",
        "p_mfgr",
        "s_address",
        "s_phone",
        "s_comment",
      )
      .sort(["s_acctbal", "n_name", "s_name", "p_partkey"], {
        descending: [true, false, false, false],
      })
      .limit(100);
  },
  polars: (t) => {
    const europe = t.supplier.join(
      t.nation.join(t.region.filter(pl.col("r_name").eq(pl.lit("EUROPE"))), {
        leftOn: "n_regionkey",
        rightOn: "r_regionkey",
        how: "semi",
      }),
      { leftOn: "s_nationkey", rightOn: "n_nationkey" },
    );
    return t.partsupp
      .join(t.part.filter(pl.col("p_size").eq(15).and(pl.col("p_type").str.endsWith("BRASS"))), {
        leftOn: "ps_partkey",
        rightOn: "p_partkey",
      })
      .join(europe, { leftOn: "ps_suppkey", rightOn: "s_suppkey" })
      .rename({ ps_partkey: "p_partkey" })
      .filter(pl.col("ps_supplycost").eq(pl.col("ps_supplycost").min().over("p_partkey")))
      .select(
        "s_acctbal",
        "s_name",
        "n_name",
        "p_partkey",
        "p_mfgr",
        "s_address",
        "s_phone",
        "s_comment",
      )
      .sort({
        by: ["s_acctbal", "n_name", "s_name", "p_partkey"],
        descending: [true, false, false, false],
      })
      .limit(100);
  },
  sql: () => `
SELECT s_acctbal, s_name, n_name, p_partkey, p_mfgr, s_address, s_phone, s_comment
FROM part, supplier, partsupp, nation, region
WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND p_size = 15
  AND p_type LIKE '%BRASS' AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey
  AND r_name = 'EUROPE'
  AND ps_supplycost = (
    SELECT min(ps_supplycost) FROM partsupp, supplier, nation, region
    WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND s_nationkey = n_nationkey
      AND n_regionkey = r_regionkey AND r_name = 'EUROPE')
ORDER BY s_acctbal DESC, n_name, s_name, p_partkey
LIMIT 100`,
};
