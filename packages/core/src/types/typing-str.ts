// Result types of `.str` functions, and the checks of their literal arguments (patterns,
// counts) so a bad one is a PlanError when the plan is built, also for a plan read from JSON.
import { Binary, Bool, type DataType, Field, Int32, List, Type, Utf8 } from "apache-arrow";
import type { ExprNode, LitValue } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { parseLike } from "../expr/like-pattern.js";
import { checkRegex, groupCount } from "../expr/regex.js";
import { isBool, isNumeric, isString, isTemporal, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";

type StrNode = Extract<ExprNode, { kind: "str" }>;

const utf8List = () => new List(new Field("item", new Utf8(), true));

/** The type of `node` given its argument's type `t` (already resolved). */
export function strResultType(node: StrNode, t: DataType): DataType {
  if (!isString(t) && t.typeId !== Type.Null) {
    throw new PlanError(
      `.str.${node.fn}() needs a string, but ${formatExpr(node.arg)} is ${typeName(t)}. Cast it with .cast("utf8") first.`,
    );
  }
  checkArgs(node);
  switch (node.fn) {
    case "length":
    case "countMatches":
    case "find":
      return new Int32();
    case "toBytes":
      return new Binary();
    case "contains":
    case "startsWith":
    case "endsWith":
    case "like":
    case "ilike":
    case "matches":
      return new Bool();
    case "split":
    case "extractAll":
      return utf8List();
    default:
      return new Utf8();
  }
}

function text(node: StrNode, i: number, what: string): string {
  const v = node.args[i];
  if (typeof v !== "string") {
    throw new PlanError(`.str.${node.fn}() takes ${what} as a string, got ${describe(v)}.`);
  }
  return v;
}

const describe = (v: LitValue | undefined) =>
  v === undefined ? "nothing" : typeof v === "string" ? JSON.stringify(v) : String(v);

/** The optional regex flags at `i`: a string when the pattern is a regular expression. */
function flagsAt(node: StrNode, i: number): string | null {
  const v = node.args[i];
  if (v === undefined || v === null) return null;
  return text(node, i, "regex flags");
}

function checkArgs(node: StrNode): void {
  const { fn, args } = node;
  switch (fn) {
    case "like":
    case "ilike": {
      const esc = args[1] === undefined || args[1] === null ? undefined : text(node, 1, "the esc");
      parseLike(text(node, 0, "the pattern"), esc);
      return;
    }
    case "matches":
    case "extractAll":
    case "countMatches":
      checkRegex(fn, text(node, 0, "the pattern"), text(node, 1, "regex flags"));
      return;
    case "extract": {
      const source = text(node, 0, "the pattern");
      const flags = text(node, 1, "regex flags");
      checkRegex(fn, source, flags);
      const group = args[2] ?? 1;
      const groups = groupCount(source, flags);
      if (typeof group !== "number" || !Number.isInteger(group) || group < 0 || group > groups) {
        throw new PlanError(
          `.str.extract(${JSON.stringify(source)}, ${describe(group)}): the group must be an integer from 0 (the whole match) to ${groups} (the pattern's capture groups).`,
        );
      }
      return;
    }
    case "replace": {
      const source = text(node, 0, "the pattern");
      text(node, 1, "the replacement");
      const flags = flagsAt(node, 3);
      if (flags !== null) checkRegex(fn, source, flags);
      return;
    }
    case "split": {
      const source = text(node, 0, "the separator");
      const flags = flagsAt(node, 1);
      if (flags !== null) checkRegex(fn, source, flags);
      return;
    }
    case "padStart":
    case "padEnd": {
      count(node, 0, "the width");
      const fill = args[1] ?? " ";
      if (typeof fill !== "string" || fill === "") {
        throw new PlanError(
          `.str.${fn}() takes the fill as a non-empty string, got ${describe(fill)}.`,
        );
      }
      return;
    }
    case "repeat":
      count(node, 0, "the count");
      return;
    case "find":
      text(node, 0, "the substring");
      return;
    default:
      return;
  }
}

function count(node: StrNode, i: number, what: string): void {
  const v = node.args[i];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new PlanError(
      `.str.${node.fn}() takes ${what} as a whole number >= 0, got ${describe(v)}.`,
    );
  }
}

/**
 * concatStr / str.concat: utf8. Strings and untyped nulls join as they are; numbers, bools,
 * dates and timestamps are converted as `.cast("utf8")` does; nested values must be cast.
 */
export function concatStrType(
  node: Extract<ExprNode, { kind: "concatStr" }>,
  argTypes: DataType[],
): DataType {
  if (node.args.length === 0) {
    throw new PlanError("concatStr() needs at least one expression to join.");
  }
  argTypes.forEach((t, i) => {
    const ok = isString(t) || t.typeId === Type.Null || isNumeric(t) || isBool(t) || isTemporal(t);
    if (!ok) {
      throw new PlanError(
        `concatStr() joins strings, but ${formatExpr(node.args[i]!)} is ${typeName(t)}. Cast it with .cast("utf8") first.`,
      );
    }
  });
  return new Utf8();
}
