import type { Data, DataType, Struct } from "apache-arrow";
import { validityOf } from "./bits.js";
import { takeData } from "./take.js";

/**
 * One field of a struct column: the child column as it is when no struct is null, else the
 * child with a null wherever the struct itself is null (a null struct has null fields).
 */
export function structField(data: Data, type: DataType, name: string): Data {
  const at = (type as Struct).children.findIndex((f) => f.name === name);
  const child = data.children[at]!;
  const parents = validityOf(data);
  if (!parents) return child;
  const rows = new Int32Array(data.length);
  for (let i = 0; i < rows.length; i++) rows[i] = (parents[i >> 3]! >> (i & 7)) & 1 ? i : -1;
  return takeData(child, rows);
}
