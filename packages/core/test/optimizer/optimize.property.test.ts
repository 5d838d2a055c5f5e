// Random small plans give the same rows optimized as they give run exactly as built: every
// rule (filter pushdown through each node and join kind, pruning, limits, fusing) together.
import { col, count, DataFrame, type Expr, lit } from "@deft/core";
import { createContext, formatPlan, lower, type PlanNode } from "@deft/core/internal";
import { Float64, type RecordBatch, Utf8 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

type How = "inner" | "left" | "right" | "outer" | "semi" | "anti" | "cross";
const HOWS: How[] = ["inner", "left", "right", "outer", "semi", "anti", "cross"];

/** A plan as a tree of steps; numbers pick columns from whatever schema the input has. */
type Recipe =
  | { op: "source"; table: 0 | 1 }
  | { op: "filter"; atoms: Atom[]; or: boolean; input: Recipe }
  | { op: "select"; keep: number; compute: boolean; input: Recipe }
  | { op: "join"; how: How; lk: number; rk: number; left: Recipe; right: Recipe }
  | { op: "agg"; key: number; arg: number; input: Recipe }
  | { op: "sort"; key: number; desc: boolean; limit: number | null; input: Recipe }
  | { op: "explode"; input: Recipe }
  | { op: "distinct"; keep: number; input: Recipe }
  | { op: "concat"; input: Recipe }
  | { op: "limit"; n: number; input: Recipe }
  | { op: "tail"; n: number; input: Recipe }
  | { op: "rowIndex"; input: Recipe }
  | { op: "sample"; n: number; fraction: boolean; input: Recipe };
type Atom = { c: number; cmp: "gt" | "lt" | "eq" | "isNull" | "col"; v: number; c2: number };

const atomArb: fc.Arbitrary<Atom> = fc.record({
  c: fc.nat(9),
  cmp: fc.constantFrom("gt", "lt", "eq", "isNull", "col"),
  v: fc.integer({ min: -1, max: 4 }),
  c2: fc.nat(9),
});

const recipeArb: fc.Arbitrary<Recipe> = fc.letrec<{ r: Recipe }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ op: fc.constant("source"), table: fc.constantFrom(0, 1) }),
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("filter"),
        atoms: fc.array(atomArb, { minLength: 1, maxLength: 3 }),
        or: fc.boolean(),
        input: tie("r"),
      }),
    },
    fc.record({
      op: fc.constant("select"),
      keep: fc.nat(1023),
      compute: fc.boolean(),
      input: tie("r"),
    }),
    fc.record({
      op: fc.constant("join"),
      how: fc.constantFrom(...HOWS),
      lk: fc.nat(9),
      rk: fc.nat(9),
      left: tie("r"),
      right: tie("r"),
    }),
    fc.record({ op: fc.constant("agg"), key: fc.nat(9), arg: fc.nat(9), input: tie("r") }),
    fc.record({
      op: fc.constant("sort"),
      key: fc.nat(9),
      desc: fc.boolean(),
      limit: fc.option(fc.nat(5)),
      input: tie("r"),
    }),
    fc.record({ op: fc.constant("explode"), input: tie("r") }),
    fc.record({ op: fc.constant("distinct"), keep: fc.nat(1023), input: tie("r") }),
    fc.record({ op: fc.constant("concat"), input: tie("r") }),
    fc.record({ op: fc.constant("limit"), n: fc.nat(6), input: tie("r") }),
    fc.record({ op: fc.constant("tail"), n: fc.nat(6), input: tie("r") }),
    fc.record({ op: fc.constant("rowIndex"), input: tie("r") }),
    fc.record({
      op: fc.constant("sample"),
      n: fc.nat(6),
      fraction: fc.boolean(),
      input: tie("r"),
    }),
  ) as fc.Arbitrary<Recipe>,
})).r;

const valueArb = fc.option(fc.integer({ min: 0, max: 3 }), { freq: 5 });
const tableArb = (prefix: string) =>
  fc
    .array(
      fc.record({
        k: valueArb,
        v: valueArb,
        s: fc.option(fc.constantFrom("a", "b,c", "", "c,a,a"), { freq: 5 }),
      }),
      { maxLength: 8 },
    )
    .map((rows) => ({
      [`${prefix}k`]: rows.map((r) => r.k),
      [`${prefix}v`]: rows.map((r) => r.v),
      // Both tables have "s": a join renames the right one with the suffix.
      s: rows.map((r) => r.s),
    }));

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length ? list[i % list.length] : undefined;
const subset = <T>(list: readonly T[], bits: number): T[] => {
  const out = list.filter((_, i) => bits & (1 << i));
  return out.length ? out : list.slice(0, 1);
};

let unique = 0;

/** Builds the DataFrame; a step that does not fit its input's schema is left out. */
function build(r: Recipe, tables: DataFrame[]): { df: DataFrame; ordered: boolean } {
  if (r.op === "source") return { df: tables[r.table]!, ordered: true };
  if (r.op === "join") {
    const left = build(r.left, tables);
    const right = build(r.right, tables);
    if (r.how === "cross")
      return tryStep(left, () => left.df.join(right.df, { how: "cross" }), false);
    const lk = pick(numeric(left.df), r.lk);
    const rk = pick(numeric(right.df), r.rk);
    if (!lk || !rk) return left;
    return tryStep(
      left,
      () => left.df.join(right.df, { leftOn: lk, rightOn: rk, how: r.how }),
      false,
    );
  }
  const inner = build(r.input, tables);
  const df = inner.df;
  const names = df.schema.fields.map((f) => f.name);
  switch (r.op) {
    case "filter": {
      const atoms = r.atoms.map((a) => atom(df, a)).filter((a): a is Expr => a !== undefined);
      if (atoms.length === 0) return inner;
      const pred =
        r.or && atoms.length > 1 ? atoms[0]!.or(atoms[1]!) : atoms.reduce((p, a) => p.and(a));
      return tryStep(inner, () => df.filter(pred), inner.ordered);
    }
    case "select": {
      const keep = subset(names, r.keep);
      const nums = numeric(df);
      const extra =
        r.compute && nums.length
          ? [
              col(nums[0]!)
                .add(col(pick(nums, r.keep)!))
                .alias(`c${unique++}`),
            ]
          : [];
      return tryStep(inner, () => df.select(...keep, ...extra), inner.ordered);
    }
    case "agg": {
      // Every fourth one is global (no keys): one row, whatever its input.
      const keys = r.key % 4 === 0 ? [] : [pick(names, r.key)!];
      const arg = r.arg % 3 === 0 ? undefined : pick(numeric(df), r.arg);
      const aggs = [count().alias(`n${unique++}`)];
      if (arg) aggs.push(col(arg).sum().alias(`sum${unique++}`));
      return tryStep(inner, () => df.groupBy(...keys).agg(...aggs), false);
    }
    case "sort": {
      const key = pick(names, r.key)!;
      const opts =
        r.limit === null ? { descending: r.desc } : { descending: r.desc, limit: r.limit };
      return tryStep(inner, () => df.sort(key, opts), inner.ordered);
    }
    case "explode": {
      const s = df.schema.fields.find((f) => f.type instanceof Utf8)?.name;
      if (!s) return inner;
      return tryStep(
        inner,
        () => df.withColumn(s, col(s).str.split(",")).explode(s),
        inner.ordered,
      );
    }
    case "distinct":
      return tryStep(
        inner,
        () => df.distinct(...(r.keep % 3 === 0 ? [] : subset(names, r.keep))),
        false,
      );
    case "concat":
      return tryStep(
        inner,
        () => df.concat(df.filter(col(names[0]!).isNull().not())),
        inner.ordered,
      );
    case "limit":
      // A limit over rows in an order the plan does not define would pick rows arbitrarily.
      return inner.ordered ? tryStep(inner, () => df.limit(r.n), true) : inner;
    // Like limit, these pick or number rows by position: only over a defined order.
    case "tail":
      return inner.ordered ? tryStep(inner, () => df.tail(r.n), true) : inner;
    case "rowIndex":
      return inner.ordered ? tryStep(inner, () => df.withRowIndex(`i${unique++}`), true) : inner;
    case "sample": {
      const opts = r.fraction ? { fraction: r.n / 6, seed: r.n } : { n: r.n, seed: 7 };
      return inner.ordered ? tryStep(inner, () => df.sample(opts), true) : inner;
    }
  }
}

function tryStep(
  inner: { df: DataFrame; ordered: boolean },
  step: () => DataFrame,
  ordered: boolean,
) {
  try {
    return { df: step(), ordered };
  } catch {
    return inner; // e.g. a key type a join or distinct does not take, or a suffix clash
  }
}

const numeric = (df: DataFrame) =>
  df.schema.fields.filter((f) => f.type instanceof Float64).map((f) => f.name);

function atom(df: DataFrame, a: Atom): Expr | undefined {
  const names = df.schema.fields.map((f) => f.name);
  const nums = numeric(df);
  switch (a.cmp) {
    case "isNull":
      return col(pick(names, a.c)!).isNull();
    case "col":
      return nums.length ? col(pick(nums, a.c)!).lt(col(pick(nums, a.c2)!)) : undefined;
    default:
      return nums.length ? col(pick(nums, a.c)!)[a.cmp](lit(a.v)) : undefined;
  }
}

/** Runs a plan exactly as built, without the optimizer. */
async function runUnoptimized(plan: PlanNode): Promise<Record<string, unknown>[]> {
  const batches: RecordBatch[] = [];
  const ctx = createContext(new AbortController().signal, []);
  for await (const b of lower(plan).execute(ctx)) batches.push(b);
  return batches.length ? DataFrame.fromArrow(batches).toRecords() : [];
}

const key = (r: Record<string, unknown>) =>
  JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

describe("optimized plans give the rows of the plans as built", () => {
  it("random plans over filters, projections, joins, aggregates, sorts, explode, distinct, concat, limits", async () => {
    await fc.assert(
      fc.asyncProperty(recipeArb, tableArb("a"), tableArb("b"), async (recipe, t0, t1) => {
        const schema = (p: string) => ({ [`${p}k`]: "float64", [`${p}v`]: "float64", s: "utf8" });
        const tables = [
          DataFrame.fromColumns(t0, { schema: schema("a") }),
          DataFrame.fromColumns(t1, { schema: schema("b") }),
        ];
        const { df, ordered } = build(recipe, tables);
        const expected = await runUnoptimized(df.plan);
        const got = await df.toRecords();
        const where = `\n${formatPlan(df.plan)}\n--- optimized:\n${df.explain({ optimized: true })}`;
        if (ordered) expect(got.map(key), where).toEqual(expected.map(key));
        else expect(got.map(key).sort(), where).toEqual(expected.map(key).sort());
      }),
      { numRuns: 300 },
    );
  });
});
