import { type Data, Type } from "apache-arrow";
import { copyBits } from "./bits.js";

/**
 * A column as a generated loop reads it: values indexed from 0, and a validity bitmap
 * re-based to bit 0 (or null when the column has no nulls). Bool values are bitmaps too.
 */
export interface LoopInput {
  values: ArrayLike<number | bigint> | Uint8Array | null;
  validity: Uint8Array | null;
  typeId: Type;
}

export function loopInput(data: Data): LoopInput {
  const hasNulls = data.nullCount > 0 && !!data.nullBitmap && data.nullBitmap.length > 0;
  let validity: Uint8Array | null = null;
  if (data.typeId === Type.Null) validity = new Uint8Array((data.length + 7) >> 3);
  else if (hasNulls)
    validity =
      data.offset === 0 ? data.nullBitmap! : copyBits(data.nullBitmap!, data.offset, data.length);
  let values: LoopInput["values"] = null;
  if (data.typeId === Type.Bool) {
    const v = data.values as Uint8Array;
    values = data.offset === 0 ? v : copyBits(v, data.offset, data.length);
  } else if (
    data.typeId !== Type.Null &&
    data.typeId !== Type.Utf8 &&
    data.typeId !== Type.LargeUtf8
  ) {
    values = data.values as ArrayLike<number>;
  }
  return { values, validity, typeId: data.typeId };
}
