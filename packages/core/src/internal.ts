// Internals for the tests and benchmarks of this repository. Not a stable API.
export * from "./expr/ast.js";
export * from "./plan/nodes.js";
export * from "./types/dtype.js";
