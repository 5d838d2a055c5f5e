// The byte-level .str kernels against JavaScript's own string functions on random text.
import { col } from "@deft/core";
import { buildUtf8, evaluate, makeBatch, valuesOf } from "@deft/core/internal";
import { Field, Schema, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const alphabet = fc.constantFrom("a", "b", "é", "😀", " ", "-", "\t", "A", "ß");
const text = fc.string({ unit: alphabet, maxLength: 12 });
const column = fc.array(fc.option(text, { freq: 4 }), { maxLength: 30 });

function run(values: (string | null)[], e: ReturnType<typeof col>) {
  const schema = new Schema([new Field("s", new Utf8(), true)]);
  // A sliced batch too, so offsets that do not start at 0 are covered.
  const padded = ["pre", ...values];
  const batch = makeBatch(schema, [buildUtf8(padded)], padded.length).slice(1);
  return valuesOf(evaluate(e.node, batch));
}

const map = <T>(values: (string | null)[], f: (s: string) => T) =>
  values.map((s) => (s === null ? null : f(s)));

describe(".str kernels vs JavaScript", () => {
  it("contains / startsWith / endsWith (UTF-8 byte matching equals string matching)", () => {
    fc.assert(
      fc.property(column, text, (values, pat) => {
        expect(run(values, col("s").str.contains(pat))).toEqual(
          map(values, (s) => s.includes(pat)),
        );
        expect(run(values, col("s").str.startsWith(pat))).toEqual(
          map(values, (s) => s.startsWith(pat)),
        );
        expect(run(values, col("s").str.endsWith(pat))).toEqual(
          map(values, (s) => s.endsWith(pat)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("length counts code points", () => {
    fc.assert(
      fc.property(column, (values) => {
        expect(run(values, col("s").str.length())).toEqual(
          map(values, (s) => Array.from(s).length),
        );
      }),
    );
  });

  it("replace / split / strip / upper", () => {
    fc.assert(
      fc.property(
        column,
        text.filter((p) => p.length > 0),
        text,
        (values, pat, rep) => {
          expect(run(values, col("s").str.replace(pat, rep))).toEqual(
            map(values, (s) => s.split(pat).join(rep)),
          );
          expect(run(values, col("s").str.split(pat))).toEqual(map(values, (s) => s.split(pat)));
          expect(run(values, col("s").str.strip())).toEqual(map(values, (s) => s.trim()));
          expect(run(values, col("s").str.upper())).toEqual(map(values, (s) => s.toUpperCase()));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("slice by code points with any start/length", () => {
    fc.assert(
      fc.property(
        column,
        fc.integer({ min: -15, max: 15 }),
        fc.option(fc.integer({ min: 0, max: 15 })),
        (values, start, len) => {
          const ref = (s: string) => {
            const c = Array.from(s);
            const from = start < 0 ? Math.max(0, c.length + start) : Math.min(start, c.length);
            return c.slice(from, len === null ? undefined : from + len).join("");
          };
          const e = len === null ? col("s").str.slice(start) : col("s").str.slice(start, len);
          expect(run(values, e)).toEqual(map(values, ref));
        },
      ),
      { numRuns: 100 },
    );
  });
});
