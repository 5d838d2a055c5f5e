// Property tests: expressions, literals and types written as JSON read back unchanged.
import { toDataType, typeName, udf } from "@deft/core";
import { decodeExpr, type ExprNode, encodeExpr, type LitValue } from "@deft/core/internal";
import {
  type DataType,
  DateDay,
  Decimal,
  Field,
  FixedSizeList,
  Float16,
  Float64,
  Int8,
  Int64,
  List,
  Map_,
  Struct,
  Timestamp,
  Uint32,
  Utf8,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const nameArb = fc.oneof(
  fc.constantFrom("a", "b", "item", "value"),
  fc.string({ minLength: 1, maxLength: 6, unit: "binary" }),
);

const typeArb: fc.Arbitrary<DataType> = fc.letrec<{ t: DataType }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<DataType>(
      new Int8(),
      new Uint32(),
      new Int64(),
      new Float16(),
      new Float64(),
      new Utf8(),
      new DateDay(),
    ),
    fc
      .tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(null, "UTC", "+05:30", "America/New_York"),
      )
      .map(([u, tz]) => new Timestamp(u, tz)),
    fc
      .tuple(fc.integer({ min: 1, max: 38 }), fc.integer({ min: 0, max: 10 }))
      .map(([p, s]) => new Decimal(Math.min(s, p), p, 128)),
    fc
      .tuple(nameArb, tie("t"), fc.boolean())
      .map(([n, t, nullable]) => new List(new Field(n, t, nullable))),
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), tie("t"))
      .map(([n, t]) => new FixedSizeList(n, new Field("item", t, true))),
    fc
      .uniqueArray(fc.tuple(nameArb, tie("t"), fc.boolean()), {
        maxLength: 3,
        selector: (x) => x[0],
      })
      .map((fs) => new Struct(fs.map(([n, t, nullable]) => new Field(n, t, nullable)))),
    fc
      .tuple(tie("t"), fc.boolean(), fc.boolean())
      .map(
        ([v, nullable, sorted]) =>
          new Map_(
            new Field(
              "entries",
              new Struct([new Field("key", new Utf8(), false), new Field("value", v, nullable)]),
              false,
            ) as Field<Struct>,
            sorted,
          ),
      ),
  ),
})).t;

const litArb: fc.Arbitrary<LitValue> = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ unit: "grapheme" }),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 8 }),
);

const udfs = [
  udf((x: number) => x + 1, { returns: "float64", name: "inc" }).def,
  udf.batch((xs: unknown) => xs, { returns: "list<utf8>", name: "same" }).def,
];

const exprArb: fc.Arbitrary<ExprNode> = fc.letrec<{ e: ExprNode }>((tie) => {
  const e = tie("e");
  return {
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      nameArb.map((name): ExprNode => ({ kind: "col", name })),
      fc
        .tuple(litArb, fc.option(typeArb, { nil: undefined }))
        .map(
          ([value, type]): ExprNode =>
            type ? { kind: "lit", value, type } : { kind: "lit", value },
        ),
      fc
        .tuple(
          fc.constantFrom(
            "add",
            "sub",
            "mul",
            "div",
            "mod",
            "eq",
            "neq",
            "lt",
            "lte",
            "gt",
            "gte",
            "and",
            "or",
          ),
          e,
          e,
        )
        .map(([op, left, right]): ExprNode => ({ kind: "binary", op, left, right })),
      fc.tuple(fc.constantFrom("neg", "not"), e).map(([kind, arg]) => ({ kind, arg }) as ExprNode),
      fc
        .tuple(e, fc.boolean())
        .map(([arg, negated]): ExprNode => ({ kind: "isNull", arg, negated })),
      fc.tuple(e, e).map(([arg, fill]): ExprNode => ({ kind: "fillNull", arg, fill })),
      fc
        .tuple(e, fc.array(litArb, { maxLength: 3 }))
        .map(([arg, values]): ExprNode => ({ kind: "isIn", arg, values })),
      fc.tuple(e, typeArb).map(([arg, to]): ExprNode => ({ kind: "cast", arg, to })),
      fc.tuple(e, nameArb).map(([arg, name]): ExprNode => ({ kind: "alias", arg, name })),
      fc
        .tuple(fc.array(fc.record({ cond: e, value: e }), { minLength: 1, maxLength: 2 }), e)
        .map(([branches, otherwise]): ExprNode => ({ kind: "when", branches, otherwise })),
      fc
        .tuple(
          fc.constantFrom(
            "length",
            "lower",
            "contains",
            "replace",
            "slice",
            "like",
            "ilike",
            "matches",
            "extract",
            "extractAll",
            "countMatches",
            "padStart",
            "repeat",
            "reverse",
            "find",
            "capitalize",
            "toBytes",
          ),
          e,
          fc.array(litArb, { maxLength: 4 }),
        )
        .map(([fn, arg, args]): ExprNode => ({ kind: "str", fn, arg, args })),
      fc
        .tuple(
          fc.constantFrom("abs", "round", "log", "pow", "clip", "atan2", "isNan", "hash"),
          fc.array(e, { minLength: 1, maxLength: 3 }),
        )
        .map(([fn, args]): ExprNode => ({ kind: "math", fn, args })),
      fc
        .tuple(
          fc.constantFrom("coalesce", "greatest", "least", "nullIf"),
          fc.array(e, { minLength: 1, maxLength: 3 }),
        )
        .map(([fn, args]): ExprNode => ({ kind: "choice", fn, args })),
      fc.tuple(fc.array(e, { minLength: 1, maxLength: 3 }), fc.string(), fc.boolean()).map(
        ([args, separator, ignoreNulls]): ExprNode => ({
          kind: "concatStr",
          args,
          separator,
          ignoreNulls,
        }),
      ),
      fc
        .tuple(fc.constantFrom("length", "get", "join"), e, fc.array(litArb, { maxLength: 1 }))
        .map(([fn, arg, args]): ExprNode => ({ kind: "list", fn, arg, args })),
      fc
        .tuple(
          fc.constantFrom(
            "year",
            "millisecond",
            "weekday",
            "week",
            "date",
            "truncate",
            "strftime",
            "epoch",
            "totalDays",
            "shift",
            "toDate",
            "toTimestamp",
          ),
          e,
          fc.array(litArb, { maxLength: 3 }),
        )
        .map(([fn, arg, args]): ExprNode => ({ kind: "dt", fn, arg, args })),
      fc
        .record({
          months: fc.integer(),
          days: fc.integer(),
          ms: fc.oneof(fc.double(), fc.constant(-0)),
        })
        .map((iv): ExprNode => ({ kind: "interval", ...iv })),
      fc
        .tuple(fc.constantFrom(...udfs), fc.array(e, { minLength: 1, maxLength: 2 }))
        .map(([def, args]): ExprNode => ({ kind: "udf", udf: def, args })),
      fc
        .tuple(
          fc.constantFrom("sum", "mean", "countDistinct", "list", "countRows"),
          fc.option(e, { nil: null }),
        )
        .map(([fn, arg]): ExprNode => ({ kind: "agg", fn, arg })),
      fc
        .tuple(
          fc.constantFrom("std", "quantile", "stringAgg", "mode"),
          e,
          fc.array(litArb, { maxLength: 2 }),
        )
        .map(([fn, arg, args]): ExprNode => ({ kind: "agg", fn, arg, args })),
    ),
  };
}).e;

describe("property: plans as JSON", () => {
  it("every type name reads back to an equal type (child names, nullability, units, zones)", () => {
    fc.assert(
      fc.property(typeArb, (t) => {
        const name = typeName(t);
        const back = toDataType(name);
        expect(typeName(back)).toBe(name);
        expect(back).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it("decode(encode(expr)) is the expression, after a trip through JSON text", () => {
    fc.assert(
      fc.property(exprArb, (expr) => {
        const json = JSON.parse(JSON.stringify(encodeExpr(expr, (def) => udfs.indexOf(def))));
        const back = decodeExpr(json, "expr", (i) => udfs[i]!);
        expect(back).toEqual(expr);
      }),
      { numRuns: 500 },
    );
  });
});
