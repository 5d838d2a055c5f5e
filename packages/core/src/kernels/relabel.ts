import type { Data, DataType } from "apache-arrow";

/**
 * `data` labelled `type` over the same buffers, with `children` in place of its own: for a
 * type whose layout is the parent's (a nested type whose children changed, a 64-bit integer
 * read as a duration). No value is copied.
 */
export function relabelData(data: Data, type: DataType, children: Data[]): Data {
  return data.clone(
    type,
    data.offset,
    data.length,
    data.nullCount,
    data.buffers as never,
    children,
  );
}
