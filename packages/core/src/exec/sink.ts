import type { RecordBatch, Schema } from "apache-arrow";
import { batchFromColumns } from "../dataframe-construct.js";
import { writeArrowBatches } from "../io/ipc.js";
import { writeParquetBatches } from "../io/parquet-writer.js";
import { writeCsvBatches, writeJsonBatches } from "../io/text-writers.js";
import type { WriteResult } from "../io/write-batches.js";
import { SINK_SCHEMA, type SinkFormat, type SinkNode, sinkKind } from "../plan/nodes/sink.js";
import { abortError, type ExecContext } from "./context.js";
import type { Operator } from "./operator.js";
import { writeOnRunner } from "./sink-remote.js";

type Writer = (
  batches: AsyncIterable<RecordBatch>,
  schema: Schema,
  target: string,
  options: object,
  signal: AbortSignal,
) => Promise<WriteResult>;

const WRITERS: { [F in SinkFormat]: Writer } = {
  parquet: writeParquetBatches,
  ipc: writeArrowBatches,
  csv: writeCsvBatches,
  ndjson: writeJsonBatches,
};

/**
 * The input's batches until the run is aborted: an abort ends the stream at once (even when
 * the input is stuck), so the writer removes its temporary output before the run rejects.
 */
async function* untilAborted(
  input: AsyncIterable<RecordBatch>,
  signal: AbortSignal,
): AsyncGenerator<RecordBatch> {
  const it = input[Symbol.asyncIterator]();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    while (true) {
      const step = await Promise.race([it.next(), aborted]);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    void it.return?.(undefined)?.catch(() => {});
  }
}

/** Streams its input into files (atomically, see io/write-batches.ts); yields the result row. */
export class SinkOperator implements Operator {
  readonly name: string;
  readonly schema = SINK_SCHEMA;
  readonly children: readonly Operator[];
  constructor(
    private readonly node: SinkNode,
    private readonly input: Operator,
  ) {
    this.name = `Sink[${node.format}]`;
    this.children = [input];
  }
  describe(): string {
    return sinkKind.explain(this.node).slice("Sink: ".length);
  }
  async *execute(ctx: ExecContext): AsyncGenerator<RecordBatch> {
    const id = ctx.nextOperatorId();
    ctx.emit({ type: "operator:start", id, name: this.name });
    const started = performance.now();
    const write = WRITERS[this.node.format];
    const r =
      (await writeOnRunner(this.node, ctx)) ??
      (await write(
        untilAborted(this.input.execute(ctx), ctx.signal),
        this.input.schema,
        this.node.path,
        this.node.options,
        ctx.signal,
      ));
    // Its output is the one result row; what it wrote is in that row.
    ctx.emit({
      type: "operator:end",
      id,
      name: this.name,
      rows: 1,
      batches: 1,
      ms: performance.now() - started,
    });
    yield batchFromColumns(
      { path: [r.path], paths: [r.paths], rows: [BigInt(r.rows)], bytes: [BigInt(r.bytes)] },
      SINK_SCHEMA,
    );
  }
}

/** The WriteResult held in a sink's output row. */
export function writeResultOf(batches: readonly RecordBatch[]): WriteResult {
  const b = batches.find((x) => x.numRows > 0);
  if (!b) throw new Error("the write produced no result row");
  return {
    path: b.getChild("path")!.get(0) as string,
    paths: [...(b.getChild("paths")!.get(0) as Iterable<string>)],
    rows: Number(b.getChild("rows")!.get(0)),
    bytes: Number(b.getChild("bytes")!.get(0)),
  };
}
