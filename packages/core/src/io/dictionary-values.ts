// Dictionary columns written out as their values. parquet-wasm cannot take apache-arrow's
// dictionary batches (it fails reading the IPC message), and Parquet dictionary-encodes
// every column chunk anyway, so nothing is lost: the file holds the same values, and deft
// (like DuckDB) reads them back as plain columns.
import {
  type Data,
  type DataType,
  type Dictionary,
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Type,
} from "apache-arrow";
import { relabelData } from "../kernels/relabel.js";
import { takeData } from "../kernels/take.js";
import { concatData } from "../kernels/take-concat.js";
import { plainArrowType } from "./parquet-arrow-types.js";

const hasDictionary = (t: DataType): boolean =>
  t.typeId === Type.Dictionary || (t.children ?? []).some((c: Field) => hasDictionary(c.type));

/** The schema with every dictionary type replaced by its value type (the same object if none). */
export function withoutDictionaries(schema: Schema): Schema {
  if (!schema.fields.some((f) => hasDictionary(f.type))) return schema;
  return new Schema(
    schema.fields.map((f) =>
      hasDictionary(f.type) ? new Field(f.name, valueType(f.type), f.nullable, f.metadata) : f,
    ),
    schema.metadata,
  );
}

function valueType(t: DataType): DataType {
  if (t.typeId === Type.Dictionary) return valueType((t as Dictionary).dictionary);
  if (t.typeId === Type.Struct) {
    return new Struct(
      t.children.map((c: Field) => new Field(c.name, valueType(c.type), c.nullable, c.metadata)),
    );
  }
  return hasDictionary(t) ? plainArrowType(t) : t;
}

/** The batch with its dictionary columns (and struct children) as plain value columns. */
export function decodeDictionaries(batch: RecordBatch, schema: Schema): RecordBatch {
  if (!batch.schema.fields.some((f) => hasDictionary(f.type))) return batch;
  const children = batch.data.children.map((d) => decodeData(d));
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

function decodeData(data: Data): Data {
  const t = data.type;
  if (t.typeId === Type.Dictionary) {
    return decodeData(dictionaryValues(data, (d) => d));
  }
  if (t.typeId === Type.Struct && hasDictionary(t)) {
    const children = data.children.map(decodeData);
    const type = new Struct(
      t.children.map((c: Field, i: number) => new Field(c.name, children[i]!.type, c.nullable)),
    );
    return relabelData(data, type, children);
  }
  return data;
}

/**
 * A dictionary column as its values (`plain` maps the dictionary first): one gather of the
 * dictionary by the keys, null keys to null.
 */
export function dictionaryValues(data: Data, plain: (dictionary: Data) => Data): Data {
  const chunks = data.dictionary!.data;
  const dict = plain(chunks.length === 1 ? chunks[0]! : concatData(chunks[0]!.type, chunks));
  const keys = data.values as unknown as ArrayLike<number | bigint>;
  const n = data.length;
  const idx = new Int32Array(n);
  const bm = data.nullCount > 0 ? data.nullBitmap : null;
  const o = data.offset;
  for (let i = 0; i < n; i++)
    idx[i] = bm && ((bm[(o + i) >> 3]! >> ((o + i) & 7)) & 1) === 0 ? -1 : Number(keys[i]);
  return takeData(dict, idx);
}
