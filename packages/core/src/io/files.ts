import fs from "node:fs";
import path from "node:path";

/** The formats this layer reads and writes, for messages ("Parquet file …"). */
export type FileKind = "Parquet" | "Arrow IPC" | "CSV" | "NDJSON";

/** An error about one file: the message always starts with the kind and the path. */
export class FileError extends Error {
  /** The file the error is about (for a glob that matched nothing, the pattern). */
  readonly path: string;
  constructor(kind: FileKind, file: string, message: string, options?: { cause?: unknown }) {
    super(`${kind} file "${file}": ${message}`, options);
    this.name = "FileError";
    this.path = file;
  }
}

const GLOB_CHARS = /[*?[{]/;

export const isGlob = (pattern: string): boolean => GLOB_CHARS.test(pattern);

/** Translates one path segment of a glob (`*`, `?`, `[abc]`, `{a,b}`) to a RegExp. */
function segmentRegExp(segment: string): RegExp {
  let re = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = segment.indexOf("}", i + 1);
      if (end < 0) re += "\\{";
      else {
        const alts = segment
          .slice(i + 1, end)
          .split(",")
          .map(escapeRegExp);
        re += `(?:${alts.join("|")})`;
        i = end;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Files matching a glob (`*`, `?`, `[...]`, `{a,b}`, and `**` for any depth), sorted by path so
 * multi-file reads have a stable order. Node 20 has no fs.globSync, hence this small walker.
 */
export function globFiles(pattern: string): string[] {
  const abs = path.isAbsolute(pattern);
  const parts = pattern.split(/[\\/]+/);
  // The literal prefix (no glob characters) is where the walk starts.
  let start = 0;
  while (start < parts.length - 1 && !isGlob(parts[start]!)) start++;
  const baseParts = parts.slice(0, start);
  const base = baseParts.length ? baseParts.join("/") || "/" : ".";
  const rest = parts.slice(start);
  const out: string[] = [];
  walk(abs || baseParts.length ? base : ".", rest, out, baseParts.length === 0 && !abs);
  return out.sort();
}

function walk(dir: string, rest: string[], out: string[], relative: boolean): void {
  const [head, ...tail] = rest;
  if (head === undefined) return;
  const join = (name: string) => (relative && dir === "." ? name : path.join(dir, name));
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (head === "**") {
    // `**` matches zero directories (continue with the tail here) or one more level.
    walk(dir, tail, out, relative);
    for (const e of entries) if (e.isDirectory()) walk(join(e.name), rest, out, relative);
    return;
  }
  const re = segmentRegExp(head);
  for (const e of entries) {
    if (!re.test(e.name)) continue;
    if (tail.length === 0) {
      if (e.isFile()) out.push(join(e.name));
    } else if (e.isDirectory()) walk(join(e.name), tail, out, relative);
  }
}

/**
 * Turns a path, glob, folder or array of them into a list of existing files, in the given
 * order (globs and folders sorted). Throws naming the pattern when nothing matches or a file is missing.
 */
export function resolveFiles(kind: FileKind, input: string | readonly string[]): string[] {
  if (typeof input !== "string" && !Array.isArray(input)) {
    throw new TypeError(
      `read${kindFn(kind)}: give a path, a glob or an array of them, got ${input === null ? "null" : typeof input}.`,
    );
  }
  const items = typeof input === "string" ? [input] : [...input];
  if (items.length === 0) throw new TypeError(`read${kindFn(kind)}: give at least one path.`);
  const files: string[] = [];
  for (const item of items) {
    if (typeof item !== "string")
      throw new TypeError(`read${kindFn(kind)}: paths must be strings, got ${typeof item}.`);
    if (isGlob(item) && !fs.existsSync(item)) {
      const found = globFiles(item);
      if (found.length === 0) {
        throw new FileError(
          kind,
          item,
          "the pattern matches no files. Check the directory and the pattern.",
        );
      }
      files.push(...found);
    } else if (isFolder(item)) {
      const found = folderFiles(item);
      if (found.length === 0) {
        throw new FileError(
          kind,
          item,
          "is a folder that holds no files (names starting with . or _ are skipped).",
        );
      }
      files.push(...found);
    } else {
      checkReadable(kind, item);
      files.push(item);
    }
  }
  return files;
}

const isFolder = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Every file under a folder, at any depth, sorted by path; names starting with "." or "_"
 * (hidden files, `_SUCCESS` markers, `_delta_log`) are skipped, as Spark and DuckDB do.
 */
export function folderFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

const kindFn = (kind: FileKind): string =>
  kind === "Arrow IPC" ? "Arrow" : kind === "NDJSON" ? "Json" : kind === "CSV" ? "Csv" : "Parquet";

/** Throws a FileError naming the file when it is missing, a directory, or unreadable. */
export function checkReadable(kind: FileKind, file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new FileError(
        kind,
        file,
        "no such file. Check the path (relative paths start at the current directory).",
        { cause: err },
      );
    throw new FileError(kind, file, `cannot be read (${code ?? String(err)}).`, { cause: err });
  }
  if (stat.isDirectory())
    throw new FileError(
      kind,
      file,
      'is a directory; give a file path or a glob such as "dir/*.parquet".',
    );
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new FileError(kind, file, "is not readable (permission denied).", { cause: err });
  }
  return stat;
}

/** Reads `length` bytes at `position` synchronously (used for footers and headers at plan time). */
export function readBytesSync(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}
