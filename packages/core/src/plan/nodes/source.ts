import path from "node:path";
import type { Schema } from "apache-arrow";
import { formatExpr } from "../../expr/expr.js";
import { projectSchema } from "../../sources/memory.js";
import {
  adoptSource,
  decodeDescriptor,
  encodeDescriptor,
  openSource,
} from "../../sources/registry.js";
import { arrayAt, badPlan, type JsonObject, numberAt, objectAt, stringAt } from "../json/values.js";
import type { NodeKindDef } from "../node-kind.js";
import { unknownColumn } from "../resolve.js";
import type { ScanRequest, ScanSource, SourceDescriptor } from "../source.js";

/** Rows read from a source, with what the optimizer pushed into the scan. */
export interface SourceNode {
  kind: "source";
  schema: Schema;
  /** Where the rows come from, as plain data (see SourceDescriptor). */
  source: SourceDescriptor;
  /** Columns, a filter, a row limit and group keys the optimizer gave the scan. */
  pushed: ScanRequest;
}

/** The live source behind a node (opened once per descriptor; see sources/registry.ts). */
export function scanSource(node: SourceNode): ScanSource {
  return openSource(node.source);
}

/** A source node over a descriptor; `opened` is the source a reader already built for it. */
export function sourceNode(source: SourceDescriptor, opened?: ScanSource): SourceNode {
  const live = opened ? adoptSource(source, opened) : openSource(source);
  return { kind: "source", schema: live.schema, source, pushed: {} };
}

/** A source node over a ScanSource object (DataFrame.fromSource); it cannot leave the process. */
export function objectSourceNode(source: ScanSource): SourceNode {
  return sourceNode({ format: "object", paths: [], options: { kind: source.kind } }, source);
}

/** The one-line description of a scan with what was pushed into it. */
export function describeScan(node: SourceNode): string {
  const source = scanSource(node);
  const parts = [source.describe()];
  const p = node.pushed;
  if (p.columns) parts.push(`columns=[${p.columns.join(", ")}]`);
  if (p.filter && source.usesFilter) parts.push(`filter=${formatExpr(p.filter)}`);
  if (p.limit !== undefined) parts.push(`limit=${p.limit}`);
  if (p.groupKeys && source.kind === "parquet") parts.push(`groupKeys=[${p.groupKeys.join(", ")}]`);
  if (p.split)
    parts.push(`split=[${p.split.map((s) => `${s.rowGroups.length} row groups`).join(", ")}]`);
  return parts.join(" ");
}

export const sourceKind: NodeKindDef<SourceNode> = {
  inputs: () => [],
  withInputs: (node) => node,
  refresh(node) {
    const full = scanSource(node).schema;
    const columns = node.pushed.columns;
    if (columns)
      for (const c of columns)
        if (!full.fields.some((f) => f.name === c)) throw unknownColumn(c, full, " in the scan");
    return { ...node, schema: columns ? projectSchema(full, columns) : full };
  },
  explain: (node) => `Source: ${describeScan(node)}`,
  encode(node, enc) {
    const pushed: JsonObject = {};
    if (node.pushed.columns) pushed.columns = [...node.pushed.columns];
    if (node.pushed.filter) pushed.filter = enc.expr(node.pushed.filter);
    if (node.pushed.limit !== undefined) pushed.limit = node.pushed.limit;
    if (node.pushed.groupKeys) pushed.groupKeys = [...node.pushed.groupKeys];
    if (node.pushed.split)
      pushed.split = node.pushed.split.map((s) => ({
        path: path.resolve(s.path),
        rowGroups: [...s.rowGroups],
      }));
    return { source: encodeDescriptor(node.source), pushed };
  },
  decode(json, inputs, dec, where) {
    if (inputs.length) throw badPlan(where, "a source has no inputs");
    const node = sourceNode(decodeDescriptor(json.source, `${where}.source`));
    const p = objectAt(json.pushed ?? {}, `${where}.pushed`);
    const pushed: ScanRequest = {};
    if (p.columns !== undefined)
      pushed.columns = arrayAt(p.columns, `${where}.pushed.columns`).map((c, i) =>
        stringAt(c, `${where}.pushed.columns[${i}]`),
      );
    if (p.filter !== undefined) pushed.filter = dec.expr(p.filter, `${where}.pushed.filter`);
    if (p.limit !== undefined) pushed.limit = numberAt(p.limit, `${where}.pushed.limit`);
    if (p.groupKeys !== undefined)
      pushed.groupKeys = arrayAt(p.groupKeys, `${where}.pushed.groupKeys`).map((c, i) =>
        stringAt(c, `${where}.pushed.groupKeys[${i}]`),
      );
    if (p.split !== undefined)
      pushed.split = arrayAt(p.split, `${where}.pushed.split`).map((sj, i) => {
        const at = `${where}.pushed.split[${i}]`;
        const o = objectAt(sj, at);
        return {
          path: stringAt(o.path, `${at}.path`),
          rowGroups: arrayAt(o.rowGroups, `${at}.rowGroups`).map((g, k) =>
            numberAt(g, `${at}.rowGroups[${k}]`),
          ),
        };
      });
    return sourceKind.refresh({ ...node, pushed });
  },
};
