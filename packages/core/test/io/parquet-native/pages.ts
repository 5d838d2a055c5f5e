import fs from "node:fs";
import { readPageHeader, readParquetFooter } from "@deft/core/internal";

/** A column chunk's page headers (type, encoding, sizes, where they start), read from the file. */
export function chunkPages(file: string, rowGroup: number, column: string) {
  const footer = readParquetFooter(file);
  const rg = footer.metadata.row_groups[rowGroup]!;
  const md = rg.columns.find((c) => c.meta_data?.path_in_schema[0] === column)!.meta_data!;
  const data = Number(md.data_page_offset);
  const start =
    md.dictionary_page_offset === undefined
      ? data
      : Math.min(data, Number(md.dictionary_page_offset));
  const bytes = fs.readFileSync(file).subarray(start, start + Number(md.total_compressed_size));
  const pages = [];
  let pos = 0;
  while (pos < bytes.length) {
    const h = readPageHeader(bytes, pos, bytes.length);
    pages.push({ ...h, at: start + pos, bodyAt: start + h.bodyStart });
    pos = h.bodyStart + h.compressedSize;
  }
  return pages;
}
