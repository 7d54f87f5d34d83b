// The kubectl JSONPath template language (client-go util/jsonpath, as kubectl 1.32 ships it):
// text mixed with {…} actions. This parser keeps the original's quirks on purpose, because they
// decide what kubectl prints: a flat list of top-level nodes (range/end are identifiers in it,
// not a tree), ['a.b'] parsed as the fields a and b, `\` removed from field names, filters split
// by a regular expression, quoted literals unquoted with Go escapes. Behaviour written from
// kubectl's observable output and client-go's documented grammar; the code is our own.

export interface Param {
  /** An int64, as client-go holds it: indexes past 2^53 still compare and print exactly. */
  value: bigint;
  /** Given in the template (or derived from it), as opposed to "use the default". */
  known: boolean;
  /** The end of a single index [i], which is i+1. */
  derived: boolean;
}

export type Node =
  | ListNode
  | { type: "text"; text: string }
  | { type: "field"; value: string }
  | { type: "identifier"; name: string }
  | { type: "array"; params: [Param, Param, Param] }
  | { type: "filter"; left: ListNode; right: ListNode; operator: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "wildcard" }
  | { type: "recursive" }
  | { type: "union"; nodes: ListNode[] };

export interface ListNode {
  type: "list";
  nodes: Node[];
}

/** A template that does not parse; the message is the one kubectl prints after "error parsing jsonpath …, ". */
export class JsonPathSyntaxError extends Error {
  override name = "JsonPathSyntaxError";
}

const EOF = -1;

const isSpace = (r: number) => r === 0x20 || r === 0x09;
const isEndOfLine = (r: number) => r === 0x0d || r === 0x0a;
const isDigit = (r: number) => r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
const isAlphaNumeric = (r: number) => r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));

function isTerminator(r: number): boolean {
  if (isSpace(r) || isEndOfLine(r)) return true;
  return r === EOF || ".,[]$@{}".includes(String.fromCodePoint(r));
}

/** Go's %#U: U+007B '{' (the character only when printable). */
export function goRuneU(r: number): string {
  const hex = "U+" + r.toString(16).toUpperCase().padStart(4, "0");
  const ch = String.fromCodePoint(r);
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch) ? `${hex} '${ch}'` : hex;
}

const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/;

/** The parser is a state machine: each step returns the next one (no recursion per token). */
type Step = (() => Step) | null;

class Parser {
  root: ListNode = { type: "list", nodes: [] };
  private input = "";
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): ListNode {
    this.input = text;
    this.root = { type: "list", nodes: [] };
    this.pos = 0;
    this.start = 0;
    let step: Step = this.parseText(this.root);
    while (step) step = step();
    return this.root;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup() {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): Step {
    for (;;) {
      if (this.input.startsWith("{", this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
        return () => this.parseLeftDelim(cur);
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
    return null;
  }

  private parseLeftDelim(cur: ListNode): Step {
    this.pos += 1;
    this.consumeText();
    const node: ListNode = { type: "list", nodes: [] };
    cur.nodes.push(node);
    return () => this.parseInsideAction(node);
  }

  private parseInsideAction(cur: ListNode): Step {
    for (;;) {
      if (this.input.startsWith("}", this.pos)) return () => this.parseRightDelim();
      if (this.input.startsWith("[?(", this.pos)) return () => this.parseFilter(cur);
      if (this.input.startsWith("..", this.pos)) return () => this.parseRecursive(cur);
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JsonPathSyntaxError("unclosed action");
      if (r === 0x20 || r === 0x40 /* @ */ || r === 0x24 /* $ */) {
        this.consumeText();
        continue;
      }
      if (r === 0x5b /* [ */) return () => this.parseArray(cur);
      if (r === 0x22 || r === 0x27) return () => this.parseQuote(cur, r);
      if (r === 0x2e /* . */) return () => this.parseField(cur);
      if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        return () => this.parseNumber(cur);
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return () => this.parseIdentifier(cur);
      }
      throw new JsonPathSyntaxError(`unrecognized character in action: ${goRuneU(r)}`);
    }
  }

  private parseRightDelim(): Step {
    this.pos += 1;
    this.consumeText();
    return () => this.parseText(this.root);
  }

  private parseIdentifier(cur: ListNode): Step {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === "true" || value === "false") cur.nodes.push({ type: "bool", value: value === "true" });
    else cur.nodes.push({ type: "identifier", name: value });
    return () => this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): Step {
    if (cur.nodes.at(-1)?.type === "recursive") throw new JsonPathSyntaxError("invalid multiple recursive descent");
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: "recursive" });
    if (isAlphaNumeric(this.peek())) return () => this.parseField(cur);
    return () => this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): Step {
    let r = this.peek();
    if (r === 0x2b || r === 0x2d) this.next();
    for (;;) {
      r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?[0-9]+$/.test(value) && Math.abs(Number(value)) < 2 ** 63) {
      cur.nodes.push({ type: "int", value: Number(value) });
      return () => this.parseInsideAction(cur);
    }
    if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) {
      cur.nodes.push({ type: "float", value: Number(value) });
      return () => this.parseInsideAction(cur);
    }
    throw new JsonPathSyntaxError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): Step {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError("unterminated array");
      if (r === 0x5d /* ] */) break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === "*") text = ":";

    const parts = text.split(",");
    if (parts.length > 1) {
      const union: ListNode[] = parts.map((part) => parseAction(`[${part.replace(/^ +| +$/g, "")}]`));
      cur.nodes.push({ type: "union", nodes: union });
      return () => this.parseInsideAction(cur);
    }

    const key = DICT_KEY.exec(text);
    if (key) {
      for (const node of parseAction(`.${key[1]}`).nodes) cur.nodes.push(node);
      return () => this.parseInsideAction(cur);
    }

    const slice = SLICE.exec(text);
    if (!slice) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const groups = [slice[1] ?? "", slice[2] ?? "", slice[3] ?? ""];
    const params: [Param, Param, Param] = [
      { value: 0n, known: false, derived: false },
      { value: 0n, known: false, derived: false },
      { value: 0n, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let g = groups[i]!;
      const p = params[i]!;
      if (g !== "") {
        if (i > 0) g = g.slice(1);
        if (i > 0 && g === "") p.known = false;
        else {
          // strconv.Atoi: an index that does not fit an int64 is "not a number" either.
          if (!/^[+-]?[0-9]+$/.test(g) || BigInt.asIntN(64, BigInt(g)) !== BigInt(g)) throw new JsonPathSyntaxError(`array index ${g} is not a number`);
          p.known = true;
          p.value = BigInt(g);
        }
      } else if (i === 1) {
        p.known = true;
        p.value = BigInt.asIntN(64, params[0].value + 1n);
        p.derived = true;
      }
    }
    cur.nodes.push({ type: "array", params });
    return () => this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): Step {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError("unterminated filter");
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== "\\" && r === pair) end = true;
      } else if (r === 0x29 /* ) */ && begin === end) break;
    }
    if (this.next() !== 0x5d) throw new JsonPathSyntaxError("unclosed array expect ]");
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = FILTER.exec(text);
    if (!m) {
      cur.nodes.push({ type: "filter", left: parseAction(text), right: { type: "list", nodes: [] }, operator: "exists" });
    } else {
      const left = parseAction(m[1]!);
      const right = parseAction(m[3]!);
      cur.nodes.push({ type: "filter", left, right, operator: m[2]! });
    }
    return () => this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, quote: number): Step {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError("unterminated quoted string");
      if (r === quote && this.input[this.pos - 2] !== "\\") break;
    }
    const value = this.consumeText();
    let s: string;
    try {
      s = unquoteExtend(value);
    } catch (e) {
      throw new JsonPathSyntaxError(`unquote string ${value} error ${(e as Error).message}`);
    }
    cur.nodes.push({ type: "text", text: s });
    return () => this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): Step {
    this.consumeText();
    while (this.advance()) {
      /* scan */
    }
    const value = this.consumeText();
    if (value === "*") cur.nodes.push({ type: "wildcard" });
    else cur.nodes.push({ type: "field", value: value.replaceAll("\\", "") });
    return () => this.parseInsideAction(cur);
  }

  private advance(): boolean {
    const r = this.next();
    if (r === 0x5c /* \ */) this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

/** The nodes of one action's text, as if it were written `{text}`. */
function parseAction(text: string): ListNode {
  const root = new Parser().parse(`{${text}}`);
  return root.nodes[0] as ListNode;
}

/** Parse a whole template into its flat list of top-level nodes (text and actions). */
export function parseJsonPath(template: string): ListNode {
  return new Parser().parse(template);
}

// ---------------------------------------------------------------------------------------------
// Quoted literals: strconv.Unquote's escapes, for '…' as well as "…".

const SYNTAX = "invalid syntax";

function unquoteExtend(s: string): string {
  if (s.length < 2) throw new Error(SYNTAX);
  const quote = s[0]!;
  if (quote !== s[s.length - 1]) throw new Error(SYNTAX);
  s = s.slice(1, -1);
  if (quote !== '"' && quote !== "'") throw new Error(SYNTAX);
  if (!s.includes("\\") && !s.includes(quote)) return s;
  return unquoteChars(s, quote);
}

/** Decode Go escape sequences up to the end of s; an unescaped `quote` is a syntax error. */
export function unquoteChars(s: string, quote: string): string {
  const bytes: number[] = [];
  const pushRune = (r: number) => bytes.push(...new TextEncoder().encode(String.fromCodePoint(r)));
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === quote && (quote === "'" || quote === '"')) throw new Error(SYNTAX);
    if (c !== "\\") {
      const r = s.codePointAt(i)!;
      pushRune(r);
      i += r > 0xffff ? 2 : 1;
      continue;
    }
    if (i + 1 >= s.length) throw new Error(SYNTAX);
    const e = s[i + 1]!;
    i += 2;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
    if (e in simple) {
      bytes.push(simple[e]!);
      continue;
    }
    if (e === "'" || e === '"') {
      if (e !== quote) throw new Error(SYNTAX);
      bytes.push(e.charCodeAt(0));
      continue;
    }
    if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(i, i + n);
      if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error(SYNTAX);
      i += n;
      const v = parseInt(hex, 16);
      if (e === "x") bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error(SYNTAX);
        pushRune(v);
      }
      continue;
    }
    if (e >= "0" && e <= "7") {
      const oct = s.slice(i - 1, i + 2);
      if (oct.length < 3 || !/^[0-7]{3}$/.test(oct)) throw new Error(SYNTAX);
      const v = parseInt(oct, 8);
      if (v > 255) throw new Error(SYNTAX);
      i += 2;
      bytes.push(v);
      continue;
    }
    throw new Error(SYNTAX);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
