// The public surface of @deft/core. Nothing but re-exports.
export { col, count, Expr, type ExprLike, lit, when } from "./expr/expr.js";
export type { LitValue } from "./expr/ast.js";
export type { TypeLike } from "./types/dtype.js";
export type { DeftEvent, Subscriber } from "./exec/events.js";
export type { UdfFailure } from "./exec/context.js";
