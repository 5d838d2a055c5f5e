// Reads a function's parameter names from its source text, so that `node({ output }, fn)` can
// wire edges by name the way hypernodes does with Python's inspect.signature.

/** What a node function's parameter list says about how it wants to be called. */
export interface ParsedParams {
  /** Input names, in call order (for an object pattern: its keys, in source order). */
  names: string[];
  /** Names that carry a default value: when nothing provides them the default applies. */
  optional: string[];
  /** True when the function takes one destructured object `({ a, b }) => …`. */
  objectParam: boolean;
}

/**
 * Parses the parameter list of an arrow function, function declaration/expression (async or
 * not) or method. Throws with the fix (`inputs: [...]`) for shapes it cannot name: rest
 * parameters, array patterns, mixed patterns, native or bound functions.
 */
export function parseParams(fn: (...args: never[]) => unknown, label: string): ParsedParams {
  const src = stripComments(Function.prototype.toString.call(fn));
  const list = paramListText(src);
  if (list === undefined) {
    throw new Error(
      `Node "${label}": cannot read parameter names from its function (native or bound?). ` +
        'Pass them explicitly: node({ output, inputs: ["a", "b"] }, fn).',
    );
  }
  const parts = splitTopLevel(list)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 1 && parts[0]!.startsWith("{")) {
    const pattern = parts[0]!;
    const close = matchingClose(pattern, 0);
    const inner = pattern.slice(1, close);
    const tail = pattern.slice(close + 1).trim();
    const names: string[] = [];
    const optional: string[] = [];
    for (const raw of splitTopLevel(inner)) {
      const entry = raw.trim();
      if (entry === "") continue;
      if (entry.startsWith("...")) throw unsupported(label, "a rest element in an object pattern");
      const key = /^([A-Za-z_$][\w$]*)/.exec(entry)?.[1];
      if (key === undefined) throw unsupported(label, `the object-pattern entry "${entry}"`);
      names.push(key);
      const rest = entry.slice(key.length).trim();
      // `{ a = 1 }` has a default; `{ a: b = 1 }` too (the default sits after the rename).
      if (rest.startsWith("=") || /^:\s*[^=]+=/.test(rest)) optional.push(key);
    }
    if (tail !== "" && !tail.startsWith("=")) throw unsupported(label, `"${pattern}"`);
    return { names, optional, objectParam: true };
  }
  const names: string[] = [];
  const optional: string[] = [];
  for (const part of parts) {
    if (part.startsWith("...")) throw unsupported(label, `the rest parameter "${part}"`);
    if (part.startsWith("{") || part.startsWith("[")) {
      throw unsupported(label, `the destructured parameter "${part}" next to other parameters`);
    }
    const name = /^([A-Za-z_$][\w$]*)/.exec(part)?.[1];
    if (name === undefined) throw unsupported(label, `the parameter "${part}"`);
    names.push(name);
    if (part.slice(name.length).trim().startsWith("=")) optional.push(name);
  }
  return { names, optional, objectParam: false };
}

function unsupported(label: string, what: string): Error {
  return new Error(
    `Node "${label}": cannot take an input name from ${what}. Use plain parameters, one ` +
      'destructured object ({ a, b }), or name the inputs: node({ output, inputs: ["a", "b"] }, fn).',
  );
}

/** The text between the parentheses of the parameter list, or the lone arrow parameter. */
function paramListText(src: string): string | undefined {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) return undefined;
  let s = src.trim();
  if (s.startsWith("async") && /^async\b/.test(s)) s = s.slice(5).trim();
  // A lone arrow parameter: `x => …` (possibly after `async`).
  const lone = /^([A-Za-z_$][\w$]*)\s*=>/.exec(s);
  if (lone) return lone[1];
  const open = s.indexOf("(");
  if (open < 0) return undefined;
  const close = matchingClose(s, open);
  if (close < 0) return undefined;
  return s.slice(open + 1, close);
}

/** Index of the bracket closing the one at `open`, skipping strings and templates. */
function matchingClose(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(s, i);
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipString(s: string, start: number): number {
  const quote = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === quote) return i;
  }
  return s.length;
}

/** Splits on commas that are not inside brackets or strings. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === "`") i = skipString(s, i);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

function stripComments(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const end = skipString(s, i);
      out += s.slice(i, end + 1);
      i = end;
    } else if (c === "/" && s[i + 1] === "/") {
      const nl = s.indexOf("\n", i);
      i = nl < 0 ? s.length : nl - 1;
    } else if (c === "/" && s[i + 1] === "*") {
      const end = s.indexOf("*/", i + 2);
      i = end < 0 ? s.length : end + 1;
    } else out += c;
  }
  return out;
}
