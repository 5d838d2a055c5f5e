import zlib from "node:zlib";
import { ZSTDDecoder } from "zstddec";
import { corrupt } from "./errors.js";
import { lz4RawDecompress } from "./lz4-raw.js";
import { snappyDecompress } from "./snappy.js";

/** The column-chunk codecs the native decoder reads (names as the footer parser gives them). */
export const NATIVE_CODECS: ReadonlySet<string> = new Set([
  "UNCOMPRESSED",
  "SNAPPY",
  "GZIP",
  "BROTLI",
  "ZSTD",
  "LZ4_RAW",
]);

let zstd: ZSTDDecoder | undefined;
let zstdReady: Promise<void> | undefined;

/** Loads what `codec` needs (zstd's wasm module, once per thread) before `decompress` runs. */
export async function prepareCodec(codec: string): Promise<void> {
  if (codec !== "ZSTD" || zstd) return;
  if (!zstdReady) {
    const d = new ZSTDDecoder();
    zstdReady = d.init().then(() => {
      zstd = d;
    });
  }
  await zstdReady;
}

/** Decompresses one page (or a v2 page's values section) into exactly `size` bytes. */
export function decompress(codec: string, input: Uint8Array, size: number): Uint8Array {
  let out: Uint8Array;
  switch (codec) {
    case "UNCOMPRESSED":
      out = input;
      break;
    case "SNAPPY":
      return snappyDecompress(input, size);
    case "LZ4_RAW":
      return lz4RawDecompress(input, size);
    case "ZSTD": {
      if (!zstd) throw new Error("the zstd decoder was not prepared (a bug in deft)");
      if (size === 0) return new Uint8Array(0);
      out = zstd.decode(input, size);
      break;
    }
    case "GZIP":
      out = inflate(() => zlib.gunzipSync(input), "gzip");
      break;
    case "BROTLI":
      out = inflate(() => zlib.brotliDecompressSync(input), "brotli");
      break;
    default:
      throw new Error(`codec ${codec} is not decoded natively (a bug in deft's decoder choice)`);
  }
  if (out.length !== size) {
    throw corrupt(
      `${codec.toLowerCase()}: the page decompressed to ${out.length} bytes but its header says ${size}`,
    );
  }
  return out;
}

function inflate(run: () => Uint8Array, name: string): Uint8Array {
  try {
    return run();
  } catch (err) {
    throw corrupt(`${name}: ${(err as Error).message}`);
  }
}
