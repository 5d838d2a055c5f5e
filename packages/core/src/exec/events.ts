/** Events a run emits to subscribers (`{ progress: subscriber }`). */
export type DeftEvent =
  | { type: "query:start"; plan: string }
  | { type: "query:end"; rows: number; ms: number; error?: Error }
  | { type: "operator:start"; id: number; name: string; totalRows?: number }
  | { type: "operator:rows"; id: number; name: string; rowsIn: number; rowsOut: number }
  | { type: "operator:end"; id: number; name: string }
  /** A UDF call started for input rows row..row+rows-1 (rows is 1 for a row UDF on the main thread; a batch or worker task covers many). */
  | { type: "udf:call"; id: number; udf: string; row: number; rows: number }
  | { type: "udf:done"; id: number; udf: string; rows: number }
  | {
      type: "udf:retry";
      id: number;
      udf: string;
      row: number;
      attempt: number;
      delayMs: number;
      error: Error;
    }
  | { type: "udf:failure"; id: number; udf: string; row: number; error: Error };

export type Subscriber = (event: DeftEvent) => void;
