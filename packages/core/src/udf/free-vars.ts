// Which outer variables a function's source text reads. A UDF travels in a plan by its text,
// so one that reads a variable of its surroundings would fail (or silently differ) wherever
// the plan is run; finding those names up front lets the plan refuse with a clear message.
import { type Node, parse } from "acorn";

type AnyNode = Node & Record<string, unknown>;

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | null) {}
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
}

const isNode = (v: unknown): v is AnyNode =>
  typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** Names bound by a binding pattern (`a`, `{ b, c: [d] }`, `...e`, `f = 1`). */
function patternNames(p: AnyNode | null | undefined, out: Set<string>): void {
  if (!p) return;
  switch (p.type) {
    case "Identifier":
      out.add(p.name as string);
      break;
    case "ObjectPattern":
      for (const prop of p.properties as AnyNode[])
        patternNames((prop.type === "RestElement" ? prop.argument : prop.value) as AnyNode, out);
      break;
    case "ArrayPattern":
      for (const el of p.elements as (AnyNode | null)[]) patternNames(el, out);
      break;
    case "RestElement":
      patternNames(p.argument as AnyNode, out);
      break;
    case "AssignmentPattern":
      patternNames(p.left as AnyNode, out);
      break;
  }
}

/** `var` names and function declarations of a function body (not inside nested functions). */
function hoisted(node: AnyNode, out: Set<string>): void {
  if (node.type === "VariableDeclaration" && node.kind === "var") {
    for (const d of node.declarations as AnyNode[]) patternNames(d.id as AnyNode, out);
  }
  for (const [key, v] of Object.entries(node)) {
    if (key === "type") continue;
    for (const child of Array.isArray(v) ? v : [v]) {
      if (!isNode(child) || FUNCTIONS.has(child.type) || child.type.startsWith("Class")) continue;
      hoisted(child, out);
    }
  }
}

/** let/const/class/function declared directly in a list of statements. */
function lexical(statements: readonly AnyNode[], out: Set<string>): void {
  for (const s of statements) {
    if (s.type === "VariableDeclaration" && s.kind !== "var")
      for (const d of s.declarations as AnyNode[]) patternNames(d.id as AnyNode, out);
    if ((s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") && s.id)
      out.add((s.id as AnyNode).name as string);
  }
}

class Walker {
  readonly free = new Set<string>();

  ref(name: string, scope: Scope): void {
    if (!scope.has(name)) this.free.add(name);
  }

  /** A binding pattern: only default values and computed keys read variables. */
  pattern(p: AnyNode | null, scope: Scope): void {
    if (!p) return;
    switch (p.type) {
      case "Identifier":
        return;
      case "ObjectPattern":
        for (const prop of p.properties as AnyNode[]) {
          if (prop.type === "RestElement") this.pattern(prop.argument as AnyNode, scope);
          else {
            if (prop.computed) this.visit(prop.key as AnyNode, scope);
            this.pattern(prop.value as AnyNode, scope);
          }
        }
        return;
      case "ArrayPattern":
        for (const el of p.elements as (AnyNode | null)[]) this.pattern(el, scope);
        return;
      case "RestElement":
        this.pattern(p.argument as AnyNode, scope);
        return;
      case "AssignmentPattern":
        this.pattern(p.left as AnyNode, scope);
        this.visit(p.right as AnyNode, scope);
        return;
      default:
        this.visit(p, scope);
        return;
    }
  }

  fn(node: AnyNode, outer: Scope): void {
    const scope = new Scope(outer);
    if (node.type === "FunctionExpression" && node.id)
      scope.names.add((node.id as AnyNode).name as string);
    if (node.type !== "ArrowFunctionExpression") scope.names.add("arguments");
    for (const p of node.params as AnyNode[]) patternNames(p, scope.names);
    const body = node.body as AnyNode;
    if (body.type === "BlockStatement") {
      hoisted(body, scope.names);
      lexical(body.body as AnyNode[], scope.names);
    }
    for (const p of node.params as AnyNode[]) this.pattern(p, scope);
    if (body.type === "BlockStatement")
      for (const s of body.body as AnyNode[]) this.visit(s, scope);
    else this.visit(body, scope);
  }

  block(statements: readonly AnyNode[], outer: Scope): void {
    const scope = new Scope(outer);
    lexical(statements, scope.names);
    for (const s of statements) this.visit(s, scope);
  }

  visit(node: AnyNode | null | undefined, scope: Scope): void {
    if (!node) return;
    switch (node.type) {
      case "Identifier":
        this.ref(node.name as string, scope);
        return;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        this.fn(node, scope);
        return;
      case "BlockStatement":
      case "StaticBlock":
        this.block(node.body as AnyNode[], scope);
        return;
      case "SwitchStatement":
        this.visit(node.discriminant as AnyNode, scope);
        this.block(
          (node.cases as AnyNode[]).flatMap((c) => c.consequent as AnyNode[]),
          scope,
        );
        return;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const inner = new Scope(scope);
        const head = (node.init ?? node.left) as AnyNode | null;
        if (head?.type === "VariableDeclaration") lexical([head], inner.names);
        for (const key of ["init", "left", "right", "test", "update", "body"])
          this.visit(node[key] as AnyNode, inner);
        return;
      }
      case "CatchClause": {
        const inner = new Scope(scope);
        patternNames(node.param as AnyNode, inner.names);
        this.pattern(node.param as AnyNode, inner);
        this.visit(node.body as AnyNode, inner);
        return;
      }
      case "VariableDeclaration":
        for (const d of node.declarations as AnyNode[]) {
          this.pattern(d.id as AnyNode, scope);
          this.visit(d.init as AnyNode, scope);
        }
        return;
      case "ClassDeclaration":
      case "ClassExpression": {
        const inner = new Scope(scope);
        if (node.id) inner.names.add((node.id as AnyNode).name as string);
        this.visit(node.superClass as AnyNode, inner);
        for (const m of (node.body as AnyNode).body as AnyNode[]) {
          if (m.type === "StaticBlock") this.visit(m, inner);
          else {
            if (m.computed) this.visit(m.key as AnyNode, inner);
            this.visit(m.value as AnyNode, inner);
          }
        }
        return;
      }
      case "MemberExpression":
        this.visit(node.object as AnyNode, scope);
        if (node.computed) this.visit(node.property as AnyNode, scope);
        return;
      case "Property":
        if (node.computed) this.visit(node.key as AnyNode, scope);
        this.visit(node.value as AnyNode, scope);
        return;
      case "LabeledStatement":
        this.visit(node.body as AnyNode, scope);
        return;
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
      case "PrivateIdentifier":
        return;
      default:
        for (const [key, v] of Object.entries(node)) {
          if (key === "type") continue;
          for (const child of Array.isArray(v) ? v : [v])
            if (isNode(child)) this.visit(child, scope);
        }
    }
  }
}

function parseFunction(code: string, fnName: string): AnyNode | null {
  const opts = { ecmaVersion: "latest", sourceType: "module" } as const;
  try {
    return parse(`(${code});`, opts) as unknown as AnyNode;
  } catch {
    try {
      // Method shorthand ("name(x) { … }") is only valid inside an object literal.
      return parse(`({${code}})[${JSON.stringify(fnName)}];`, opts) as unknown as AnyNode;
    } catch {
      return null;
    }
  }
}

/**
 * The names a function's or class's source text reads from outside itself, other than the
 * globals of this thread (Math, fetch, …) and `__name` (a helper tsx and esbuild insert,
 * which shipped code is given). `null` when the text does not parse.
 */
export function outerNames(code: string, fnName: string): string[] | null {
  const ast = parseFunction(code, fnName);
  if (!ast) return null;
  const w = new Walker();
  w.visit(ast, new Scope(null));
  return [...w.free].filter((n) => n !== "__name" && !(n in globalThis)).sort();
}
