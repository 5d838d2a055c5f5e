import { type Field, makeData, RecordBatch, Schema, Struct } from "apache-arrow";
import { FileError, type FileKind } from "./files.js";

/** The fields named in `columns`, in that order; throws naming the file and the known columns. */
export function selectFields(
  kind: FileKind,
  file: string,
  schema: Schema,
  columns: readonly string[],
): Schema {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const fields = columns.map((name) => {
    const f = byName.get(name);
    if (!f) {
      throw new FileError(
        kind,
        file,
        `has no column "${name}". Columns: ${schema.fields.map((g) => g.name).join(", ")}.`,
      );
    }
    return f;
  });
  return new Schema(fields, schema.metadata);
}

/** Reorders/narrows a batch to `schema` (by name) without copying buffers. */
export function projectBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const src = batch.schema.fields;
  if (
    src.length === schema.fields.length &&
    src.every((f, i) => f.name === schema.fields[i]!.name)
  ) {
    return batch.schema === schema ? batch : new RecordBatch(schema, batch.data);
  }
  const children = schema.fields.map((f) => {
    const i = src.findIndex((g) => g.name === f.name);
    return batch.data.children[i]!;
  });
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

/** Throws naming both files and the column when two fields' types differ. */
export function checkSameType(a: Field, b: Field, fileA: string, fileB: string): void {
  if (String(a.type) !== String(b.type)) {
    throw new Error(
      `Files "${fileA}" and "${fileB}" have different schemas: column "${a.name}" is ${String(a.type)} in the first and ${String(b.type)} in the second. Cast them to one type (read separately) or rewrite one file.`,
    );
  }
}
