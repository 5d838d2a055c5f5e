import path from "node:path";
import type { ScanRequest } from "../plan/source.js";
import type { ParquetFooter } from "./parquet-footer.js";
import { mayMatch, rowGroupStats } from "./parquet-prune.js";

/** A unit of decoding: consecutive kept row groups of one file, decoded by one thread. */
export interface RowGroupTask {
  file: ParquetFooter;
  /** Row-group indexes (ascending) in this file. */
  rowGroups: number[];
  /** Rows taken from each row group (the last may be cut by the limit). */
  groupRows: number[];
  /** Rows the task yields. */
  rows: number;
  /** Set when the limit cuts the task short of its row groups' rows. */
  limit?: number;
}

/** The row groups a scan decodes, cut into tasks, and what statistics let it skip. */
export interface RowGroupPlan {
  tasks: RowGroupTask[];
  rowGroupsSkipped: number;
}

/**
 * Which row groups a request needs, in file order: statistics prune against the filter,
 * the limit stops at the row group that completes it (footer row counts are exact, and the
 * pushed filter never drops rows inside a row group), and neighbours smaller than one batch
 * (`batchSize` rows) share a task, so a task is worth its round trip to a thread.
 */
export function planRowGroups(
  files: readonly ParquetFooter[],
  request: ScanRequest,
  batchSize: number,
): RowGroupPlan {
  const tasks: RowGroupTask[] = [];
  const target = batchSize;
  let rowGroupsSkipped = 0;
  let remaining = request.limit ?? Number.POSITIVE_INFINITY;
  // Paths are compared resolved: a plan sent to a thread names its files by absolute path
  // while the scan that cut the splits may have been given a relative one.
  const only =
    request.split &&
    new Map(request.split.map((s) => [path.resolve(s.path), new Set(s.rowGroups)]));
  if (only) {
    const known = new Set(files.map((f) => path.resolve(f.path)));
    for (const p of only.keys()) {
      if (!known.has(p)) {
        throw new Error(`internal: a scan split names ${p}, which is not one of the scan's files`);
      }
    }
  }
  for (const file of files) {
    if (remaining <= 0) break;
    const wanted = only?.get(path.resolve(file.path));
    if (only && !wanted) continue;
    let task: RowGroupTask | undefined;
    const groups = file.metadata.row_groups;
    for (let g = 0; g < groups.length; g++) {
      if (remaining <= 0) break;
      if (wanted && !wanted.has(g)) continue;
      if (
        request.filter &&
        !mayMatch(request.filter, rowGroupStats(file.metadata, g), file.schema)
      ) {
        rowGroupsSkipped++;
        continue;
      }
      const total = Number(groups[g]!.num_rows);
      const n = Math.min(total, remaining);
      remaining -= n;
      if (!task || task.rows >= target) {
        task = { file, rowGroups: [], groupRows: [], rows: 0 };
        tasks.push(task);
      }
      task.rowGroups.push(g);
      task.groupRows.push(n);
      task.rows += n;
      if (n < total) task.limit = task.rows;
    }
  }
  return { tasks, rowGroupsSkipped };
}

/** "row group 3" or "row groups 3, 4, 5", for messages and explain. */
export function rowGroupLabel(groups: readonly number[]): string {
  return groups.length === 1 ? `row group ${groups[0]}` : `row groups ${groups.join(", ")}`;
}
