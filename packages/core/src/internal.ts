// Internals for the tests and benchmarks of this repository. Not a stable API.

export { AggregateOperator } from "./exec/aggregate.js";
export { ConcatOperator } from "./exec/concat.js";
export { createContext } from "./exec/context.js";
export { DistinctOperator } from "./exec/distinct.js";
export { ExplodeOperator } from "./exec/explode.js";
export { JoinOperator } from "./exec/join.js";
export { lower } from "./exec/lower.js";
export type { Operator } from "./exec/operator.js";
export { type OrderedMapOptions, type OrderedTask, orderedMap } from "./exec/ordered-map.js";
export { rechunk } from "./exec/rechunk.js";
export { DEFAULT_BROADCAST_BYTES } from "./exec/shuffle-join.js";
export { writeResultOf } from "./exec/sink.js";
export { SortOperator } from "./exec/sort.js";
export { resolveThreads } from "./exec/threads/count.js";
export { closeComputePool, computePoolThreads, runCompute } from "./exec/threads/pool.js";
export type { FragmentTask } from "./exec/threads/protocol.js";
export { UdfProjectOperator } from "./exec/udf-project.js";
export * from "./expr/ast.js";
export { formatFloat, plainDecimal } from "./format/float.js";
export { cutToWidth, displayWidth, padToWidth } from "./format/width.js";
export { FileSetSource, openFileSet } from "./io/file-set.js";
export { hiveLayout, hiveSegments } from "./io/hive.js";
export {
  CsvSource,
  FileError,
  globFiles,
  IpcSource,
  NdjsonSource,
  ParquetSource,
  readArrow,
  readCsv,
  readJson,
  readParquet,
  writeArrowBatches,
  writeCsvBatches,
  writeJsonBatches,
  writeParquetBatches,
} from "./io/index.js";
export { parseJsonExact } from "./io/json-integers.js";
export { decodeParquetTask } from "./io/parquet-decode.js";
export { readParquetFooter } from "./io/parquet-footer.js";
export { lz4RawDecompress } from "./io/parquet-native/lz4-raw.js";
export {
  DATA_PAGE,
  DATA_PAGE_V2,
  DICTIONARY_PAGE,
  readPageHeader,
} from "./io/parquet-native/page-header.js";
export { decodeHybrid, decodeHybridAt } from "./io/parquet-native/rle-bitpacked.js";
export { snappyDecompress } from "./io/parquet-native/snappy.js";
export { nativePlan } from "./io/parquet-native/support.js";
export { moveIntoPlace } from "./io/write-batches.js";
export { generateLoop } from "./kernels/codegen.js";
export { DistinctFilter } from "./kernels/distinct.js";
export { compile, compileSelection, evaluate } from "./kernels/evaluate.js";
export { explodeIndices } from "./kernels/explode.js";
export { exprId } from "./kernels/expr-id.js";
export { columnFromJs, inferType } from "./kernels/from-js.js";
export { GroupByState } from "./kernels/groupby.js";
export { GroupKeys } from "./kernels/groupby-keys.js";
export { keyKindOf } from "./kernels/hash.js";
export { hashBuckets } from "./kernels/hash-buckets.js";
export { GroupTable } from "./kernels/hash-table.js";
export { hashJoinPairs, JoinBuild } from "./kernels/join.js";
export type { LoopLeaf, LoopNode } from "./kernels/loop-types.js";
export { sortIndices } from "./kernels/sort.js";
export { radixSortIndices } from "./kernels/sort-radix.js";
export { takeData } from "./kernels/take.js";
export { concatData, emptyData, makeBatch } from "./kernels/take-concat.js";
export { locateRows, takePieces, takesPieces } from "./kernels/take-pieces.js";
export { valuesOf } from "./kernels/to-js.js";
export { buildUtf8, decodeUtf8Column } from "./kernels/utf8.js";
export { partitionRows, toPartitioned } from "./kernels/window-partition.js";
export { sortWithinPartitions } from "./kernels/window-partition-sort.js";
export { deriveJoinFilters } from "./optimizer/derive-join-filters.js";
export { type Batch, type Rule, runBatches, runToFixpoint } from "./optimizer/driver.js";
export { factorDisjunctions } from "./optimizer/factor-disjunctions.js";
export { fuseProjections } from "./optimizer/fuse-projections.js";
export { BATCHES, optimize } from "./optimizer/optimize.js";
export { pruneColumns } from "./optimizer/prune-columns.js";
export { pushDownFilter } from "./optimizer/push-down-filter.js";
export { pushDownLimit } from "./optimizer/push-down-limit.js";
export { pushGroupKeys } from "./optimizer/push-group-keys.js";
export { removeIdentityProjection } from "./optimizer/remove-identity-projection.js";
export { splitUdfs } from "./optimizer/split-udfs.js";
export { filterNode, passThrough, projectNode, refresh, udfProjectNode } from "./plan/build.js";
export { formatPlan } from "./plan/explain.js";
export { decodeExpr, encodeExpr } from "./plan/json/expr.js";
export { type PlanJson, planFromJson, planToJson } from "./plan/json/plan.js";
export { decodeValue, encodeValue } from "./plan/json/values.js";
export { type SinkTarget, sinkNode } from "./plan/nodes/sink.js";
export { objectSourceNode, scanSource, sourceNode } from "./plan/nodes/source.js";
export * from "./plan/nodes.js";
export {
  aggregatePlan,
  concatPlan,
  distinctPlan,
  explodePlan,
  joinPlan,
  sortPlan,
} from "./plan/relational.js";
export { resolveType } from "./plan/resolve.js";
export { MAX_INLINE_BYTES, openSource } from "./sources/registry.js";
export * from "./types/dtype.js";
export { aggResultType } from "./types/typing.js";
export { RetryAfterError, UdfError, UdfSetupError } from "./udf/errors.js";
export { fitsType } from "./udf/fits.js";
export { outerNames } from "./udf/free-vars.js";
export { LOADED_UDF_LIMIT, loadedUdfCount } from "./udf/load.js";
export {
  type GivePermit,
  LocalPermits,
  once,
  type Permits,
  portPermits,
  servePermits,
} from "./udf/permits.js";
export {
  closeWorkerPool,
  mainUsesTsx,
  moduleNeedsTsx,
  tsxImport,
  workerPoolThreads,
} from "./udf/pool.js";
export { progressSubscriber } from "./udf/progress.js";
export { backoffMs, type RetryOutcome, type RetryPolicy, withRetry } from "./udf/retry.js";
export { fromModule, type Udf, type UdfClassOptions, type UdfOptions, udf } from "./udf/udf.js";
