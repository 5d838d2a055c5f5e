// .list kernels against plain arrays, on sliced list columns (offsets not starting at 0).
import { col } from "@deft/core";
import { evaluate, makeBatch, valuesOf } from "@deft/core/internal";
import { Field, List, Schema, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

type Lists = (readonly (string | null)[] | null)[];
const lists = fc.array(
  fc.option(
    fc.array(fc.option(fc.constantFrom("a", "bc", "", "é"), { freq: 4 }), { maxLength: 4 }),
    { freq: 4 },
  ),
  {
    maxLength: 25,
  },
);

function run(values: Lists, e: ReturnType<typeof col>) {
  const type = new List(new Field("item", new Utf8(), true));
  const padded: Lists = [["pad", "pad"], ...values];
  const data = vectorFromArray(padded as never[], type).data[0]!;
  const batch = makeBatch(new Schema([new Field("l", type, true)]), [data], padded.length).slice(1);
  return valuesOf(evaluate(e.node, batch));
}

describe(".list kernels vs plain arrays", () => {
  it("length, get (any index), join", () => {
    fc.assert(
      fc.property(
        lists,
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom(",", "", " - "),
        (values, index, sep) => {
          const map = <T>(f: (l: readonly (string | null)[]) => T) =>
            values.map((l) => (l === null ? null : f(l)));
          expect(run(values, col("l").list.length())).toEqual(map((l) => l.length));
          expect(run(values, col("l").list.get(index))).toEqual(map((l) => l.at(index) ?? null));
          // Null items are skipped by join.
          expect(run(values, col("l").list.join(sep))).toEqual(
            map((l) => l.filter((x) => x !== null).join(sep)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
