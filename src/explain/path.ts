// `TYPE[.field…]` as kubectl explain reads it: the argument is parsed as the JSONPath
// `{.<arg>}` (one trailing dot ignored), the first node names the type and every later node
// must be a plain field. Only what decides explain's result is kept of each node: a field's
// name, or "something else" (array index, wildcard, recursive descent, literal…), with the
// parser's own error for input it cannot read.
import { invalidInput } from "../errors";

export type PathNode = { field: string } | { other: string };

const isField = (n: PathNode): n is { field: string } => "field" in n;

const isLineEnd = (ch: string) => ch === "\r" || ch === "\n";
const isTerminator = (ch: string | undefined) => ch === undefined || ch === " " || ch === "\t" || isLineEnd(ch) || ".,[]$@{}".includes(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);
const isAlphaNumeric = (ch: string | undefined) => ch !== undefined && (ch === "_" || /^[\p{L}\p{Nd}]$/u.test(ch));

/** Go's %#U: `U+002C ','`. */
const goRune = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${ch}'`;

const syntax = (message: string) => invalidInput(message, "Name a type and fields separated by dots, e.g. 'dnszones.spec.domainName'.");

/** Parses the inside of one `{…}` action into nodes. */
function parseAction(text: string): PathNode[] {
  const chars = [...text];
  const nodes: PathNode[] = [];
  let i = 0;
  const rest = () => chars.slice(i).join("");

  const field = () => {
    let value = "";
    while (i < chars.length && !isTerminator(chars[i])) {
      if (chars[i] === "\\") {
        i++;
        if (i < chars.length) value += chars[i++];
        continue;
      }
      value += chars[i++];
    }
    nodes.push(value === "*" ? { other: "*" } : { field: value });
  };

  while (i < chars.length) {
    if (rest().startsWith("[?(")) {
      // A filter: up to the `)` that is not inside quotes, then `]`.
      i += 3;
      let quote = "";
      let open = false;
      let closed = false;
      for (;;) {
        const ch = chars[i++];
        if (ch === undefined || ch === "\n") throw syntax("unterminated filter");
        if (ch === '"' || ch === "'") {
          if (!open) {
            open = true;
            quote = ch;
            continue;
          }
          if (chars[i - 2] !== "\\" && ch === quote) closed = true;
        } else if (ch === ")" && open === closed) break;
      }
      if (chars[i++] !== "]") throw syntax("unclosed array expect ]");
      nodes.push({ other: "filter" });
      continue;
    }
    if (rest().startsWith("..")) {
      if (nodes.at(-1) && "other" in nodes.at(-1)! && (nodes.at(-1) as { other: string }).other === "..") throw syntax("invalid multiple recursive descent");
      i += 2;
      nodes.push({ other: ".." });
      if (isAlphaNumeric(chars[i])) field();
      continue;
    }
    const ch = chars[i++]!;
    if (isLineEnd(ch)) throw syntax("unclosed action");
    if (ch === " " || ch === "@" || ch === "$") continue;
    if (ch === "[") {
      const start = i;
      while (chars[i] !== "]") {
        if (i >= chars.length || chars[i] === "\n") throw syntax("unterminated array");
        i++;
      }
      let inner = chars.slice(start, i).join("");
      i++;
      if (inner === "*") inner = ":";
      if (inner.split(",").length > 1) {
        for (const part of inner.split(",")) parseAction(`[${part.trim()}]`);
        nodes.push({ other: "union" });
        continue;
      }
      const key = /^'([^']*)'$/.exec(inner);
      if (key) {
        nodes.push(...parseAction(`.${key[1]}`));
        continue;
      }
      if (!/^(-?\d*)(:-?\d*)?(:-?\d*)?$/.test(inner)) throw syntax(`invalid array index ${inner}`);
      nodes.push({ other: "index" });
      continue;
    }
    if (ch === '"' || ch === "'") {
      for (;;) {
        const c = chars[i++];
        if (c === undefined || c === "\n") throw syntax("unterminated quoted string");
        if (c === ch && chars[i - 2] !== "\\") break;
      }
      nodes.push({ other: "text" });
      continue;
    }
    if (ch === ".") {
      field();
      continue;
    }
    if (ch === "+" || ch === "-" || isDigit(ch)) {
      let value = ch;
      while (i < chars.length && (chars[i] === "." || isDigit(chars[i]!))) value += chars[i++];
      if (!/^[+-]?\d+$/.test(value) && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) throw syntax(`cannot parse number ${value}`);
      nodes.push({ other: "number" });
      continue;
    }
    if (isAlphaNumeric(ch)) {
      while (i < chars.length && !isTerminator(chars[i])) i++;
      nodes.push({ other: "identifier" });
      continue;
    }
    throw syntax(`unrecognized character in action: ${goRune(ch)}`);
  }
  return nodes;
}

/** kubectl's jsonPathParse: `{.<input>}` with one trailing dot removed. */
export function parsePath(input: string): PathNode[] {
  let text = input.endsWith(".") ? input.slice(0, -1) : input;
  text = `.${text}`;
  // A `}` ends the action early; what follows (at least the closing `}` kubectl adds) would
  // be a second node of the template.
  const close = text.indexOf("}");
  if (close >= 0) {
    parseAction(text.slice(0, close));
    throw syntax("must pass in 1 jsonpath string");
  }
  return parseAction(text);
}

/** The field names of `nodes`; any other node is an error worded as kubectl words it. */
export function fieldsOf(nodes: readonly PathNode[], message: string): string[] {
  return nodes.map((n) => {
    if (!isField(n)) throw syntax(message);
    return n.field;
  });
}

/** The type word: the first node, which must be a field. */
export function typeOf(nodes: readonly PathNode[]): string {
  const first = nodes[0];
  if (!first || !isField(first)) throw syntax("invalid jsonpath syntax, first node must be field node");
  return first.field;
}

export const FIRST_NODE = "invalid jsonpath syntax, first node must be field node";
export const ALL_NODES = "invalid jsonpath syntax, all nodes must be field nodes";
