import type { FixedOut, FlbaOut } from "./column-output.js";
import { corrupt } from "./errors.js";

/**
 * BYTE_STREAM_SPLIT: byte b of every value is stored in stream b, one stream after the
 * other; the streams are as long as the page has values. Writes `k` values at row `r`.
 */
export function byteStreamSplit(
  page: Uint8Array,
  pos: number,
  end: number,
  k: number,
  out: FixedOut | FlbaOut,
  r: number,
): number {
  const w = out.kind === "fixed" ? out.words * 4 : out.width;
  if (end - pos !== k * w) {
    throw corrupt(
      `a byte-stream-split page holds ${end - pos} bytes for ${k} values of ${w} bytes`,
    );
  }
  const dst =
    out.kind === "fixed" ? new Uint8Array(out.data.buffer, out.data.byteOffset) : out.data;
  const base = r * w;
  for (let b = 0; b < w; b++) {
    let s = pos + b * k;
    let o = base + b;
    for (let i = 0; i < k; i++, o += w) dst[o] = page[s++]!;
  }
  return end;
}
