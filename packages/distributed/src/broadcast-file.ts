import { readFile, rename, writeFile } from "node:fs/promises";
import type { BroadcastInput } from "@deft/core";

// A join side a stage's tasks probe, as one file: a JSON header describing the object with
// every typed array replaced by a reference into the bytes that follow it. The worker reads
// it back over SharedArrayBuffers, which its compute threads share without a copy.

type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array | BigInt64Array;
const CTORS = { Uint8Array, Int32Array, Uint32Array, Float64Array, BigInt64Array } as const;
type CtorName = keyof typeof CTORS;
interface Ref {
  $typed: CtorName;
  offset: number;
  length: number;
}

/** Writes `input` to `path` (through a temporary name, so a reader never sees half a file). */
export async function writeBroadcast(path: string, input: BroadcastInput): Promise<void> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const encode = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as CtorName;
      if (!(name in CTORS))
        throw new Error(`a broadcast side holds a ${name}, which cannot travel`);
      // 8-byte alignment, so every view can be rebuilt in place.
      const pad = (8 - (size % 8)) % 8;
      if (pad) parts.push(new Uint8Array(pad));
      size += pad;
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const ref: Ref = { $typed: name, offset: size, length: (v as Typed).length };
      parts.push(bytes);
      size += bytes.byteLength;
      return ref;
    }
    if (Array.isArray(v)) return v.map(encode);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v;
  };
  const header = Buffer.from(JSON.stringify(encode(input)));
  const len = Buffer.alloc(8);
  len.writeUInt32LE(header.byteLength, 0);
  const headPad = (8 - ((8 + header.byteLength) % 8)) % 8;
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, Buffer.concat([len, header, Buffer.alloc(headPad), ...parts]));
  await rename(tmp, path);
}

/** Reads a broadcast file back, its arrays over one SharedArrayBuffer. */
export async function readBroadcast(path: string): Promise<BroadcastInput> {
  const file = await readFile(path);
  const headerLen = file.readUInt32LE(0);
  const header: unknown = JSON.parse(file.subarray(8, 8 + headerLen).toString("utf8"));
  const start = 8 + headerLen + ((8 - ((8 + headerLen) % 8)) % 8);
  const shared = new SharedArrayBuffer(file.byteLength - start);
  new Uint8Array(shared).set(file.subarray(start));
  const decode = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === "object") {
      const r = v as Partial<Ref>;
      if (typeof r.$typed === "string" && r.$typed in CTORS) {
        const Ctor = CTORS[r.$typed];
        return new (Ctor as new (b: ArrayBufferLike, o: number, l: number) => Typed)(
          shared,
          r.offset!,
          r.length!,
        );
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  return decode(header) as BroadcastInput;
}
