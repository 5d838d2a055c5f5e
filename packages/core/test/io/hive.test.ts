import path from "node:path";
import { hiveLayout, hiveSegments } from "@deft/core/internal";
import { describe, expect, it } from "vitest";

const f = (...dirs: string[]) => path.join("/data", ...dirs, "part-0.parquet");

describe("hive partition keys from paths", () => {
  it("reads every key=value directory, URL-decoded, outermost first", () => {
    expect(hiveSegments(f("year=2024", "plain", "city=S%C3%A3o%20Paulo"))).toEqual([
      ["year", "2024"],
      ["city", "São Paulo"],
    ]);
    expect(hiveSegments("/data/x.parquet")).toEqual([]);
  });

  it("types keys as DuckDB does: int64, date, timestamp, else utf8; the default partition is null", () => {
    const layout = hiveLayout(
      "Parquet",
      [
        f("i=1", "d=2024-01-31", "t=2024-01-01 10:00:00", "s=1", "n=__HIVE_DEFAULT_PARTITION__"),
        f("i=-20", "d=2024-02-29", "t=2024-01-01 10:00:00.5", "s=x", "n=7"),
      ],
      ["v"],
    )!;
    expect(layout.fields.map((x) => `${x.name}:${x.type}:${x.nullable}`)).toEqual([
      "i:Int64:false",
      "d:Date32<DAY>:false",
      "t:Timestamp<MICROSECOND>:false",
      "s:Utf8:false",
      "n:Int64:true",
    ]);
    expect(layout.values).toEqual([
      [1n, 19753, 1704103200000000n, "1", null],
      [-20n, 19782, 1704103200500000n, "x", 7n],
    ]);
  });

  it("an impossible date, an out-of-range integer or mixed forms read as utf8", () => {
    const layout = hiveLayout(
      "CSV",
      [f("d=2023-02-29", "i=9223372036854775808", "m=2024-01-01"), f("d=2023-02-28", "i=1", "m=5")],
      [],
    )!;
    expect(layout.fields.map((x) => String(x.type))).toEqual(["Utf8", "Utf8", "Utf8"]);
  });

  it("no keys is no layout; differing keys are an error; a key the files hold is theirs", () => {
    expect(hiveLayout("Parquet", [f(), f("plain")], [])).toBeUndefined();
    expect(() => hiveLayout("Parquet", [f("a=1"), f("b=1")], [])).toThrow(
      /hive partition keys \[b\] in its path but .* has \[a\]/,
    );
    expect(hiveLayout("Parquet", [f("a=1")], ["a"])).toBeUndefined();
    const layout = hiveLayout("Parquet", [f("a=1", "b=x")], ["a"])!;
    expect(layout.fields.map((x) => x.name)).toEqual(["b"]);
    expect(layout.values).toEqual([["x"]]);
  });
});
