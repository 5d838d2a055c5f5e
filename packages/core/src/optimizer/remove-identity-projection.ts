import type { Rule } from "./driver.js";

/**
 * A projection that passes every column of its input through unchanged, in order, does
 * nothing (pruning leaves these behind once the node below it is narrowed).
 */
export const removeIdentityProjection: Rule = {
  name: "removeIdentityProjection",
  apply(node) {
    if (node.kind !== "project") return undefined;
    const fields = node.input.schema.fields;
    if (node.exprs.length !== fields.length) return undefined;
    const same = node.exprs.every(
      (e, i) => e.name === fields[i]!.name && e.expr.kind === "col" && e.expr.name === e.name,
    );
    return same ? node.input : undefined;
  },
};
