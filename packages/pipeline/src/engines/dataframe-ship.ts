// The source text a worker thread receives for a pipeline node (or a fused chain of nodes):
// self-contained functions that adapt the node's code to the core's worker UDF calling
// convention (item index first, typed arrays rebuilt, tuples checked and packed).
import type { ClassNode, FunctionNode } from "../node.js";
import type { Codec } from "./dataframe-values.js";

type ValueNode = FunctionNode | ClassNode;
type Columns = ReadonlyMap<string, Codec | undefined>;

/**
 * Marks which node of a fused chain threw: appended to the error's name on the worker (the
 * name is one of the three fields that cross threads), read and removed on the main thread.
 */
export const NODE_TAG = "\u0000deft-node:";

/**
 * A self-contained function (or class) wrapping the node's code for a worker thread: it drops
 * the item index, rebuilds typed arrays, calls the node, checks and packs a tuple, and turns
 * typed-array results into plain arrays for Arrow. Its source text is all a worker receives.
 */
export function shippedSource(n: ValueNode, present: readonly string[], columns: Columns): unknown {
  const params = present.map((_, k) => `a${k}`);
  const arg = (name: string) => {
    const k = present.indexOf(name);
    if (k < 0) return "undefined";
    const typed = columns.get(name)?.typedArray;
    return typed ? `R(a${k}, ${JSON.stringify(typed)})` : `a${k}`;
  };
  const callArgs = n.objectParam
    ? `{ ${present.map((p) => `${JSON.stringify(p)}: ${arg(p)}`).join(", ")} }`
    : n.inputs.map(arg).join(", ");
  const tupleCheck = n.tuple
    ? `if (!Array.isArray(r) || r.length !== ${n.outputs.length}) throw new Error(${JSON.stringify(
        `node "${n.name}" has output [${n.outputs.join(", ")}] so it must return an array of ${n.outputs.length} values`,
      )} + "; it returned " + (Array.isArray(r) ? "an array of " + r.length : typeof r) + ".");
      return { ${n.outputs.map((_, i) => `o${i}: C(r[${i}])`).join(", ")} };`
    : "return C(r);";
  const helpers = `const R = (v, t) => (Array.isArray(v) ? globalThis[t].from(v) : v);
      const C = (v) => (ArrayBuffer.isView(v) && !(v instanceof Uint8Array) ? Array.from(v) : v);
      const done = (r) => { ${tupleCheck} };`;
  const ident = n.name.replace(/[^\w$]/g, "_");
  let src: string;
  if (n.kind === "function") {
    src = `function ${ident}(__item${params.map((p) => `, ${p}`).join("")}) {
      "use strict";
      const f = (${expressionSource(n.fn, n.name)});
      ${helpers}
      const r = f(${callArgs});
      return r !== null && typeof r === "object" && typeof r.then === "function" ? r.then(done) : done(r);
    }`;
  } else {
    src = `class ${ident} {
      constructor(...args) { const Cls = (${Function.prototype.toString.call(n.cls)}); this.inner = new Cls(...args); }
      call(__item${params.map((p) => `, ${p}`).join("")}) {
        ${helpers}
        const r = this.inner.call(${callArgs});
        return r !== null && typeof r === "object" && typeof r.then === "function" ? r.then(done) : done(r);
      }
    }`;
  }
  return new Function(`return (${src});`)();
}

/** A function's source as an expression (method shorthand `name(x) {…}` is not one). */
function expressionSource(fn: (...a: never[]) => unknown, name: string): string {
  const code = Function.prototype.toString.call(fn);
  try {
    new Function(`return (${code});`);
    return code;
  } catch {
    return `({${code}})[${JSON.stringify(fn.name || name)}]`;
  }
}

/**
 * One worker function for a chain of sync nodes: per row it calls each node in turn, handing
 * values on inside the worker (no trip to the main thread and back between them), and returns
 * all the chain's outputs, in order, as one v8-serialized binary value: binary columns cross
 * threads as raw bytes, while a struct column would be built by Arrow's generic builder and
 * sent as IPC, which costs more than the round trip fusing saves. An error is tagged with the
 * index of the node that threw; a ReferenceError is left as it is, so the core still reports
 * code that is not self-contained.
 */
export function shippedChain(
  chain: readonly FunctionNode[],
  present: readonly string[],
  columns: Columns,
): unknown {
  const key = (name: string) => JSON.stringify(name);
  const init = present.map((p, k) => {
    const typed = columns.get(p)?.typedArray;
    return `${key(p)}: ${typed ? `R(a${k}, ${JSON.stringify(typed)})` : `a${k}`}`;
  });
  const available = new Set(present);
  const fns: string[] = [];
  const calls: string[] = [];
  const stores: string[] = [];
  chain.forEach((n, k) => {
    fns.push(`const f${k} = (${expressionSource(n.fn, n.name)});`);
    const args = n.objectParam
      ? `{ ${n.inputs
          .filter((i) => available.has(i))
          .map((i) => `${key(i)}: v[${key(i)}]`)
          .join(", ")} }`
      : n.inputs.map((i) => (available.has(i) ? `v[${key(i)}]` : "undefined")).join(", ");
    calls.push(`() => f${k}(${args})`);
    stores.push(
      n.tuple
        ? `(r) => {
            if (!Array.isArray(r) || r.length !== ${n.outputs.length}) throw new Error(${JSON.stringify(
              `node "${n.name}" has output [${n.outputs.join(", ")}] so it must return an array of ${n.outputs.length} values`,
            )} + "; it returned " + (Array.isArray(r) ? "an array of " + r.length : typeof r) + ".");
            ${n.outputs.map((o, i) => `v[${key(o)}] = r[${i}];`).join(" ")}
          }`
        : `(r) => { v[${key(n.outputs[0]!)}] = r; }`,
    );
    for (const o of n.outputs) available.add(o);
  });
  const outputs = chain.flatMap((n) => n.outputs);
  const params = present.map((_, k) => `, a${k}`).join("");
  const ident = chain.map((n) => n.name.replace(/[^\w$]/g, "_")).join("__");
  const src = `function ${ident}(__item${params}) {
    "use strict";
    ${fns.join("\n    ")}
    const R = (x, t) => (Array.isArray(x) ? globalThis[t].from(x) : x);
    const names = ${JSON.stringify(outputs)};
    const T = (e, k) => {
      if (e instanceof ReferenceError) return e;
      const err = e instanceof Error ? e : new Error(String(e));
      const w = new Error(err.message);
      w.name = String(err.name) + ${JSON.stringify(NODE_TAG)} + k;
      w.stack = err.stack;
      return w;
    };
    const v = { ${init.join(", ")} };
    const calls = [${calls.join(", ")}];
    const stores = [${stores.join(", ")}];
    const step = (k) => {
      for (; k < ${chain.length}; k++) {
        let r;
        try { r = calls[k](); } catch (e) { throw T(e, k); }
        if (r !== null && typeof r === "object" && typeof r.then === "function") {
          const at = k;
          return r.then((x) => {
            try { stores[at](x); } catch (e) { throw T(e, at); }
            return step(at + 1);
          }, (e) => { throw T(e, at); });
        }
        try { stores[k](r); } catch (e) { throw T(e, k); }
      }
      const outs = [${outputs.map((o) => `v[${key(o)}]`).join(", ")}];
      const owner = [${chain.flatMap((n, k) => n.outputs.map(() => k)).join(", ")}];
      const V = process.getBuiltinModule("node:v8");
      try { return V.serialize(outs); } catch (first) {
        // Name the output (and so the node) whose value cannot cross threads.
        for (let j = 0; j < outs.length; j++) {
          try { V.serialize(outs[j]); } catch (e) {
            throw T(new TypeError('output "' + names[j] + '" cannot be sent back from a worker thread (' + e.message + "); return plain data (no functions or symbols)."), owner[j]);
          }
        }
        throw first;
      }
    };
    return step(0);
  }`;
  return new Function(`return (${src});`)();
}
