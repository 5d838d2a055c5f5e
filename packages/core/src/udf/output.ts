import { type Data, type DataType, Type, Vector } from "apache-arrow";
import { BAD_VALUE_HINT, columnFromJs, typedArrayTypeName } from "../kernels/from-js.js";
import { concatData } from "../kernels/take-concat.js";
import { valuesOf } from "../kernels/to-js.js";
import { shapeName, typeName } from "../types/dtype.js";

/**
 * Builds the UDF's output column from the JS values its calls returned (one per row; null or
 * undefined is null). Numbers, bigints, strings and booleans take the typed-array / offsets
 * fast paths in columnFromJs; a wrong type fails naming the UDF, column and row.
 */
export function buildOutput(values: unknown[], type: DataType, udf: string, column: string): Data {
  if (type.typeId !== Type.Null && values.length > 0 && values.every((v) => v === undefined)) {
    throw new TypeError(
      `UDF "${udf}" returned undefined for all ${values.length} rows of a batch (column "${column}"): did the function forget to return? Return null for a missing value.`,
    );
  }
  try {
    return columnFromJs(values, type, column);
  } catch (e) {
    // The builder's hint about schemas is for DataFrame.fromColumns, not for a UDF.
    const why = (e as Error).message.replace(BAD_VALUE_HINT, "");
    throw new TypeError(
      `UDF "${udf}" returned a value that does not fit its returns type ${typeName(type)}: ${why} Return a ${typeName(type)} or null, or change returns.`,
      {
        cause: e,
      },
    );
  }
}

/**
 * A batch UDF's result as one column of `n` rows: an array, a typed array or an Arrow
 * Vector/Data. A typed array of the return type is used without copying.
 */
export function batchResultToData(
  result: unknown,
  n: number,
  type: DataType,
  udf: string,
  column: string,
): Data {
  let data: Data;
  if (result instanceof Vector) {
    data = result.data.length === 1 ? result.data[0]! : concatData(result.type, result.data);
  } else if (isData(result)) {
    data = result;
  } else if (ArrayBuffer.isView(result) && !(result instanceof DataView)) {
    const name = typedArrayTypeName(result);
    const len = (result as unknown as ArrayLike<unknown>).length;
    checkLength(len, n, udf);
    if (name === typeName(type)) return columnFromJs(result as never, type, column);
    return buildOutput(Array.from(result as unknown as ArrayLike<unknown>), type, udf, column);
  } else if (Array.isArray(result)) {
    checkLength(result.length, n, udf);
    return buildOutput(result, type, udf, column);
  } else {
    throw new TypeError(
      `Batch UDF "${udf}" must return an array, a typed array or an Arrow Vector of ${n} values, got ${result === null ? "null" : typeof result}.`,
    );
  }
  checkLength(data.length, n, udf);
  if (shapeName(data.type) !== shapeName(type)) {
    // Same values, different physical type (e.g. float64 -> float32): convert through JS.
    return buildOutput(valuesOf(data), type, udf, column);
  }
  return data;
}

function isData(v: unknown): v is Data {
  return (
    typeof v === "object" &&
    v !== null &&
    "typeId" in v &&
    "length" in v &&
    "nullCount" in v &&
    "children" in v
  );
}

function checkLength(got: number, want: number, udf: string): void {
  if (got !== want) {
    throw new RangeError(
      `Batch UDF "${udf}" returned ${got} values for ${want} rows; return exactly one value per row.`,
    );
  }
}
