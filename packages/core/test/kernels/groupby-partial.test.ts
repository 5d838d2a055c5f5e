// Partial aggregation: states of partitions, exported as Arrow columns, sent through Arrow IPC
// (as they would cross to another thread or process) and merged in order, equal one state
// fed every row: every aggregation function, key and argument types, nulls.
import { type AggFn, aggResultType, GroupByState, makeBatch, valuesOf } from "@deft/core/internal";
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  Schema,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const FNS: AggFn[] = [
  "sum",
  "mean",
  "min",
  "max",
  "count",
  "countDistinct",
  "first",
  "last",
  "list",
  "countRows",
];

interface Column {
  type: DataType;
  arb: fc.Arbitrary<unknown>;
  fns: AggFn[];
}

const COLUMNS: Record<string, Column> = {
  i64: {
    type: new Int64(),
    arb: fc.constantFrom(-(2n ** 40n), -1n, 0n, 7n, 2n ** 62n),
    fns: FNS,
  },
  f64: { type: new Float64(), arb: fc.constantFrom(-1.5, 0, -0, 2, Number.NaN, 1e300), fns: FNS },
  b: {
    type: new Bool(),
    arb: fc.boolean(),
    fns: ["sum", "mean", "min", "max", "count", "countDistinct", "first", "last", "list"],
  },
  d: {
    type: new DateDay(),
    arb: fc.constantFrom(0, 86_400_000, 3 * 86_400_000),
    fns: ["min", "max", "count", "countDistinct", "first", "last"],
  },
  s: {
    type: new Utf8(),
    arb: fc.constantFrom("a", "b", "ab", "", "é"),
    fns: ["min", "max", "count", "countDistinct", "first", "last", "list"],
  },
};

const column = (type: DataType, values: unknown[]): Data =>
  vectorFromArray(values, type).data[0]! as Data;

/** Through Arrow IPC and back: nothing but buffers survives. */
function viaIpc(p: { numGroups: number; keys: Data[]; states: Data[] }) {
  const cols = [...p.keys, ...p.states];
  const schema = new Schema(cols.map((c, i) => new Field(`c${i}`, c.type, true)));
  const table = tableFromIPC(tableToIPC(new Table([makeBatch(schema, cols, p.numGroups)])));
  const back = table.batches.length
    ? table.batches[0]!.data.children
    : cols.map((c) => c.slice(0, 0));
  return {
    numGroups: table.numRows,
    keys: back.slice(0, p.keys.length) as Data[],
    states: back.slice(p.keys.length) as Data[],
  };
}

describe("GroupByState partial states and merge", () => {
  for (const [name, c] of Object.entries(COLUMNS)) {
    for (const keyed of [true, false]) {
      it(`${name} argument, ${keyed ? "keyed by (utf8, int64)" : "global"}: partitions merged in order equal one state`, () => {
        fc.assert(
          fc.property(
            fc.array(
              fc.record({
                k1: fc.option(fc.constantFrom("x", "y", "z"), { freq: 4 }),
                k2: fc.option(fc.constantFrom(1n, 2n), { freq: 4 }),
                v: fc.option(c.arb, { freq: 3 }),
              }),
              { maxLength: 60 },
            ),
            fc.array(fc.nat(60), { maxLength: 5 }),
            (rows, cuts) => {
              const keyTypes = keyed ? [new Utf8(), new Int64()] : [];
              const specs = c.fns.map((fn) => ({
                fn,
                argType: fn === "countRows" ? null : c.type,
                argId: 1,
                outType: aggResultType(fn, fn === "countRows" ? null : c.type),
              }));
              const make = () => new GroupByState(keyTypes, specs);
              const push = (state: GroupByState, a: number, b: number) => {
                const part = rows.slice(a, b);
                if (part.length === 0) return;
                const keys = keyed
                  ? [
                      column(
                        new Utf8(),
                        part.map((r) => r.k1),
                      ),
                      column(
                        new Int64(),
                        part.map((r) => r.k2),
                      ),
                    ]
                  : [];
                const arg = column(
                  c.type,
                  part.map((r) => r.v),
                );
                state.push(
                  keys,
                  specs.map((s) => (s.argType ? arg : null)),
                  part.length,
                );
              };
              const whole = make();
              push(whole, 0, rows.length);
              const points = [
                0,
                ...[...new Set(cuts)].filter((x) => x < rows.length).sort((x, y) => x - y),
                rows.length,
              ];
              const merged = make();
              for (let i = 0; i + 1 < points.length; i++) {
                const part = make();
                push(part, points[i]!, points[i + 1]!);
                merged.merge(viaIpc(part.exportState()));
              }
              const want = whole.finish();
              const got = merged.finish();
              expect(got.numGroups).toBe(want.numGroups);
              expect([...got.keys, ...got.aggs].map((d) => valuesOf(d))).toEqual(
                [...want.keys, ...want.aggs].map((d) => valuesOf(d)),
              );
            },
          ),
          { numRuns: 60 },
        );
      });
    }
  }
});
