// How a node is called and what its return value holds, shared by the engines and by the
// worker threads (this file imports nothing, so a worker loads it for free).

type Values = Record<string, unknown>;

/** The inputs among `v` that are present (an optional input left out stays out). */
export function presentOnly(n: { readonly inputs: readonly string[] }, v: Values): Values {
  const obj: Values = {};
  for (const i of n.inputs) if (i in v) obj[i] = v[i];
  return obj;
}

/** The node's arguments: its inputs by position, or one object of the present ones. */
export function callArgs(
  n: { readonly inputs: readonly string[]; readonly objectParam: boolean },
  v: Values,
): unknown[] {
  return n.objectParam ? [presentOnly(n, v)] : n.inputs.map((i) => v[i]);
}

/** The node's return value as one value per output (a tuple node returns an array). */
export function splitOutputs(
  n: { readonly tuple: boolean; readonly outputs: readonly string[]; readonly name: string },
  value: unknown,
): unknown[] {
  if (!n.tuple) return [value];
  if (!Array.isArray(value) || value.length !== n.outputs.length) {
    const got = Array.isArray(value) ? `an array of ${value.length}` : typeof value;
    throw new Error(
      `node "${n.name}" has output [${n.outputs.join(", ")}] so it must return an array of ${n.outputs.length} values; it returned ${got}.`,
    );
  }
  return value;
}
