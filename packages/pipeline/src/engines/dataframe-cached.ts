// A worker node under a cache, on the DataFrameEngine: the hits come from the cache (per row,
// as the main-thread nodes get them), and only the misses go to the workers as a frame.
import type { Cache } from "../cache.js";
import { emit } from "../callbacks.js";
import { hashValues, sha256 } from "../hash.js";
import { signatures } from "../signature.js";
import { frameStage, pick, type Rows, type StageEnv, type ValueNode } from "./dataframe-frame.js";

export async function cachedStage(
  env: StageEnv,
  cache: Cache,
  n: ValueNode,
  rows: Rows,
): Promise<void> {
  const { pipeline, callbacks } = env;
  const sig = signatures(pipeline.graph).get(n)!;
  const keys = rows.values.map((v) =>
    sha256(
      sig,
      hashValues(
        n.inputs.map((i) => v[i]),
        `node "${n.name}" inputs`,
      ),
    ),
  );
  const hits = await Promise.all(keys.map((k) => cache.get(k)));
  const miss: Rows = { values: [], items: [] };
  const missKeys: string[] = [];
  hits.forEach((hit, r) => {
    const v = rows.values[r]!;
    if (hit) {
      const outs = hit.value as unknown[];
      n.outputs.forEach((o, i) => {
        v[o] = outs[i];
      });
      emit(callbacks, "onNodeCached", {
        pipeline: pipeline.name,
        node: n.name,
        item: rows.items[r]!,
        inputs: pick(v, n.inputs),
        outputs: pick(v, n.outputs),
      });
    } else {
      miss.values.push(v);
      miss.items.push(rows.items[r]!);
      missKeys.push(keys[r]!);
    }
  });
  if (miss.items.length === 0) return;
  await frameStage(env, [n], miss);
  await Promise.all(
    miss.values.map((v, r) =>
      cache.set(
        missKeys[r]!,
        n.outputs.map((o) => v[o]),
      ),
    ),
  );
}
