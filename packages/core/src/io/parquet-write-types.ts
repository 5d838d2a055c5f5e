// Arrow types parquet-wasm's encoder cannot write faithfully. Interval<MONTH_DAY_NANO> (what
// deft reads DuckDB's INTERVAL as) is accepted by the encoder, which then writes a file of
// no rows; the writer refuses it by name before any file is created.
import { type DataType, type Field, type Interval, IntervalUnit, Type } from "apache-arrow";

function refused(type: DataType): string | null {
  if (type.typeId === Type.Interval && (type as Interval).unit === IntervalUnit.MONTH_DAY_NANO) {
    return "Parquet's INTERVAL holds months, days and milliseconds, and parquet-wasm cannot encode Interval<MONTH_DAY_NANO>";
  }
  for (const child of type.children ?? []) {
    const why = refused(child.type);
    if (why) return why;
  }
  return null;
}

/** Throws naming the first column whose type cannot be written to Parquet, and what to do. */
export function checkParquetTypes(fields: readonly Field[]): void {
  for (const f of fields) {
    const why = refused(f.type);
    if (why) {
      throw new TypeError(
        `writeParquet: column "${f.name}" (${String(f.type)}) cannot be written: ${why}. Write Arrow IPC (writeArrow) to keep it, or leave the column out (select the others).`,
      );
    }
  }
}
