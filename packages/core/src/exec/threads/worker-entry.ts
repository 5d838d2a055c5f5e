// The compute threads' entry (bundled to dist/threads-worker.js): runs one built-in task and
// hands its result back with the bytes transferred. A wasm trap inside a task is an uncaught
// exception here, so it ends this thread; the pool fails that task and starts a fresh thread.
import { move, transferableSymbol, valueSymbol } from "piscina";
import { decodeParquetTask } from "../../io/parquet-decode.js";
import { transferList } from "../../io/parquet-native/native-batch.js";
import { runFragmentTask } from "./fragment-task.js";
import { markComputeThread } from "./on-compute-thread.js";
import type { ComputeTask } from "./protocol.js";
import { runWindowTask } from "./window-task.js";

markComputeThread();

export default async function runTask(task: ComputeTask): Promise<unknown> {
  switch (task.kind) {
    case "parquet": {
      const reply = await decodeParquetTask(task);
      const buffers =
        reply.decoder === "native" ? transferList(reply.groups) : reply.ipc.map((b) => b.buffer);
      return move({
        [transferableSymbol]: buffers,
        [valueSymbol]: reply,
      } as never);
    }
    case "fragment": {
      const reply = await runFragmentTask(task);
      const buffers = [
        ...(reply.ipc ? [reply.ipc.buffer] : []),
        ...(reply.buckets ?? []).flatMap((b) => (b ? [b.buffer] : [])),
      ];
      if (buffers.length === 0) return reply;
      return move({ [transferableSymbol]: buffers, [valueSymbol]: reply } as never);
    }
    case "window": {
      const reply = runWindowTask(task);
      if (!reply.ipc) return reply;
      return move({ [transferableSymbol]: [reply.ipc.buffer], [valueSymbol]: reply } as never);
    }
  }
}
