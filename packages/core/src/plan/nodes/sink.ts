import path from "node:path";
import { Field, Int64, List, Schema, Utf8 } from "apache-arrow";
import type { ArrowWriteOptions } from "../../io/ipc.js";
import type { ParquetWriteOptions } from "../../io/parquet-writer.js";
import type { CsvWriteOptions } from "../../io/text-writers.js";
import type { WriteOptions } from "../../io/write-batches.js";
import { badPlan, type Json, type JsonObject, objectAt, stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import type { PlanNode } from "../nodes.js";
import { oneInput } from "./inputs.js";

/** Where and how a sink writes: the format, the target path and the writer's options. */
export type SinkTarget =
  | { format: "parquet"; path: string; options: ParquetWriteOptions }
  | { format: "ipc"; path: string; options: ArrowWriteOptions }
  | { format: "csv"; path: string; options: CsvWriteOptions }
  | { format: "ndjson"; path: string; options: WriteOptions };

/** Writes its input to files; its one output row is the write's result. */
export type SinkNode = { kind: "sink"; schema: Schema; input: PlanNode } & SinkTarget;

export type SinkFormat = SinkTarget["format"];

/** The option names each writer reads (run options such as `signal` stay out of the plan). */
export const SINK_OPTION_KEYS: { [F in SinkFormat]: readonly string[] } = {
  parquet: ["partitionBy", "maxRowsPerFile", "compression", "rowGroupSize"],
  ipc: ["partitionBy", "maxRowsPerFile", "format"],
  csv: ["partitionBy", "maxRowsPerFile", "delimiter", "header"],
  ndjson: ["partitionBy", "maxRowsPerFile"],
};

/** The sink's output: one row, the WriteResult. */
export const SINK_SCHEMA = new Schema([
  new Field("path", new Utf8(), false),
  new Field("paths", new List(new Field("item", new Utf8(), false)), false),
  new Field("rows", new Int64(), false),
  new Field("bytes", new Int64(), false),
]);

/** A sink over `input`; `options` may hold other keys (run options), which are left out. */
export function sinkNode(input: PlanNode, target: SinkTarget): SinkNode {
  const options: Record<string, unknown> = {};
  const given = target.options as Record<string, unknown>;
  for (const k of SINK_OPTION_KEYS[target.format])
    if (given[k] !== undefined) options[k] = given[k];
  return { kind: "sink", schema: SINK_SCHEMA, input, ...target, options } as SinkNode;
}

function optionsText(options: object): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`)
    .join(" ");
}

export const sinkKind: NodeKindDef<SinkNode> = {
  inputs: (node) => [node.input],
  withInputs: (node, [input]) => ({ ...node, input: input! }),
  refresh: (node) => node,
  explain: (node) => {
    const opts = optionsText(node.options);
    return `Sink: ${node.format} ${path.basename(node.path)}${opts ? ` ${opts}` : ""}`;
  },
  encode: (node) => ({
    format: node.format,
    // A trailing separator says "a directory of parts" (io/write-batches.ts): it is kept.
    path:
      path.resolve(node.path) +
      (node.path.endsWith("/") || node.path.endsWith(path.sep) ? path.sep : ""),
    options: { ...(node.options as Record<string, Json>) },
  }),
  decode(json, inputs, _dec, where) {
    const format = stringAt(json.format, `${where}.format`);
    if (!Object.hasOwn(SINK_OPTION_KEYS, format))
      throw badPlan(
        `${where}.format`,
        `unknown sink format "${format}" (parquet, ipc, csv, ndjson)`,
      );
    const options: JsonObject = objectAt(json.options ?? {}, `${where}.options`);
    const parts = options.partitionBy;
    if (parts !== undefined && !(Array.isArray(parts) && parts.every((p) => typeof p === "string")))
      throw badPlan(`${where}.options.partitionBy`, "expected an array of column names");
    return sinkNode(oneInput(inputs, where), {
      format,
      path: stringAt(json.path, `${where}.path`),
      options,
    } as SinkTarget);
  },
};
