import { readParquet } from "@deft/core";
const FILE = "/work/wt-shuffle/node_modules/vega-datasets/data/flights-3m.parquet";
const threads = Number(process.argv[2] ?? 1);
const scan = () => readParquet(FILE, { columns: ["origin", "delay", "distance"] });
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const t = await scan().sort("delay", { descending: true }).toArrow({ threads });
  console.log(threads, t.numRows, Math.round(performance.now() - t0));
}
