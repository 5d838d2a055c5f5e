// The join build side as plain buffers: rebuilt from a structured clone that transferred its
// typed arrays (as a worker thread would receive it), it probes exactly as the original.
import { JoinBuild } from "@deft/core/internal";
import {
  type Data,
  type DataType,
  Float64,
  Int32,
  Int64,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const column = (type: DataType, values: unknown[]): Data =>
  vectorFromArray(values, type).data[0]! as Data;

function transferables(x: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (ArrayBuffer.isView(x)) {
    if (!out.includes(x.buffer as ArrayBuffer)) out.push(x.buffer as ArrayBuffer);
  } else if (x && typeof x === "object") for (const v of Object.values(x)) transferables(v, out);
  return out;
}

describe("JoinBuild buffers", () => {
  it("a build rebuilt from transferred buffers probes like the original (utf8, int64, float64 keys, nulls)", () => {
    const key = fc.record({
      s: fc.option(fc.constantFrom("a", "b", "ab", "", "é"), { freq: 4 }),
      l: fc.option(fc.constantFrom(-1n, 0n, 2n ** 40n), { freq: 4 }),
      f: fc.option(fc.constantFrom(-0, 0, 1.5, Number.NaN), { freq: 4 }),
    });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), fc.array(key, { maxLength: 60 }), (b, p) => {
        const types = [new Utf8(), new Int64(), new Float64()];
        const cols = (rows: typeof b) => [
          column(
            types[0]!,
            rows.map((r) => r.s),
          ),
          column(
            types[1]!,
            rows.map((r) => r.l),
          ),
          column(
            types[2]!,
            rows.map((r) => r.f),
          ),
        ];
        const build = JoinBuild.build(cols(b));
        // Transferring detaches the sender's arrays: send a second build of the same keys.
        const buffers = JoinBuild.build(cols(b)).toBuffers();
        const moved = structuredClone(buffers, { transfer: transferables(buffers) });
        const again = JoinBuild.fromBuffers(types, moved);
        expect([...again.probe(cols(p))]).toEqual([...build.probe(cols(p))]);
        expect([...again.rows]).toEqual([...build.rows]);
        expect([...again.start]).toEqual([...build.start]);
      }),
      { numRuns: 150 },
    );
  });

  it("one integer key in a narrow range probes through a direct map, as the hash table would (int32, int64, property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 2 ** 31 - 50, -(2 ** 40), 2 ** 52 - 50),
        fc.boolean(),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.option(fc.integer({ min: -60, max: 60 }), { freq: 6 }), { maxLength: 200 }),
        (base, wide, b, p) => {
          const type = wide || Math.abs(base) > 2 ** 30 ? new Int64() : new Int32();
          const val = (d: number) => (type instanceof Int64 ? BigInt(base) + BigInt(d) : base + d);
          const build = JoinBuild.build([column(type, b.map(val))]);
          expect(build.toBuffers().dense).toBeDefined();
          const probe = build.probe([
            column(
              type,
              p.map((d) => (d === null ? null : val(d))),
            ),
          ]);
          // Rows of one key share a group; absent keys and nulls get -1.
          const groupOf = new Map<number, number>();
          b.forEach((d, i) => {
            const g = build.rows.indexOf(i);
            const grp = build.start.findIndex((st, k) => st <= g && g < build.start[k + 1]!);
            groupOf.set(d, grp);
          });
          expect([...probe]).toEqual(p.map((d) => (d === null ? -1 : (groupOf.get(d) ?? -1))));
        },
      ),
      { numRuns: 150 },
    );
  });
});
