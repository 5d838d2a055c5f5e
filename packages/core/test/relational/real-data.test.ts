// End-to-end checks through the public DataFrame API on data no one here wrote
// (vega-datasets 3.2.1), against answers computed once with DuckDB 1.5
// (benchmarks/node_modules/@duckdb/node-api) and hard-coded below.
import { readFileSync } from "node:fs";
import { col, count, DataFrame } from "@deft/core";
import { readCsv } from "@deft/core/internal";
import { tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";

const DATA = new URL("../../../../node_modules/vega-datasets/data/", import.meta.url);
const path = (name: string) => new URL(name, DATA).pathname;
const json = (name: string) =>
  JSON.parse(readFileSync(new URL(name, DATA), "utf8")) as Record<string, unknown>[];

const penguins = () => DataFrame.fromRecords(json("penguins.json"));
const cars = () => DataFrame.fromRecords(json("cars.json"));
const weather = () => readCsv(path("seattle-weather.csv"));
const airports = () => readCsv(path("airports.csv"));
const routes = () => readCsv(path("flights-airport.csv"));
// 200,000 rows in one IPC batch; intoBatches makes the operators fold many batches.
const flights = () =>
  DataFrame.fromArrow(tableFromIPC(readFileSync(new URL("flights-200k.arrow", DATA)))).intoBatches(
    7_000,
  );
// Some titles are JSON numbers (e.g. 1776): DuckDB's json_extract_string makes them text too.
const movies = () =>
  DataFrame.fromRecords(
    json("movies.json").map((m) => ({
      title: m.Title == null ? null : String(m.Title),
      genre: (m["Major Genre"] ?? null) as string | null,
      gross: (m["Worldwide Gross"] ?? null) as number | null,
    })),
  );

const close = (xs: number[], digits = 9) => xs.map((x) => expect.closeTo(x, digits));

describe("penguins.json", () => {
  it("groupBy species: count, count non-null, sum, mean, min, max, countDistinct, string min", async () => {
    const out = await penguins()
      .groupBy("Species")
      .agg(
        count().alias("n"),
        col("Body Mass (g)").count().alias("nm"),
        col("Body Mass (g)").sum().alias("s"),
        col("Body Mass (g)").mean().alias("m"),
        col("Beak Length (mm)").min().alias("bmin"),
        col("Beak Length (mm)").max().alias("bmax"),
        col("Island").countDistinct().alias("ni"),
        col("Sex").min().alias("sxmin"),
      )
      .sort("Species")
      .toColumns({ int64: "number" });
    expect(out.Species).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    expect(out.n).toEqual([152, 68, 124]);
    expect(out.nm).toEqual([151, 68, 123]);
    expect(out.s).toEqual([558800, 253850, 624350]);
    expect(out.m).toEqual(close([3700.662251655629, 3733.0882352941176, 5076.016260162602]));
    expect(out.bmin).toEqual([32.1, 40.9, 40.9]);
    expect(out.bmax).toEqual([46, 58, 59.6]);
    expect(out.ni).toEqual([3, 1, 1]);
    expect(out.sxmin).toEqual(["FEMALE", "FEMALE", "."]);
  });

  it("sort by body mass descending (nulls last) then species, top 5", async () => {
    const df = penguins()
      .sort(["Body Mass (g)", "Species"], { descending: [true, false] })
      .limit(5);
    expect(df.explain({ optimized: true })).toContain("(top 5)");
    const rows = await df.select("Species", "Island", "Body Mass (g)").toRecords();
    expect(rows.map((r) => Object.values(r))).toEqual([
      ["Gentoo", "Biscoe", 6300],
      ["Gentoo", "Biscoe", 6050],
      ["Gentoo", "Biscoe", 6000],
      ["Gentoo", "Biscoe", 6000],
      ["Gentoo", "Biscoe", 5950],
    ]);
  });

  it("distinct (Island, Sex) has 10 combinations", async () => {
    expect(await penguins().distinct("Island", "Sex").count()).toBe(10);
  });
});

describe("cars.json", () => {
  it("groupBy Origin: rows, non-null mpg, mean mpg (with nulls), max hp, min name, distinct cylinders", async () => {
    const out = await cars()
      .groupBy("Origin")
      .agg(
        count().alias("n"),
        col("Miles_per_Gallon").count().alias("nm"),
        col("Miles_per_Gallon").mean().alias("m"),
        col("Horsepower").max().alias("hp"),
        col("Name").min().alias("first_name"),
        col("Cylinders").countDistinct().alias("nc"),
      )
      .toColumns({ int64: "number" });
    // Groups come out in first-appearance order: USA, then Europe (row 10), then Japan (row 20).
    expect(out.Origin).toEqual(["USA", "Europe", "Japan"]);
    expect(out.n).toEqual([254, 73, 79]);
    expect(out.nm).toEqual([249, 70, 79]);
    expect(out.m).toEqual(close([20.083534136546177, 27.891428571428573, 30.450632911392397]));
    expect(out.hp).toEqual([230, 133, 132]);
    expect(out.first_name).toEqual(["amc ambassador brougham", "audi 100 ls", "datsun 1200"]);
    expect(out.nc).toEqual([3, 3, 3]);
  });

  it("sort by Horsepower descending then Name, first 5", async () => {
    const rows = await cars()
      .sort(["Horsepower", "Name"], { descending: [true, false] })
      .limit(5)
      .select("Name", "Horsepower")
      .toRecords();
    expect(rows.map((r) => [r.Name, r.Horsepower])).toEqual([
      ["pontiac grand prix", 230],
      ["buick electra 225 custom", 225],
      ["buick estate wagon (sw)", 225],
      ["pontiac catalina", 225],
      ["chevrolet impala", 220],
    ]);
  });

  it("distinct (Cylinders, Origin): 9 combinations", async () => {
    const rows = await cars()
      .distinct("Cylinders", "Origin")
      .select("Cylinders", "Origin")
      .toRecords();
    expect(rows.map((r) => [r.Cylinders, r.Origin]).sort(byFirstTwo)).toEqual([
      [3, "Japan"],
      [4, "Europe"],
      [4, "Japan"],
      [4, "USA"],
      [5, "Europe"],
      [6, "Europe"],
      [6, "Japan"],
      [6, "USA"],
      [8, "USA"],
    ]);
  });
});

function byFirstTwo(a: unknown[], b: unknown[]): number {
  return Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1]));
}

describe("seattle-weather.csv (read with readCsv)", () => {
  it("groupBy weather: count, sum, max, min, mean, min/max of a date column", async () => {
    const out = await weather()
      .groupBy("weather")
      .agg(
        count().alias("n"),
        col("precipitation").sum().alias("p"),
        col("temp_max").max().alias("tmax"),
        col("temp_min").min().alias("tmin"),
        col("wind").mean().alias("w"),
        col("date").min().alias("d0"),
        col("date").max().alias("d1"),
      )
      .sort("weather")
      .toColumns({ int64: "number" });
    expect(out.weather).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(out.n).toEqual([53, 101, 641, 26, 640]);
    expect(out.p).toEqual(close([0, 0, 4203.600000000008, 222.39999999999998, 0], 6));
    expect(out.tmax).toEqual([31.7, 30.6, 35.6, 11.1, 35]);
    expect(out.tmin).toEqual([-3.9, -3.2, -3.8, -4.3, -7.1]);
    expect(out.w).toEqual(
      close([
        2.3679245283018866, 2.4811881188118816, 3.6698907956318254, 4.411538461538461,
        2.956406250000002,
      ]),
    );
    const day = (d: unknown) => new Date(d as number).toISOString().slice(0, 10);
    expect((out.d0 as unknown[]).map(day)).toEqual([
      "2012-01-01",
      "2012-07-11",
      "2012-01-02",
      "2012-01-14",
      "2012-01-08",
    ]);
    expect((out.d1 as unknown[]).map(day)).toEqual([
      "2015-10-06",
      "2015-12-29",
      "2015-12-28",
      "2014-11-29",
      "2015-12-31",
    ]);
  });

  it("top 3 days by precipitation (ties by date), via sort + limit", async () => {
    const rows = await weather()
      .sort(["precipitation", "date"], { descending: [true, false] })
      .limit(3)
      .select("date", "precipitation")
      .toRecords();
    expect(
      rows.map((r) => [new Date(r.date as number).toISOString().slice(0, 10), r.precipitation]),
    ).toEqual([
      ["2015-03-15", 55.9],
      ["2012-11-19", 54.1],
      ["2015-12-08", 54.1],
    ]);
  });

  it("concat of the rainy and dry halves has every row once; distinct weather has 5 values", async () => {
    const w = weather();
    const both = w.filter(col("weather").eq("rain")).concat(w.filter(col("weather").neq("rain")));
    expect(await both.count()).toBe(1461);
    expect(await both.distinct().count()).toBe(1461);
    expect(await both.distinct("weather").count()).toBe(5);
    const counts = await both
      .groupBy("weather")
      .agg(count())
      .sort("weather")
      .toColumns({ int64: "number" });
    expect(counts.count).toEqual([53, 101, 641, 26, 640]);
  });
});

describe("flights-200k.arrow (read with tableFromIPC, split into batches of 7,000)", () => {
  it("global aggregation: rows, distinct distances, sums, min and max delay", async () => {
    const r = await flights()
      .select(
        count().alias("n"),
        col("distance").countDistinct().alias("d"),
        col("delay").sum().alias("s"),
        col("distance").sum().alias("sd"),
        col("delay").min().alias("mn"),
        col("delay").max().alias("mx"),
      )
      .toRecords({ int64: "number" });
    expect(r).toEqual([{ n: 200000, d: 1079, s: 1500159, sd: 145847125, mn: -86, mx: 1444 }]);
  });

  it("groupBy distance, then the 5 busiest by count (ties by distance)", async () => {
    const out = await flights()
      .groupBy("distance")
      .agg(count().alias("n"), col("delay").mean().alias("m"), col("delay").max().alias("mx"))
      .sort(["n", "distance"], { descending: [true, false] })
      .limit(5)
      .toColumns({ int64: "number" });
    expect(out.distance).toEqual([337, 109, 370, 328, 236]);
    expect(out.n).toEqual([1658, 1312, 1277, 1199, 1119]);
    expect(out.mx).toEqual([279, 285, 253, 198, 817]);
    expect(out.m).toEqual(
      close([
        11.579010856453559, 10.512195121951219, 11.627251370399373, 7.809007506255213,
        12.601429848078642,
      ]),
    );
  });

  it("sort by delay descending then distance (int16 keys), first 4; distinct (delay, distance)", async () => {
    const rows = await flights()
      .sort(["delay", "distance"], { descending: [true, false] })
      .limit(4)
      .select("delay", "distance")
      .toRecords();
    expect(rows.map((r) => [r.delay, r.distance])).toEqual([
      [1444, 1671],
      [1403, 1671],
      [1327, 1532],
      [1260, 950],
    ]);
    const full = await flights().sort("delay", { descending: true }).limit(4).toColumns();
    expect(full.delay).toEqual([1444, 1403, 1327, 1260]);
    expect(await flights().distinct("delay", "distance").count()).toBe(61030);
  });
});

describe("flights-airport.csv joined with airports.csv (both read with readCsv)", () => {
  it("inner join on origin = iata, then passengers by state", async () => {
    const out = await routes()
      .join(airports(), { leftOn: "origin", rightOn: "iata" })
      .groupBy("state")
      .agg(col("count").sum().alias("s"), count().alias("n"))
      .sort("s", { descending: true })
      .limit(3)
      .toColumns({ int64: "number" });
    expect(out).toEqual({
      state: ["CA", "TX", "FL"],
      s: [824597, 747650, 466998],
      n: [510, 460, 410],
    });
  });

  it("all six join kinds against Californian airports: row counts and matched sums", async () => {
    const ca = airports().filter(col("state").eq("CA"));
    const n = async (how: "inner" | "left" | "right" | "outer" | "semi" | "anti") =>
      routes().join(ca, { leftOn: "origin", rightOn: "iata", how }).count();
    expect(await n("inner")).toBe(510);
    expect(await n("left")).toBe(5366);
    expect(await n("right")).toBe(689);
    expect(await n("outer")).toBe(5545);
    expect(await n("semi")).toBe(510);
    expect(await n("anti")).toBe(4856);
    const semi = await routes()
      .join(ca, { leftOn: "origin", rightOn: "iata", how: "semi" })
      .select(col("count").sum().alias("s"))
      .toRecords({ int64: "number" });
    expect(semi).toEqual([{ s: 824597 }]);
    // Right join: Californian airports without flights keep their row, with null route columns.
    const unmatched = await routes()
      .join(ca, { leftOn: "origin", rightOn: "iata", how: "right" })
      .filter(col("destination").isNull())
      .count();
    expect(unmatched).toBe(179);
    const top = await routes()
      .join(ca, { leftOn: "origin", rightOn: "iata" })
      .groupBy("origin", "city")
      .agg(count().alias("n"), col("count").sum().alias("s"))
      .sort("s", { descending: true })
      .limit(3)
      .toRecords({ int64: "number" });
    expect(top).toEqual([
      { origin: "LAX", city: "Los Angeles", n: 90, s: 215608 },
      { origin: "SFO", city: "San Francisco", n: 74, s: 140587 },
      { origin: "SAN", city: "San Diego", n: 54, s: 93775 },
    ]);
  });

  it("lookup_groups.csv x lookup_people.csv: every person in a group, with age", async () => {
    const rows = await readCsv(path("lookup_groups.csv"))
      .join(readCsv(path("lookup_people.csv")), { leftOn: "person", rightOn: "name", how: "left" })
      .groupBy("group")
      .agg(col("age").sum().alias("ages"), col("person").list().alias("people"))
      .toRecords({ int64: "number" });
    expect(rows).toEqual([
      { group: 1, ages: 25 + 32 + 39, people: ["Alan", "George", "Fred"] },
      { group: 2, ages: 42 + 23 + 21, people: ["Steve", "Nick", "Will"] },
      { group: 3, ages: 51 + 63 + 54, people: ["Cole", "Rick", "Tom"] },
    ]);
  });
});

describe("movies.json", () => {
  it("explode the words of each title, then the 5 most common words", async () => {
    const words = movies().withColumn("word", col("title").str.split(" ")).explode("word");
    // DuckDB's unnest drops the one null title; explode keeps it as one null row.
    expect(await words.count()).toBe(8829 + 1);
    const top = await words
      .filter(col("word").isNotNull())
      .groupBy("word")
      .agg(count().alias("n"))
      .sort(["n", "word"], { descending: [true, false] })
      .limit(5)
      .toRecords({ int64: "number" });
    expect(top.map((r) => [r.word, r.n])).toEqual([
      ["The", 699],
      ["of", 301],
      ["the", 297],
      ["and", 107],
      ["A", 62],
    ]);
  });

  it("groupBy genre (a null group included): count, max gross, distinct titles", async () => {
    const rows = await movies()
      .groupBy("genre")
      .agg(
        count().alias("n"),
        col("gross").max().alias("mx"),
        col("title").countDistinct().alias("nt"),
      )
      .sort("n", { descending: true })
      .limit(4)
      .toRecords({ int64: "number" });
    expect(rows.map((r) => [r.genre, r.n, r.mx, r.nt])).toEqual([
      ["Drama", 789, 792910554, 786],
      ["Comedy", 675, 620495432, 674],
      ["Action", 420, 2767891499, 420],
      [null, 275, 268500000, 275],
    ]);
  });
});
