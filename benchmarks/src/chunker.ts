// CPU-bound text chunking for the chunking benchmark: a byte-pair-style tokenizer whose merge
// table is learnt from real words (the titles of vega-datasets' movies.json), and a chunker
// that cuts a document's tokens into overlapping windows, as a retrieval pipeline does before
// embedding. Everything is deterministic, so every engine must return identical chunks.
// Loaded by worker threads through fromModule(), so it reads its own data.
import { readFileSync } from "node:fs";

const MOVIES = new URL("../../node_modules/vega-datasets/data/movies.json", import.meta.url);
const WORD = /[a-z0-9']+/g;

/** Every word of every movie title, lower-cased, in file order (repeats kept). */
export function titleWords(): string[] {
  const movies = JSON.parse(readFileSync(MOVIES, "utf8")) as { Title?: unknown }[];
  const words: string[] = [];
  for (const m of movies) {
    if (typeof m.Title !== "string" && typeof m.Title !== "number") continue;
    for (const w of String(m.Title).toLowerCase().match(WORD) ?? []) words.push(w);
  }
  return words;
}

/**
 * Merge ranks: every substring of 2..6 characters seen at least 3 times across the title
 * words, ranked by frequency (most frequent merges first), as BPE's merge list is.
 */
function learnMerges(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of words) {
    for (let len = 2; len <= 6; len++) {
      for (let i = 0; i + len <= w.length; i++) {
        const s = w.slice(i, i + len);
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
    }
  }
  const kept = [...counts].filter(([, c]) => c >= 3);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(kept.map(([s], i) => [s, i]));
}

/** The chunker: `call(text)` returns the text's overlapping chunks of tokens. */
export class Chunker {
  private readonly ranks: Map<string, number>;
  private readonly size: number;
  private readonly step: number;

  /** Chunks of `size` tokens, consecutive chunks sharing `overlap` tokens. */
  constructor(size = 128, overlap = 32) {
    if (!(Number.isInteger(size) && Number.isInteger(overlap) && overlap >= 0 && overlap < size)) {
      throw new Error(`Chunker(size, overlap): need integers with 0 <= overlap < size`);
    }
    this.ranks = learnMerges(titleWords());
    this.size = size;
    this.step = size - overlap;
  }

  /** BPE encoding of one word: merge the adjacent pair of lowest rank until none is known. */
  tokenizeWord(word: string): string[] {
    const pieces = [...word];
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < pieces.length; i++) {
        const r = this.ranks.get(pieces[i]! + pieces[i + 1]!);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return pieces;
      pieces.splice(best, 2, pieces[best]! + pieces[best + 1]!);
    }
  }

  /** Tokens of a whole text; a word's continuation pieces are marked "##", as in WordPiece. */
  tokenize(text: string): string[] {
    const tokens: string[] = [];
    for (const w of text.normalize("NFKC").toLowerCase().match(WORD) ?? []) {
      const pieces = this.tokenizeWord(w);
      tokens.push(pieces[0]!);
      for (let i = 1; i < pieces.length; i++) tokens.push(`##${pieces[i]}`);
    }
    return tokens;
  }

  call(text: string): string[] {
    const tokens = this.tokenize(text);
    const chunks: string[] = [];
    for (let start = 0; start < tokens.length; start += this.step) {
      chunks.push(tokens.slice(start, start + this.size).join(" "));
      if (start + this.size >= tokens.length) break;
    }
    return chunks;
  }
}
