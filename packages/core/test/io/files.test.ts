import { readCsv, readParquet } from "@deft/core";
import { describe, expect, it } from "vitest";

// What a reader is given before any file is opened: a path, a glob or a list of them.

describe("reader paths", () => {
  it("a missing path (undefined) is a TypeError that says what to give", () => {
    const read = readParquet as (p: unknown) => unknown;
    expect(() => read(undefined)).toThrow(
      "readParquet: give a path, a glob or an array of them, got undefined.",
    );
    expect(() => read(null)).toThrow("got null");
    expect(() => (readCsv as (p: unknown) => unknown)(42)).toThrow("readCsv: give a path");
  });
  it("an empty list and a list holding a non-string are named", () => {
    expect(() => readParquet([])).toThrow("readParquet: give at least one path.");
    expect(() => (readParquet as (p: unknown) => unknown)([3, "a.parquet"])).toThrow(
      "paths must be strings, got number",
    );
  });
});
