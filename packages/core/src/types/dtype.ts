import type { DataType, Float64, Int64 } from "apache-arrow";
import { Type } from "apache-arrow";
import { parseTypeName } from "./type-parse.js";

/** A column type: a type string such as `"int64"` or `"list<float32>"`, or an Arrow DataType. */
export type TypeLike = string | DataType;

export { shapeName, typeName } from "./type-name.js";

/** Turns a type string or DataType into an Arrow DataType; throws on an unknown type. */
export function toDataType(type: TypeLike): DataType {
  if (typeof type !== "string") return type;
  return parseTypeName(type);
}

export const isNumeric = (t: DataType): boolean => t.typeId === Type.Int || t.typeId === Type.Float;
export const isInt = (t: DataType): boolean => t.typeId === Type.Int;
export const isFloat = (t: DataType): boolean => t.typeId === Type.Float;
export const isBigInt = (t: DataType): boolean =>
  t.typeId === Type.Int && (t as Int64).bitWidth === 64;
export const isString = (t: DataType): boolean =>
  t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8;
export const isBool = (t: DataType): boolean => t.typeId === Type.Bool;
export const isTemporal = (t: DataType): boolean =>
  t.typeId === Type.Date || t.typeId === Type.Timestamp;
export const isFloat16 = (t: DataType): boolean =>
  t.typeId === Type.Float && (t as Float64).precision === 0;
