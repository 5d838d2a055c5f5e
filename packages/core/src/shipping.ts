// `@deft/core/shipping`: what code outside the core needs to run shipped UDF code on a worker
// thread (compile source text as the core's worker does, check a value against a column
// type), without loading the whole engine there: a thread that imports it loads ~4 small
// modules beside apache-arrow, which the worker has loaded already.
export { toDataType } from "./types/dtype.js";
export { fitsType } from "./udf/fits.js";
export { compileSource, shippedSourceError } from "./udf/load.js";
