// Parser for the go-template subset: the grammar and error messages of Go 1.23's
// text/template/parse, minus {{define}}, {{block}} and {{template}} (kubectl's go-template
// printer has one template, so these are reported as unsupported). Node positions and String()
// forms matter: execution errors print "output:LINE:COL" and the failing node's text.
// One algorithm (the recursive-descent parser), kept whole; tests/architecture/sizes.test.ts allows its size.
import { goQuote } from "../go-strconv";
import { unquoteChars } from "../jsonpath/parser";
import { type Item, Lexer, T, itemString } from "./lex";
import {
  type BranchNode,
  type ChainNode,
  type CommandNode,
  GoTemplateParseError,
  GoTemplateUnsupportedError,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type VariableNode,
  nodeString,
} from "./nodes";

export { GoTemplateParseError, GoTemplateUnsupportedError } from "./nodes";

/** Functions a template may name: Go's builtins plus kubectl's exists and base64decode. */
export const FUNCTIONS = new Set([
  "and",
  "call",
  "html",
  "index",
  "slice",
  "js",
  "len",
  "not",
  "or",
  "print",
  "printf",
  "println",
  "urlquery",
  "eq",
  "ge",
  "gt",
  "le",
  "lt",
  "ne",
  "exists",
  "base64decode",
]);

/** strconv.Unquote for "…" and `…` literals. */
function unquote(s: string): string {
  if (s.length < 2) throw new Error("invalid syntax");
  const q = s[0]!;
  if (q !== s[s.length - 1]) throw new Error("invalid syntax");
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new Error("invalid syntax");
    return body.replaceAll("\r", "");
  }
  if (q !== '"' && q !== "'") throw new Error("invalid syntax");
  if (body.includes("\n")) throw new Error("invalid syntax");
  const out = unquoteChars(body, q);
  if (q === "'" && [...out].length !== 1) throw new Error("invalid syntax");
  return out;
}

function parseIntGo(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2]!;
  if (body.includes("__") || body.endsWith("_")) return undefined;
  body = body.replaceAll("_", "");
  let n: bigint;
  if (/^0[xX]/.test(body)) n = BigInt(body);
  else if (/^0[oO]/.test(body)) n = BigInt("0o" + body.slice(2));
  else if (/^0[bB]/.test(body)) n = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) n = BigInt("0o" + body.slice(1));
  else n = BigInt(body);
  if (m[1] === "-") n = -n;
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

function newNumber(pos: number, text: string, typ: T): NumberNode {
  const n: NumberNode = { type: "number", pos, text, isInt: false, isUint: false, isFloat: false, int: 0, float: 0 };
  if (typ === T.CharConstant) {
    let r: string;
    try {
      r = unquote(text);
    } catch (e) {
      throw new GoTemplateParseError((e as Error).message);
    }
    const cp = r.codePointAt(0)!;
    return { ...n, isInt: true, isUint: true, isFloat: true, int: cp, float: cp };
  }
  if (typ === T.Complex || text.endsWith("i")) throw new GoTemplateUnsupportedError(`complex number ${text} is not supported by datumctl's go-template`);
  const i = parseIntGo(text);
  if (i !== undefined) return { ...n, isInt: true, isUint: i >= 0, isFloat: true, int: i, float: i };
  const clean = text.replaceAll("_", "");
  if (/^[+-]?([0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)$/.test(clean)) {
    if (!/[.eEpP]/.test(text)) throw new GoTemplateParseError(`integer overflow: ${goQuote(text)}`);
    const f = Number(clean);
    return { ...n, isFloat: true, float: f, isInt: Number.isInteger(f) && Math.abs(f) < 2 ** 63, int: f };
  }
  throw new GoTemplateParseError(`illegal number syntax: ${goQuote(text)}`);
}

export class Tree {
  readonly name = "output";
  root!: ListNode;
  private lex!: Lexer;
  private token: [Item, Item, Item];
  private peekCount = 0;
  private vars: string[] = ["$"];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(readonly text: string) {
    const eof: Item = { typ: T.EOF, pos: 0, val: "", line: 1 };
    this.token = [eof, eof, eof];
  }

  parse(): this {
    this.lex = new Lexer(this.text);
    this.root = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) throw new GoTemplateUnsupportedError("{{define}} is not supported by datumctl's go-template");
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
    return this;
  }

  // Token stream with three tokens of lookahead.
  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }
  private backup() {
    this.peekCount++;
  }
  private backup2(t1: Item) {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item) {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === T.Space);
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(msg: string): never {
    throw new GoTemplateParseError(`template: ${this.name}:${this.token[0].line}: ${msg}`);
  }

  private expect(expected: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Item, context: string): never {
    if (t.typ === T.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(t)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Text:
        return { type: "text", pos: t.pos, text: t.val };
      case T.LeftDelim:
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Block:
        throw new GoTemplateUnsupportedError("{{block}} is not supported by datumctl's go-template");
      case T.Break:
        return this.breakControl(t, "break");
      case T.Continue:
        return this.breakControl(t, "continue");
      case T.Else:
        return this.elseControl();
      case T.End:
        this.expect(T.RightDelim, "end");
        return { type: "end", pos: t.pos };
      case T.If:
        return this.control("if");
      case T.Range:
        return this.control("range");
      case T.Template:
        throw new GoTemplateUnsupportedError("{{template}} is not supported by datumctl's go-template");
      case T.With:
        return this.control("with");
    }
    this.backup();
    const first = this.peek();
    return { type: "action", pos: first.pos, line: first.line, pipe: this.pipeline("command", T.RightDelim) };
  }

  private breakControl(t: Item, kind: "break" | "continue"): Node {
    const next = this.nextNonSpace();
    if (next.typ !== T.RightDelim) this.unexpected(next, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, line: t.line };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With) return { type: "else", pos: peek.pos, line: peek.line };
    const t = this.expect(T.RightDelim, "else");
    return { type: "else", pos: t.pos, line: t.line };
  }

  private control(context: "if" | "range" | "with"): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        if (context === "if" && this.peek().typ === T.If) {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.control("if")] };
        } else if (context === "with" && this.peek().typ === T.With) {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.control("with")] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private pipeline(context: string, end: T): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      this.next();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") });
        this.vars.push(v.val);
      } else if (next.typ === T.Char && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") });
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue decls;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (after.typ === T.Space) {
        this.backup3(v, after);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string) {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === T.Space) continue;
      if (t.typ === T.RightDelim || t.typ === T.RightParen) this.backup();
      else if (t.typ !== T.Pipe) this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): Node | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().typ === T.Field) {
      const chain: ChainNode = { type: "chain", pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === T.Field) chain.field.push(this.next().val.slice(1));
      switch (node.type) {
        case "field":
          return { type: "field", pos: chain.pos, ident: nodeString(chain).slice(1).split(".") };
        case "variable":
          return { type: "variable", pos: chain.pos, ident: nodeString(chain).split(".") };
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
        default:
          return chain;
      }
    }
    return node;
  }

  private term(): Node | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Identifier:
        if (!FUNCTIONS.has(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { type: "identifier", pos: t.pos, ident: t.val };
      case T.Dot:
        return { type: "dot", pos: t.pos };
      case T.Nil:
        return { type: "nil", pos: t.pos };
      case T.Variable: {
        const v: VariableNode = { type: "variable", pos: t.pos, ident: t.val.split(".") };
        if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
        return v;
      }
      case T.Field:
        return { type: "field", pos: t.pos, ident: t.val.slice(1).split(".") };
      case T.Bool:
        return { type: "bool", pos: t.pos, value: t.val === "true" };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        try {
          return newNumber(t.pos, t.val, t.typ);
        } catch (e) {
          if (e instanceof GoTemplateParseError) this.errorf(e.message);
          throw e;
        }
      case T.LeftParen:
        return this.pipeline("parenthesized pipeline", T.RightParen);
      case T.String:
      case T.RawString: {
        let s: string;
        try {
          s = unquote(t.val);
        } catch (e) {
          this.errorf((e as Error).message);
        }
        return { type: "string", pos: t.pos, quoted: t.val, text: s };
      }
    }
    this.backup();
    return null;
  }
}

/** Parse a template; throws GoTemplateParseError (Go's message) or GoTemplateUnsupportedError. */
export function parseGoTemplate(text: string): Tree {
  return new Tree(text).parse();
}
