// Comment text (clause 4.2.2.10 of the TPC-H specification): a pool of sentences built from the
// word grammar, and each comment a substring of the pool at a random offset with a random
// length in the column's range. dbgen's pool is 300 MB; 8 MB keeps generation fast while the
// word frequencies (what LIKE '%special%requests%' and friends select on) stay the same.
import { prng } from "../data.js";
import {
  ADJECTIVES,
  ADVERBS,
  AUXILIARIES,
  GRAMMAR,
  NOUN_PHRASES,
  NOUNS,
  PREPOSITIONS,
  TERMINATORS,
  VERB_PHRASES,
  VERBS,
  type Weighted,
} from "./dists.js";

const POOL_BYTES = 8 << 20;

/** Picks from a weighted list with `next()` in [0, 1). */
function picker(list: Weighted, next: () => number): () => string {
  const total = list.reduce((s, [, wgt]) => s + wgt, 0);
  const cum = new Float64Array(list.length);
  let acc = 0;
  for (const [i, [, wgt]] of list.entries()) cum[i] = acc += wgt;
  return () => {
    const r = next() * total;
    let i = 0;
    while (cum[i]! <= r) i++;
    return list[i]![0];
  };
}

function sentences(next: () => number): () => string {
  const noun = picker(NOUNS, next);
  const verb = picker(VERBS, next);
  const adj = picker(ADJECTIVES, next);
  const adv = picker(ADVERBS, next);
  const prep = picker(PREPOSITIONS, next);
  const aux = picker(AUXILIARIES, next);
  const term = picker(TERMINATORS, next);
  const shape = picker(GRAMMAR, next);
  const np = picker(NOUN_PHRASES, next);
  const vp = picker(VERB_PHRASES, next);
  const nounPhrase = () =>
    np()
      .split(" ")
      .map((t) => (t === "N" ? noun() : t === "J" ? adj() : t === "J;" ? `${adj()},` : adv()))
      .join(" ");
  const verbPhrase = () =>
    vp()
      .split(" ")
      .map((t) => (t === "V" ? verb() : t === "X" ? aux() : adv()))
      .join(" ");
  return () => {
    let s = "";
    for (const part of shape().split(" ")) {
      if (part === "T") s += term();
      else {
        if (s !== "") s += " ";
        if (part === "N") s += nounPhrase();
        else if (part === "V") s += verbPhrase();
        else s += `${prep()} the ${noun()}`;
      }
    }
    return s;
  };
}

let cached: Uint8Array | undefined;

/** The text pool (ASCII), the same bytes on every call and every machine. */
export function textPool(): Uint8Array {
  if (cached) return cached;
  const next = sentences(prng(0x7e47));
  const parts: string[] = [];
  let size = 0;
  while (size < POOL_BYTES) {
    const s = next();
    parts.push(s);
    size += s.length + 1;
  }
  cached = new TextEncoder().encode(parts.join(" ").slice(0, POOL_BYTES));
  return cached;
}

/** Draws comments of a length uniform in [min, max] from the pool. */
export function commentDrawer(seed: number): (min: number, max: number) => [number, number] {
  const pool = textPool();
  const next = prng(seed);
  return (min, max) => {
    const len = min + Math.floor(next() * (max - min + 1));
    const start = Math.floor(next() * (pool.length - len));
    return [start, start + len];
  };
}
