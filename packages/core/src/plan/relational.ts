import { Field, type List, Schema, Type } from "apache-arrow";
import { type AggNode, type ExprNode, outputName, stripAlias } from "../expr/ast.js";
import { shapeName, typeName } from "../types/dtype.js";
import {
  aggregateOutputType,
  fieldOf,
  PlanError,
  requireKeyType,
  typeAt,
} from "../types/typing.js";
import type {
  AggregateNode,
  ConcatNode,
  DistinctNode,
  ExplodeNode,
  JoinHow,
  JoinNode,
  NamedExpr,
  PlanNode,
  SortKey,
  SortNode,
} from "./nodes.js";

/** An expression as the DataFrame methods take it: an Expr (anything with `.node`) or its tree. */
export type ExprInput = ExprNode | { readonly node: ExprNode };
/** A key: a column name or an expression. */
export type KeyInput = string | ExprInput;

const toNode = (e: ExprInput): ExprNode => ("node" in e ? e.node : e);
const toExpr = (k: KeyInput): ExprNode =>
  typeof k === "string" ? { kind: "col", name: k } : toNode(k);

function perKey(
  value: boolean | readonly boolean[] | undefined,
  n: number,
  name: string,
): boolean[] {
  if (value === undefined) return new Array<boolean>(n).fill(false);
  if (typeof value === "boolean") return new Array<boolean>(n).fill(value);
  if (value.length !== n) {
    throw new PlanError(
      `sort: ${name} has ${value.length} entries for ${n} sort keys; give one per key or a single boolean.`,
    );
  }
  return [...value];
}

/** Options of `df.sort(by, opts)`. */
export interface SortOptions {
  /** Largest first (default false): one boolean for every key, or one per key. */
  descending?: boolean | readonly boolean[];
  /** Nulls sort last by default (DuckDB, SQL), whatever the direction. */
  nullsFirst?: boolean | readonly boolean[];
  /** Keep only the first `limit` rows of the order (top-N, without a full sort). */
  limit?: number;
}

/** `df.sort(by, opts)`: a stable sort by one or more keys (names or expressions). */
export function sortPlan(
  input: PlanNode,
  by: KeyInput | readonly KeyInput[],
  opts: SortOptions = {},
): SortNode {
  const list = Array.isArray(by) ? (by as readonly KeyInput[]) : [by as KeyInput];
  if (list.length === 0)
    throw new PlanError("sort: give at least one column or expression to sort by.");
  const desc = perKey(opts.descending, list.length, "descending");
  const nullsFirst = perKey(opts.nullsFirst, list.length, "nullsFirst");
  const keys: SortKey[] = list.map((k, i) => {
    const expr = toExpr(k);
    requireKeyType(typeAt(expr, input.schema, "sort", "row"), expr, "sort");
    return { expr, descending: desc[i]!, nullsFirst: nullsFirst[i]! };
  });
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 0)) {
    throw new PlanError(`sort: limit must be a non-negative integer, got ${opts.limit}.`);
  }
  const node: SortNode = { kind: "sort", schema: input.schema, input, keys };
  return opts.limit === undefined ? node : { ...node, limit: opts.limit };
}

/**
 * `df.groupBy(...keys).agg(...aggs)` and, with no keys, a global aggregation. Output: the key
 * columns, then one column per aggregation, named by its alias or its input column
 * (`count()` is "count"). Result types follow aggResultType in the typing module (sum of
 * ints is int64, of uints uint64, mean float64, counts int64, list<T>).
 */
export function aggregatePlan(
  input: PlanNode,
  keys: readonly KeyInput[],
  aggInputs: readonly ExprInput[],
): AggregateNode {
  const aggs = aggInputs.map(toNode);
  const schema = input.schema;
  const names = new Set<string>();
  const claim = (name: string) => {
    if (names.has(name)) {
      throw new PlanError(
        `groupBy/agg: two output columns are named "${name}"; give one of them another name with .alias("...").`,
      );
    }
    names.add(name);
  };
  const fields: Field[] = [];
  const keyExprs: NamedExpr[] = keys.map((k) => {
    const expr = toExpr(k);
    const t = typeAt(expr, schema, "groupBy", "row");
    requireKeyType(t, expr, "groupBy");
    const name = outputName(expr);
    claim(name);
    fields.push(new Field(name, t, true));
    return { name, expr: stripAlias(expr) };
  });
  const aggList = aggs.map((e) => {
    const agg = stripAlias(e);
    const type = aggregateOutputType(agg, schema, "agg");
    const name = outputName(e);
    claim(name);
    fields.push(new Field(name, type, true));
    return { name, agg: agg as AggNode };
  });
  if (aggList.length === 0 && keyExprs.length === 0)
    throw new PlanError("agg: give at least one aggregation.");
  return { kind: "aggregate", schema: new Schema(fields), input, keys: keyExprs, aggs: aggList };
}

/** Options of `df.join(other, opts)`: the keys (`on`, or `leftOn` with `rightOn`) and the kind. */
export interface JoinOptions {
  /** Key column(s) with the same name on both sides. Not together with leftOn/rightOn. */
  on?: string | readonly string[];
  /** Key column(s) of the left side, paired in order with `rightOn` (same types). */
  leftOn?: string | readonly string[];
  /** Key column(s) of the right side; they are not repeated in the output. */
  rightOn?: string | readonly string[];
  /** The join kind (default "inner"); "cross" pairs every row with every row and takes no keys. */
  how?: JoinHow;
  /** Appended to right-side column names that clash with left ones (default "_right"). */
  suffix?: string;
}

const HOWS: readonly JoinHow[] = ["inner", "left", "right", "outer", "semi", "anti", "cross"];
const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

/**
 * `df.join(other, opts)`: a hash join on equal keys (null never equals null). Output: every
 * left column (key columns once, under the left names; for right joins the key values come
 * from the right rows, for outer joins they are coalesced), then the right non-key columns,
 * with `suffix` added where a name clashes. Semi and anti joins output the left columns only.
 * A cross join takes no keys and outputs every left column, then every right column.
 */
export function joinPlan(left: PlanNode, right: PlanNode, opts: JoinOptions): JoinNode {
  const how = opts.how ?? "inner";
  if (!HOWS.includes(how))
    throw new PlanError(`join: how must be one of ${HOWS.join(", ")}; got "${how}".`);
  const suffix = opts.suffix ?? "_right";
  let leftOn = asList(opts.leftOn);
  let rightOn = asList(opts.rightOn);
  if (opts.on !== undefined) {
    if (leftOn.length || rightOn.length)
      throw new PlanError("join: give either `on` or `leftOn`/`rightOn`, not both.");
    leftOn = asList(opts.on);
    rightOn = leftOn;
  }
  if (how === "cross") {
    if (leftOn.length || rightOn.length)
      throw new PlanError(
        'join: a cross join pairs every row with every row and takes no keys; drop `on`/`leftOn`/`rightOn`, or use how: "inner".',
      );
  } else if (leftOn.length === 0)
    throw new PlanError("join: say which columns to join on, with `on` or `leftOn` and `rightOn`.");
  if (leftOn.length !== rightOn.length) {
    throw new PlanError(
      `join: leftOn has ${leftOn.length} columns but rightOn has ${rightOn.length}; give one right column per left column.`,
    );
  }
  const lfields = leftOn.map((n) => fieldOf(left.schema, n, " in the left input of join"));
  const rfields = rightOn.map((n) => fieldOf(right.schema, n, " in the right input of join"));
  lfields.forEach((lf, i) => {
    const rf = rfields[i]!;
    requireKeyType(lf.type, { kind: "col", name: lf.name }, "join");
    requireKeyType(rf.type, { kind: "col", name: rf.name }, "join");
    if (typeName(lf.type) !== typeName(rf.type)) {
      throw new PlanError(
        `join: key "${lf.name}" is ${typeName(lf.type)} on the left but "${rf.name}" is ${typeName(rf.type)} on the right; cast one side so both have the same type.`,
      );
    }
  });
  const fields: Field[] = left.schema.fields.map((f) =>
    how === "right" || how === "outer" ? new Field(f.name, f.type, true) : f,
  );
  if (how !== "semi" && how !== "anti") {
    const taken = new Set(fields.map((f) => f.name));
    for (const f of right.schema.fields) {
      if (rightOn.includes(f.name)) continue;
      let name = f.name;
      if (taken.has(name)) name = `${name}${suffix}`;
      if (taken.has(name)) {
        throw new PlanError(
          `join: the right column "${f.name}" clashes with "${name}" even with suffix "${suffix}"; rename one of them first.`,
        );
      }
      taken.add(name);
      fields.push(new Field(name, f.type, how === "cross" ? f.nullable : true));
    }
  }
  return { kind: "join", schema: new Schema(fields), left, right, leftOn, rightOn, how, suffix };
}

/** `df.explode(column)`: one row per list element; an empty or null list gives one null row. */
export function explodePlan(input: PlanNode, column: string): ExplodeNode {
  const f = fieldOf(input.schema, column, " in explode");
  if (f.type.typeId !== Type.List) {
    throw new PlanError(
      `explode: column "${column}" is ${typeName(f.type)}, not a list; only list columns can be exploded.`,
    );
  }
  const item = (f.type as List).children[0]!.type;
  const schema = new Schema(
    input.schema.fields.map((g) => (g.name === column ? new Field(column, item, true) : g)),
  );
  return { kind: "explode", schema, input, column };
}

/** `df.distinct(...columns)`: first row of each distinct combination (all columns if none). */
export function distinctPlan(input: PlanNode, columns: readonly string[] = []): DistinctNode {
  const names = columns.length ? [...columns] : input.schema.fields.map((f) => f.name);
  for (const n of names) {
    const f = fieldOf(input.schema, n, " in distinct");
    requireKeyType(f.type, { kind: "col", name: n }, "distinct");
  }
  return { kind: "distinct", schema: input.schema, input, columns: names };
}

/** `df.concat(other, ...)`: rows of each input in turn; names and types must match. */
export function concatPlan(inputs: readonly PlanNode[]): ConcatNode {
  if (inputs.length === 0) throw new PlanError("concat: give at least one DataFrame.");
  const first = inputs[0]!.schema;
  const nullable = first.fields.map((f) => f.nullable);
  inputs.forEach((inp, i) => {
    if (i === 0) return;
    const s = inp.schema;
    const names = s.fields.map((f) => f.name);
    for (const f of first.fields) {
      const g = s.fields.find((x) => x.name === f.name);
      if (!g) {
        throw new PlanError(
          `concat: input ${i + 1} has no column "${f.name}" (its columns are ${names.map((n) => `"${n}"`).join(", ")}); every input needs the same columns.`,
        );
      }
      if (shapeName(g.type) !== shapeName(f.type)) {
        throw new PlanError(
          `concat: column "${f.name}" is ${typeName(f.type)} in input 1 but ${typeName(g.type)} in input ${i + 1}; cast one of them.`,
        );
      }
    }
    for (const g of s.fields) {
      if (!first.fields.some((f) => f.name === g.name)) {
        throw new PlanError(
          `concat: input ${i + 1} has an extra column "${g.name}" that input 1 lacks; select the same columns in every input.`,
        );
      }
    }
    first.fields.forEach((f, k) => {
      if (s.fields.find((x) => x.name === f.name)!.nullable) nullable[k] = true;
    });
  });
  const schema = new Schema(first.fields.map((f, k) => new Field(f.name, f.type, nullable[k]!)));
  return { kind: "concat", schema, inputs: [...inputs] };
}
