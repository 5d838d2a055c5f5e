// Stateful embedding: a "model" whose construction is expensive (src/embedder.ts builds a
// ~50 MB table) embeds documents of real words (movie titles). A stateful UDF (udf.cls) or
// stateful pipeline node (node.cls) should build it once per worker thread, not per row or
// batch. Every construction is counted through a SharedArrayBuffer, and the table reports
// setups per run (warm-up included) next to the times. Two groups: each run as a fresh script
// would do it (the model built inside the timed run), and the model kept across runs.
import { col, DataFrame, fromModule, udf } from "@deft/core";
import { DataFrameEngine, type Engine, node, Pipeline, SequentialEngine } from "@deft/pipeline";
import type { Table } from "apache-arrow";
import { titleWords } from "../chunker.js";
import { prng } from "../data.js";
import { DEFAULT_EMBEDDER, HashEmbedder } from "../embedder.js";
import { type Case, type Derived, speedup, type Workload } from "../runner.js";

const DOCS = Number(process.env.BENCH_EMBED_DOCS ?? 4000);
const WORDS = Number(process.env.BENCH_EMBED_WORDS ?? 200);
const DIM = DEFAULT_EMBEDDER.dim;
const TABLE_MB = Math.round((DEFAULT_EMBEDDER.dim * DEFAULT_EMBEDDER.rows * 4) / 1e6);
const embedderRef = fromModule(new URL("../embedder.ts", import.meta.url), "HashEmbedder");

const GFRESH = `${DOCS} docs, model built in each run`;
const GKEPT = `${DOCS} docs, model kept across runs`;

let docs: string[] = [];
let expected: Float32Array[] = [];

function sameEmbedding(i: number, got: ArrayLike<number>): void {
  const want = expected[i]!;
  if (got.length !== DIM) throw new Error(`doc ${i}: ${got.length} floats, expected ${DIM}`);
  for (let k = 0; k < DIM; k++) {
    if (Math.abs(got[k]! - want[k]!) > 1e-6)
      throw new Error(`doc ${i}[${k}]: ${got[k]} != ${want[k]}`);
  }
}

function checkTable(r: unknown): void {
  const e = (r as Table).getChild("embedding");
  if (!e || e.length !== DOCS) throw new Error(`expected ${DOCS} rows of embeddings`);
  for (let i = 0; i < DOCS; i++)
    sameEmbedding(i, (e.get(i) as { toArray(): Float32Array }).toArray());
}

function checkRecords(r: unknown): void {
  const rows = r as { embedding: ArrayLike<number> }[];
  if (rows.length !== DOCS) throw new Error(`${rows.length} results, expected ${DOCS}`);
  rows.forEach((row, i) => {
    sameEmbedding(i, row.embedding);
  });
}

function checkArrays(r: unknown): void {
  (r as Float32Array[]).forEach((e, i) => {
    sameEmbedding(i, e);
  });
}

/** A case with its own setup counter; `metrics` reports setups and timed+warm-up runs. */
function counted(
  label: string,
  group: string,
  make: (setups: SharedArrayBuffer) => { run: () => unknown; check: (r: unknown) => void },
): Case {
  const setups = new SharedArrayBuffer(4);
  let runs = 0;
  let body: ReturnType<typeof make> | undefined;
  return {
    label,
    group,
    setup: () => {
      body = make(setups);
    },
    run: () => {
      runs++;
      return body!.run();
    },
    check: (r) => body!.check(r),
    metrics: () => ({ setups: new Int32Array(setups)[0]!, runs }),
  };
}

const embedFrame = (f: ReturnType<typeof udf.cls>) =>
  DataFrame.fromColumns({ text: docs })
    .withColumn("embedding", f(col("text")))
    .toArrow();

function pipelineOf(setups: SharedArrayBuffer, engine: Engine, workers?: number): Pipeline {
  const embed = node.cls(
    {
      output: "embedding",
      inputs: ["text"],
      returns: "list<float32>",
      ...(workers ? { workers } : {}),
    },
    embedderRef,
    { args: [setups] },
  );
  return new Pipeline([embed], { engine });
}

const cases: Case[] = [
  counted("sequential loop", GFRESH, (setups) => ({
    run: () => {
      const model = new HashEmbedder(setups);
      return docs.map((d) => model.call(d));
    },
    check: checkArrays,
  })),
  counted("deft udf.cls workers:2", GFRESH, (setups) => ({
    // A new UDF per run, as a fresh script would make: built once on each worker thread.
    run: () =>
      embedFrame(udf.cls(embedderRef, { args: [setups], returns: "list<float32>", workers: 2 })),
    check: checkTable,
  })),
  counted("pipeline sequential engine", GFRESH, (setups) => {
    const p = pipelineOf(setups, new SequentialEngine());
    return { run: () => p.map({ text: docs }, { mapOver: "text" }), check: checkRecords };
  }),
  counted("deft dataframe engine workers:2", GFRESH, (setups) => {
    const p = pipelineOf(setups, new DataFrameEngine({ workers: 2 }), 2);
    return { run: () => p.map({ text: docs }, { mapOver: "text" }), check: checkRecords };
  }),
  counted("sequential loop, model kept", GKEPT, (setups) => {
    const model = new HashEmbedder(setups);
    return { run: () => docs.map((d) => model.call(d)), check: checkArrays };
  }),
  counted("deft udf.cls workers:2, UDF kept", GKEPT, (setups) => {
    const f = udf.cls(embedderRef, { args: [setups], returns: "list<float32>", workers: 2 });
    return { run: () => embedFrame(f), check: checkTable };
  }),
];

const setups: Derived = {
  name: "setups",
  format: "number",
  value: (row) => row.metrics.setups,
};
const setupsPerRun: Derived = {
  name: "setups/run",
  format: "number",
  value: (row) => (row.metrics.runs ? (row.metrics.setups ?? 0) / row.metrics.runs : undefined),
};

const workload: Workload = {
  name: "embedding",
  description:
    `Stateful embedding: ${DOCS} documents of ${WORDS} real words through a model whose setup ` +
    `builds a ${TABLE_MB} MB table (${DIM}-dim embeddings); setups counted across threads`,
  cases,
  baseline: { [GFRESH]: "sequential loop", [GKEPT]: "sequential loop, model kept" },
  derived: [speedup, setups, setupsPerRun],
  comparisons: [
    {
      name: "udf.cls workers:2 vs sequential loop (model built per run)",
      group: GFRESH,
      numerator: "sequential loop",
      denominator: "deft udf.cls workers:2",
      target: ">= 1.5x",
    },
    {
      name: "udf.cls workers:2 vs sequential loop (model kept)",
      group: GKEPT,
      numerator: "sequential loop, model kept",
      denominator: "deft udf.cls workers:2, UDF kept",
      target: ">= 1.85x",
    },
  ],
  setup: () => {
    const pool = titleWords();
    const next = prng(11);
    docs = Array.from({ length: DOCS }, () =>
      Array.from({ length: WORDS }, () => pool[Math.floor(next() * pool.length)]!).join(" "),
    );
    const model = new HashEmbedder(null);
    expected = docs.map((d) => model.call(d));
  },
  teardown: () => {
    docs = [];
    expected = [];
  },
};

export default workload;
