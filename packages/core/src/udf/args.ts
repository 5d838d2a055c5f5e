import { type Data, Type } from "apache-arrow";
import { valuesOf } from "../kernels/to-js.js";

/**
 * One argument column as something indexable by row, for calling a row UDF. Numeric columns
 * without nulls are handed over as their typed array (no copy, int64 reads as bigint);
 * everything else goes through the shared Arrow-to-JS decoder (Utf8 via offsets and bytes).
 */
export function argValues(data: Data): ArrayLike<unknown> {
  const tid = data.typeId;
  if ((tid === Type.Int || tid === Type.Float) && data.nullCount === 0) {
    const bits = (data.type as { bitWidth?: number; precision?: number }).precision;
    // float16 is stored as raw uint16 bits: decode it through the general path.
    if (tid === Type.Float && bits === 0) return valuesOf(data);
    const values = data.values as unknown as ArrayLike<unknown> & { subarray?: unknown };
    // Arrow slices keep fixed-width `values` aligned to row 0 of the slice.
    return values.length === data.length
      ? values
      : (data.values as unknown as { subarray(a: number, b: number): ArrayLike<unknown> }).subarray(
          0,
          data.length,
        );
  }
  return valuesOf(data);
}

/** The inputs of one row, for error messages and failure records. */
export function rowInputs(args: readonly ArrayLike<unknown>[], i: number): unknown[] {
  const out = new Array<unknown>(args.length);
  for (let k = 0; k < args.length; k++) out[k] = args[k]![i];
  return out;
}
