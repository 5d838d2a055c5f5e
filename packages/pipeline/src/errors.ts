// The error a failed node call raises: it names the node, the item and the item's inputs.

const MAX_VALUE_CHARS = 100;

export function formatValue(v: unknown): string {
  let s: string;
  if (typeof v === "string") s = JSON.stringify(v);
  else if (typeof v === "bigint") s = `${v}n`;
  else if (typeof v === "function") s = `[function ${v.name || "anonymous"}]`;
  else if (ArrayBuffer.isView(v))
    s = `${v.constructor.name}(${(v as Uint8Array).length ?? v.byteLength})`;
  else {
    try {
      s = JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

export function formatInputs(inputs: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(inputs).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return `{ ${parts.join(", ")} }`;
}

/**
 * A node call failed (after its retries): the message names the pipeline, node, item and
 * inputs, and `cause` is what the node threw.
 */
export class NodeError extends Error {
  /** The name of the pipeline the node belongs to (the inner one for a nested pipeline). */
  readonly pipeline: string;
  /** The failed node's name. */
  readonly node: string;
  /** The item's index in its run/map call (0 for run; the element index in a nested map). */
  readonly item: number;
  /** The values the node was called with, by input name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** How many calls were made: 1 plus the retries used. */
  readonly attempts: number;

  constructor(
    info: {
      pipeline: string;
      node: string;
      item: number;
      inputs: Readonly<Record<string, unknown>>;
      attempts: number;
    },
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const tries = info.attempts > 1 ? ` after ${info.attempts} attempts` : "";
    super(
      `Node "${info.node}" of pipeline "${info.pipeline}" failed on item ${info.item}${tries} ` +
        `with inputs ${formatInputs(info.inputs)}: ${reason}`,
      { cause },
    );
    this.name = "NodeError";
    this.pipeline = info.pipeline;
    this.node = info.node;
    this.item = info.item;
    this.inputs = info.inputs;
    this.attempts = info.attempts;
  }
}
