import { Field, type RecordBatch, Schema, Table } from "apache-arrow";
import { type ColumnInput, columnFromJs } from "./kernels/from-js.js";
import { makeBatch } from "./kernels/take-concat.js";
import { type TypeLike, toDataType } from "./types/dtype.js";

/** A schema given by the user: an apache-arrow Schema or `{ column: type }`. */
export type SchemaLike = Schema | Record<string, TypeLike>;

export function toSchemaMap(schema: SchemaLike | undefined): Map<string, Field> | undefined {
  if (!schema) return undefined;
  if (schema instanceof Schema) return new Map(schema.fields.map((f) => [f.name, f]));
  return new Map(Object.entries(schema).map(([k, t]) => [k, new Field(k, toDataType(t), true)]));
}

/** Columns of JS values or typed arrays -> one RecordBatch. */
export function batchFromColumns(
  columns: Record<string, ColumnInput>,
  schema?: SchemaLike,
): RecordBatch {
  const given = toSchemaMap(schema);
  const names = given && schema instanceof Schema ? [...given.keys()] : Object.keys(columns);
  if (given) {
    for (const name of given.keys()) {
      if (!(name in columns)) {
        throw new TypeError(
          `The schema names column "${name}" but the data has no such column. The data has: ${Object.keys(columns).join(", ")}.`,
        );
      }
    }
  }
  let length = -1;
  const fields: Field[] = [];
  const data = names.map((name) => {
    const values = columns[name];
    if (values === undefined || typeof values !== "object") {
      throw new TypeError(`Column "${name}" must be an array or typed array.`);
    }
    if (length === -1) length = values.length;
    else if (values.length !== length) {
      throw new RangeError(
        `Column "${name}" has ${values.length} values but "${names[0]}" has ${length}. Give every column the same length.`,
      );
    }
    const d = columnFromJs(values, given?.get(name)?.type, name);
    fields.push(new Field(name, d.type, true));
    return d;
  });
  return makeBatch(new Schema(fields), data, Math.max(0, length));
}

/** Row objects -> one RecordBatch; columns in first-seen key order (or the schema's). */
export function batchFromRecords(
  records: readonly Record<string, unknown>[],
  schema?: SchemaLike,
): RecordBatch {
  // A schema types the columns it names (in its order); keys it does not name are inferred,
  // in first-seen order, as in fromColumns.
  const given = toSchemaMap(schema);
  const names: string[] = given ? [...given.keys()] : [];
  const seen = new Set(names);
  for (const r of records) {
    if (r === null || typeof r !== "object") {
      throw new TypeError(
        `fromRecords takes plain objects, got ${r === null ? "null" : typeof r}.`,
      );
    }
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const col = new Array<unknown>(records.length);
    for (let i = 0; i < records.length; i++) col[i] = records[i]![name] ?? null;
    columns[name] = col;
  }
  return batchFromColumns(columns, schema);
}

/** apache-arrow Table, RecordBatch or list of batches -> batches (zero copy). */
export function batchesFromArrow(input: Table | RecordBatch | readonly RecordBatch[]): {
  schema: Schema;
  batches: RecordBatch[];
} {
  if (input instanceof Table) return { schema: input.schema, batches: input.batches };
  if (Array.isArray(input)) {
    const batches = input as RecordBatch[];
    if (batches.length === 0)
      throw new TypeError("fromArrow got an empty list of batches; pass a Table to give a schema.");
    return { schema: batches[0]!.schema, batches };
  }
  const batch = input as RecordBatch;
  return { schema: batch.schema, batches: [batch] };
}
