// CPU-bound text chunking: documents of real words (sampled, seeded, from vega-datasets movie
// titles) are tokenized with a byte-pair-style tokenizer and cut into overlapping 128-token
// chunks (src/chunker.ts). One plain loop on the main thread is the baseline; deft runs the
// same class as a stateful UDF on 1 and 2 worker threads, and as a pipeline node on each
// engine. This machine has 2 cores, so 2x is the limit.
import { col, DataFrame, fromModule, udf } from "@deft/core";
import {
  DataFrameEngine,
  type Engine,
  node,
  Pipeline,
  PoolEngine,
  SequentialEngine,
} from "@deft/pipeline";
import type { Table } from "apache-arrow";
import { Chunker, titleWords } from "../chunker.js";
import { prng } from "../data.js";
import { type Case, speedup, type Workload } from "../runner.js";

const DOCS = Number(process.env.BENCH_CHUNK_DOCS ?? 300);
const WORDS = Number(process.env.BENCH_CHUNK_WORDS ?? 3000);
const SIZE = 128;
const OVERLAP = 32;
const chunkerRef = fromModule(new URL("../chunker.ts", import.meta.url), "Chunker");

let docs: string[] = [];
let expected: string[][] = [];

/** Sentences of title words, capitalized and punctuated, so the tokenizer's normalizing and
 * word splitting have real work to do. */
function corpus(n: number, words: number, seed: number): string[] {
  const pool = titleWords();
  const next = prng(seed);
  return Array.from({ length: n }, () => {
    const parts: string[] = [];
    for (let i = 0; i < words; i++) {
      let w = pool[Math.floor(next() * pool.length)]!;
      if (i === 0 || parts[parts.length - 1]!.endsWith(".")) w = w[0]!.toUpperCase() + w.slice(1);
      parts.push(next() < 0.08 ? `${w}.` : next() < 0.05 ? `${w},` : w);
    }
    return parts.join(" ");
  });
}

function sameChunks(i: number, got: string[]): void {
  const want = expected[i]!;
  if (got.length !== want.length || got.some((c, k) => c !== want[k])) {
    throw new Error(`doc ${i}: ${got.length} chunks differ from the ${want.length} expected`);
  }
}

function checkTable(r: unknown): void {
  const chunks = (r as Table).getChild("chunks");
  if (!chunks || chunks.length !== DOCS) throw new Error(`expected ${DOCS} rows of chunks`);
  for (let i = 0; i < DOCS; i++) sameChunks(i, [...(chunks.get(i) as Iterable<string>)]);
}

function checkRecords(r: unknown): void {
  const rows = r as { chunks: string[] }[];
  if (rows.length !== DOCS) throw new Error(`${rows.length} results, expected ${DOCS}`);
  rows.forEach((row, i) => {
    sameChunks(i, [...row.chunks]);
  });
}

function udfCase(label: string, workers: number): Case {
  const chunk = udf.cls(chunkerRef, { args: [SIZE, OVERLAP], returns: "list<utf8>", workers });
  return {
    label,
    run: () =>
      DataFrame.fromColumns({ text: docs })
        .withColumn("chunks", chunk(col("text")))
        .toArrow(),
    check: checkTable,
  };
}

function pipelineCase(label: string, engine: Engine, workers?: number): Case {
  const chunkNode = node.cls(
    { output: "chunks", inputs: ["text"], returns: "list<utf8>", ...(workers ? { workers } : {}) },
    chunkerRef,
    { args: [SIZE, OVERLAP] },
  );
  const p = new Pipeline([chunkNode], { engine });
  return {
    label,
    run: () => p.map({ text: docs }, { mapOver: "text" }),
    check: checkRecords,
  };
}

const cases: Case[] = [
  {
    label: "sequential loop",
    run: () => {
      const chunker = new Chunker(SIZE, OVERLAP);
      return docs.map((d) => chunker.call(d));
    },
    check: (r) => {
      (r as string[][]).forEach((c, i) => {
        sameChunks(i, c);
      });
    },
  },
  udfCase("deft udf.cls workers:1", 1),
  udfCase("deft udf.cls workers:2", 2),
  pipelineCase("pipeline sequential engine", new SequentialEngine()),
  pipelineCase("pipeline pool engine workers:2", new PoolEngine({ concurrency: 2, workers: 2 }), 2),
  pipelineCase("deft dataframe engine workers:2", new DataFrameEngine({ workers: 2 }), 2),
];

const workload: Workload = {
  name: "chunking",
  description:
    `CPU-bound chunking: ${DOCS} documents of ${WORDS} real words (movie titles) through a ` +
    `BPE-style tokenizer into ${SIZE}-token chunks overlapping by ${OVERLAP}, on 1 and 2 threads`,
  cases,
  baseline: "sequential loop",
  derived: [speedup],
  comparisons: [
    {
      name: "udf.cls workers:2 vs sequential loop",
      numerator: "sequential loop",
      denominator: "deft udf.cls workers:2",
      target: ">= 1.85x",
    },
    {
      name: "dataframe engine workers:2 vs sequential loop",
      numerator: "sequential loop",
      denominator: "deft dataframe engine workers:2",
      target: ">= 1.85x",
    },
  ],
  setup: () => {
    docs = corpus(DOCS, WORDS, 42);
    const chunker = new Chunker(SIZE, OVERLAP);
    expected = docs.map((d) => chunker.call(d));
  },
  teardown: () => {
    docs = [];
    expected = [];
  },
};

export default workload;
