import { DataFrame } from "@deft/core";

/** Two small TPC-H-shaped tables: `x` is in both, so the join output renames it "x_right". */
export const items = () =>
  DataFrame.fromColumns({
    l_key: [1, 1, 2, 4],
    l_price: [1.5, 2.5, 3.5, 4.5],
    l_qty: [1, 2, 3, 4],
    x: [0, 1, 2, 3],
  });
export const orders = () =>
  DataFrame.fromColumns({
    o_key: [1, 2, 3],
    o_date: [10, 20, 30],
    o_prio: ["a", "b", "c"],
    x: [7, 8, 9],
  });
export const joined = (how: "inner" | "left" | "right" | "outer" | "semi" | "anti" = "inner") =>
  items().join(orders(), { leftOn: "l_key", rightOn: "o_key", how });

/** The memory sources of these tables, as explain prints them. */
export const ITEMS = "Source: memory (4 rows, 1 batches)";
export const ORDERS = "Source: memory (3 rows, 1 batches)";
