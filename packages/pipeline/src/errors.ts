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

export class NodeError extends Error {
  readonly pipeline: string;
  readonly node: string;
  readonly item: number;
  readonly inputs: Readonly<Record<string, unknown>>;
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
