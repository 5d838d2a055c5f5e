// The public surface of @deft/core. Nothing but re-exports.
export { type ColumnLike, DataFrame, type RecordOptions, type RunOptions } from "./dataframe.js";
export type { SchemaLike } from "./dataframe-construct.js";
export type { ExecContext, UdfFailure } from "./exec/context.js";
export type {
  DeftEvent,
  RemoteOrigin,
  ScanEndEvent,
  StageProgressEvent,
  Subscriber,
  UdfEvent,
} from "./exec/events.js";
export type {
  Runner,
  RunnerShuffle,
  RunnerShuffleStage,
  RunnerStage,
  RunnerWrite,
  RunnerWriteStage,
  StageProgressListener,
  UdfEventListener,
} from "./exec/runner.js";
export type {
  BroadcastInput,
  BucketBy,
  FragmentReply,
  TaskError,
} from "./exec/threads/protocol.js";
export type { FrameBound, LitValue } from "./expr/ast.js";
export { coalesce, greatest, least } from "./expr/choice.js";
export { type ConcatStrOptions, concatStr } from "./expr/concat-str.js";
export {
  type DtNamespace,
  type EpochUnit,
  type IntervalParts,
  interval,
  type TruncateUnit,
} from "./expr/dt.js";
export {
  type CastOptions,
  col,
  count,
  Expr,
  type ExprLike,
  type Interpolation,
  lit,
  type QuantileOptions,
  type WhenBuilder,
  when,
} from "./expr/expr.js";
export type { ListOps } from "./expr/list.js";
export type { LikeOptions, ReplaceOptions, SplitOptions, StrNamespace } from "./expr/str.js";
export type { StructNamespace } from "./expr/struct.js";
export type {
  FrameBounds,
  RangeFrame,
  RowsFrame,
  WindowKey,
  WindowOptions,
} from "./expr/window.js";
export { denseRank, ntile, percentRank, rank, rowNumber } from "./expr/window-fns.js";
export type { GroupBy } from "./groupby.js";
export {
  type ArrowWriteOptions,
  type CsvReadOptions,
  type CsvWriteOptions,
  FileError,
  type FileKind,
  type JsonReadOptions,
  type ParquetReadOptions,
  type ParquetWriteOptions,
  readArrow,
  readCsv,
  readJson,
  readParquet,
  type WriteOptions,
  type WriteResult,
} from "./io/index.js";
export type { ColumnInput } from "./kernels/from-js.js";
export type { PlanJson } from "./plan/json/plan.js";
export type { SampleOptions } from "./plan/nodes/sample.js";
export type { JoinHow } from "./plan/nodes.js";
export type { JoinOptions, KeyInput, SortOptions } from "./plan/relational.js";
export { PlanError } from "./plan/resolve.js";
export type { ScanRequest, ScanSource } from "./plan/source.js";
export type { TypeLike } from "./types/dtype.js";
export { toDataType, typeName } from "./types/dtype.js";
export type { UdfCallContext } from "./udf/call-context.js";
export { RetryAfterError, UdfError, UdfSetupError, UdfTimeoutError } from "./udf/errors.js";
export { UdfReturnTypeError } from "./udf/fits.js";
export type { ModuleRef } from "./udf/types.js";
export {
  fromModule,
  type Udf,
  type UdfClassOptions,
  type UdfFactory,
  type UdfOptions,
  udf,
} from "./udf/udf.js";
export type { PivotAgg, PivotOptions } from "./verbs/pivot.js";
export type { UnionByNameOptions } from "./verbs/union-by-name.js";
export type { UnpivotOptions } from "./verbs/unpivot.js";
