// Result types of the date and time functions and of arithmetic on dates, timestamps and
// durations (see docs/expressions.md, "Dates and times").
import {
  type DataType,
  DateDay,
  Duration,
  Int32,
  Int64,
  Timestamp,
  TimestampMillisecond,
  TimeUnit,
  Type,
  Utf8,
} from "apache-arrow";
import type { ExprNode } from "../expr/ast.js";
import { formatExpr } from "../expr/expr.js";
import { TRUNC_UNITS } from "../kernels/dt-civil.js";
import { compileFormat, FORMAT_CODES } from "../kernels/dt-format.js";
import { checkParseFormat } from "../kernels/dt-parse.js";
import { isDate32 } from "../kernels/dt-parts.js";
import { isKnownZone } from "../kernels/dt-zone.js";
import { isInt, isString, typeName } from "./dtype.js";
import { PlanError } from "./plan-error.js";
import { isWeakNumber } from "./typing-supertype.js";

type DtNode = Extract<ExprNode, { kind: "dt" }>;

const isDateT = (t: DataType) => t.typeId === Type.Date;
const isTs = (t: DataType) => t.typeId === Type.Timestamp;
const isDur = (t: DataType) => t.typeId === Type.Duration;
const isNull = (t: DataType) => t.typeId === Type.Null;

const TIME_OF_DAY = new Set(["hour", "minute", "second", "millisecond"]);
const TOTALS = new Set([
  "totalDays",
  "totalHours",
  "totalMinutes",
  "totalSeconds",
  "totalMilliseconds",
]);
const EPOCH_UNITS = ["s", "ms", "us", "ns"];

/** The type of a `.dt` (or str.toDate / str.toTimestamp) node whose argument has type `arg`. */
export function dtType(node: DtNode, arg: DataType): DataType {
  const what = formatExpr(node.arg);
  const call = formatExpr(node);
  if (node.fn === "toDate" || node.fn === "toTimestamp") {
    if (!isString(arg) && !isNull(arg)) {
      throw new PlanError(
        `${call} needs a string, but ${what} is ${typeName(arg)}. Cast it with .cast("utf8") first.`,
      );
    }
    const format = node.args[0];
    if (typeof format === "string") formatCheck(() => checkParseFormat(format), call);
    return node.fn === "toDate" ? new DateDay() : new Timestamp(TimeUnit.MICROSECOND);
  }
  if (TOTALS.has(node.fn)) {
    if (!isDur(arg) && !isNull(arg)) {
      throw new PlanError(
        `${call} needs a duration (a date or timestamp minus another), but ${what} is ${typeName(arg)}.`,
      );
    }
    return new Int64();
  }
  if (!isDateT(arg) && !isTs(arg) && !isNull(arg)) {
    throw new PlanError(
      `${call} needs a date or timestamp, but ${what} is ${typeName(arg)}. Parse text first with .str.toDate() or .str.toTimestamp().`,
    );
  }
  if (isTs(arg)) {
    const zone = (arg as Timestamp).timezone;
    if (zone && !isKnownZone(zone)) {
      throw new PlanError(
        `${call}: the time zone ${JSON.stringify(zone)} of ${what} is unknown here; use an IANA name ("Europe/Berlin"), "UTC" or an offset ("+05:30").`,
      );
    }
  }
  if (TIME_OF_DAY.has(node.fn) && isDateT(arg) && isDate32(arg)) {
    throw new PlanError(
      `${call}: ${what} is a date, which has no time of day. Cast it with .cast("timestamp[ms]") first.`,
    );
  }
  switch (node.fn) {
    case "date":
      return new DateDay();
    case "truncate": {
      const unit = String(node.args[0]);
      if (!(TRUNC_UNITS as readonly string[]).includes(unit)) {
        throw new PlanError(
          `${call}: unknown unit ${JSON.stringify(unit)}; use one of ${TRUNC_UNITS.join(", ")}.`,
        );
      }
      return arg;
    }
    case "strftime":
      formatCheck(() => compileFormat(String(node.args[0]), FORMAT_CODES), call);
      return new Utf8();
    case "epoch":
      if (!EPOCH_UNITS.includes(String(node.args[0]))) {
        throw new PlanError(
          `${call}: unknown unit ${JSON.stringify(node.args[0])}; use one of ${EPOCH_UNITS.join(", ")}.`,
        );
      }
      return new Int64();
    case "shift": {
      // A date plus whole days and months stays a date; with hours … ms it becomes a timestamp.
      const subDay = Number(node.args[2]) !== 0;
      if (isDateT(arg) && subDay) return new TimestampMillisecond();
      return arg;
    }
    default:
      return new Int32();
  }
}

function formatCheck(check: () => unknown, call: string): void {
  try {
    check();
  } catch (err) {
    throw new PlanError(`${call}: ${(err as Error).message}`);
  }
}

/** Stored units per second of a temporal type (dates count as ms). */
const rank = (t: DataType): number =>
  isTs(t) || isDur(t) ? (t as Timestamp).unit : TimeUnit.MILLISECOND;

/**
 * The type of `left op right` when either side is a date, timestamp or duration, or null
 * when neither is (ordinary arithmetic). A PlanError for combinations that mean nothing.
 */
export function temporalArithType(
  node: Extract<ExprNode, { kind: "binary" }>,
  lt: DataType,
  rt: DataType,
): DataType | null {
  const time = (t: DataType) => isDateT(t) || isTs(t) || isDur(t);
  if (!time(lt) && !time(rt)) return null;
  const op = node.op;
  const fail = (hint: string): never => {
    throw new PlanError(
      `${op}() of ${formatExpr(node.left)} (${typeName(lt)}) and ${formatExpr(node.right)} (${typeName(rt)}) is not defined. ${hint}`,
    );
  };
  if (op !== "add" && op !== "sub") {
    return fail(
      'Dates and times add and subtract; for numbers use .dt.epoch("ms") or .dt.totalSeconds() first.',
    );
  }
  if (isNull(lt)) return rt;
  if (isNull(rt)) return lt;
  const interval = 'Add an interval: col("d").add(interval({ days: 30 })).';
  // A date plus or minus whole days (an integer column or literal), as in SQL.
  const days = (n: ExprNode, t: DataType) =>
    isInt(t) || (isWeakNumber(n) && Number.isInteger(Number((n as { value: unknown }).value)));
  if (isDateT(lt) && days(node.right, rt)) return lt;
  if (days(node.left, lt) && isDateT(rt) && op === "add") return rt;
  if ((isDateT(lt) || isTs(lt)) && (isDateT(rt) || isTs(rt))) {
    if (op === "add") return fail("Subtract them for a duration, or add an interval to one.");
    return new Duration(Math.max(rank(lt), rank(rt)));
  }
  if (isTs(lt) && isDur(rt)) return lt;
  if (isDur(lt) && isTs(rt) && op === "add") return rt;
  if (isDur(lt) && isDur(rt)) return new Duration(Math.max(rank(lt), rank(rt)));
  if (isDateT(lt) || isDateT(rt))
    return fail(`A date adds whole days (an integer) or an interval. ${interval}`);
  return fail(interval);
}
