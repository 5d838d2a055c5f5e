import type { Field, Schema } from "apache-arrow";

/** Thrown when an expression does not fit the schema; names the column or expression. */
export class PlanError extends Error {
  /** Always "PlanError". */
  override name = "PlanError";
}

export function unknownColumn(name: string, schema: Schema, where = ""): PlanError {
  const names = schema.fields.map((f) => f.name);
  return new PlanError(
    `Unknown column "${name}"${where}. The columns are: ${names.length ? names.map((n) => `"${n}"`).join(", ") : "(none)"}.`,
  );
}

export function fieldOf(schema: Schema, name: string, where = ""): Field {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw unknownColumn(name, schema, where);
  return f;
}

/** Runs `fn`, prefixing a PlanError's message with the call that made the mistake. */
export function planErrorIn<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PlanError) throw new PlanError(`${where}: ${err.message}`);
    throw err;
  }
}
