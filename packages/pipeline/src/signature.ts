// Node signatures for the cache: a node's own code plus, recursively, the signatures of the
// nodes it reads from. A changed function body changes its signature and every one downstream.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Graph } from "./graph.js";
import { hashValues, sha256 } from "./hash.js";
import type { Node } from "./node.js";

function codeOf(node: Node): string {
  const shape = `${node.kind}|in:${node.inputs.join(",")}|out:${node.outputs.join(",")}`;
  switch (node.kind) {
    case "function":
      return sha256(
        shape,
        String(node.objectParam),
        Function.prototype.toString.call(node.fn),
        node.batch ? Function.prototype.toString.call(node.batch) : "",
      );
    case "class": {
      const cls = node.cls;
      const code =
        typeof cls === "function"
          ? Function.prototype.toString.call(cls)
          : `${cls.url}#${cls.exportName}#${moduleText(cls.url)}`;
      return sha256(shape, code, hashValues(node.args, `node "${node.name}" args`));
    }
    case "pipeline": {
      const inner = signatures(node.pipeline.graph);
      const parts = node.pipeline.graph.order.map((n) => inner.get(n)!);
      return sha256(shape, JSON.stringify([node.inputMap, node.outputMap, node.mapOver]), ...parts);
    }
  }
}

function moduleText(url: string): string {
  if (!url.startsWith("file:")) return "";
  try {
    return readFileSync(fileURLToPath(url), "utf8");
  } catch {
    return "";
  }
}

const memo = new WeakMap<Graph, Map<Node, string>>();

/** Every node's signature in `graph` (computed once per graph). */
export function signatures(graph: Graph): Map<Node, string> {
  let sigs = memo.get(graph);
  if (sigs) return sigs;
  sigs = new Map();
  for (const n of graph.order) {
    const upstream = n.inputs.map((input) => {
      const p = graph.producers.get(input);
      if (!p) return `${input}<-input`;
      // A name branch targets share reads whichever ran: every producer's code counts.
      const all = graph.exclusiveProducers.get(input) ?? [p];
      return `${input}<-${all.map((x) => sigs.get(x)!).join("|")}`;
    });
    sigs.set(n, sha256(codeOf(n), ...upstream));
  }
  memo.set(graph, sigs);
  return sigs;
}
