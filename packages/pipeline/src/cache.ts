// Node results on disk, keyed by the node's code, its inputs and its upstream signatures.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";

/** Where node results are kept. `get` resolves to undefined on a miss. */
export interface Cache {
  /** The entry stored under `key` (a sha256 hex string), or undefined when there is none. */
  get(key: string): Promise<
    | {
        /** The node's stored outputs, as given to `set`. */
        value: unknown;
      }
    | undefined
  >;
  /** Stores `value` (the node's outputs) under `key`, replacing any entry there. */
  set(key: string, value: unknown): Promise<void>;
}

/**
 * One file per node result under `dir` (v8-serialized, so typed arrays, Map, Set, Date and
 * bigint survive). Writes go to a temporary file that is renamed into place, so a crash or two
 * processes writing at once never leave a torn entry.
 */
export class DiskCache implements Cache {
  /** The cache directory; created on the first `set`. */
  readonly dir: string;

  /** Throws a TypeError when `dir` is not a non-empty string. Nothing is read or created yet. */
  constructor(dir: string) {
    if (typeof dir !== "string" || dir === "") {
      throw new TypeError("new DiskCache(dir): dir must be a directory path.");
    }
    this.dir = dir;
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.v8`);
  }

  /** Reads the entry's file; undefined when there is none (any other read error throws). */
  async get(key: string): Promise<
    | {
        /** The stored result, deserialized. */
        value: unknown;
      }
    | undefined
  > {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    return { value: deserialize(bytes) };
  }

  /**
   * Writes the entry atomically (temporary file, then rename). Throws, saying to set
   * `cache: false` on the node, when `value` cannot be v8-serialized (functions, for one).
   */
  async set(key: string, value: unknown): Promise<void> {
    const file = this.file(key);
    let bytes: Buffer;
    try {
      bytes = serialize(value);
    } catch (err) {
      throw new Error(
        `DiskCache cannot store this result (${(err as Error).message}). Set cache: false on the node.`,
      );
    }
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  }

  /** Removes every entry. */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
