// The functions a kubectl go-template can call: Go 1.23's text/template builtins (index, slice,
// len, not, and, or, print, printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge) and
// kubectl's exists and base64decode. Each declares its Go parameter types, because the
// executor converts arguments the way reflect would (and reports Go's errors when it cannot).
import { goSprint, goSprintf, goSprintln, goString } from "../go-fmt";
import { type GoAny, GoNum, goKind } from "../go-value";
import { FuncError, NO_VALUE, type ParamType, type Val, indirect, indirectInterface, isTrue, toAny, typeOf, val } from "./value";

export interface Fn {
  params: ParamType[];
  variadic?: ParamType;
  unsupported?: boolean;
  call(argv: Val[]): Val;
}

const str = (s: string) => val(s);
const bool = (b: boolean) => val(b);

// ---- comparison
type Kind = "invalid" | "bool" | "int" | "uint" | "float" | "string";

function basicKind(v: Val): Kind {
  if (!v.valid) return "invalid";
  const x = v.v;
  if (typeof x === "boolean") return "bool";
  if (typeof x === "string") return "string";
  if (x instanceof GoNum && x.type === "uint8") return "uint";
  if (typeof x === "number" || x instanceof GoNum) return goKind(x) === "int" ? "int" : "float";
  return "invalid";
}

const num = (v: Val) => {
  const x = (v as { v: GoAny }).v;
  return x instanceof GoNum ? x.value : (x as number);
};

const INVALID_TYPE = "invalid type for comparison";
const incompatible = (_a: Val, _b: Val) => "incompatible types for comparison";

function eq(argv: Val[]): Val {
  const a = indirectInterface(argv[0]!);
  if (argv.length < 2) throw new FuncError("missing argument for comparison");
  const k1 = basicKind(a);
  for (const raw of argv.slice(1)) {
    const b = indirectInterface(raw);
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) truth = num(a) === num(b);
      else if (a.valid && b.valid) throw new FuncError(incompatible(a, b));
    } else if (k1 === "invalid") {
      // maps, slices, no value: comparable only as nil.
      const aNil = !a.valid;
      const bNil = !b.valid;
      if (a.valid && b.valid && Array.isArray(a.v) !== Array.isArray(b.v)) {
        throw new FuncError(`non-comparable types ${goSprintf("%s", [toAny(a)])}: ${typeOf(a)}, ${typeOf(b)}: ${goString(toAny(b))}`);
      }
      if (aNil || bNil) truth = aNil === bNil;
      else throw new FuncError(`non-comparable type ${goSprintf("%s", [toAny(b)])}: ${typeOf(b)}`);
    } else if (k1 === "int" || k1 === "uint" || k1 === "float") truth = num(a) === num(b);
    else truth = (a as { v: GoAny }).v === (b as { v: GoAny }).v;
    if (truth) return bool(true);
  }
  return bool(false);
}

function lt(argv: Val[]): boolean {
  const a = indirectInterface(argv[0]!);
  const k1 = basicKind(a);
  if (k1 === "invalid") throw new FuncError(INVALID_TYPE);
  const b = indirectInterface(argv[1]!);
  const k2 = basicKind(b);
  if (k2 === "invalid") throw new FuncError(INVALID_TYPE);
  if (k1 !== k2) {
    if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) return num(a) < num(b);
    throw new FuncError(incompatible(a, b));
  }
  if (k1 === "bool") throw new FuncError(INVALID_TYPE);
  if (k1 === "string") return byteLess((a as { v: string }).v, (b as { v: string }).v);
  return num(a) < num(b);
}

function byteLess(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

const le = (argv: Val[]) => lt(argv) || isTrue(eq(argv));

// ---- indexing
const utf8 = (s: string) => new TextEncoder().encode(s);

function indexArg(index: Val, cap: number): number {
  if (!index.valid) throw new FuncError("cannot index slice/array with nil");
  if (basicKind(index) !== "int" && basicKind(index) !== "uint") throw new FuncError(`cannot index slice/array with type ${typeOf(index)}`);
  const x = num(index);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(argv: Val[]): Val {
  let item = indirectInterface(argv[0]!);
  if (!item.valid) throw new FuncError("index of untyped nil");
  for (const raw of argv.slice(1)) {
    const idx = indirectInterface(raw);
    const [it, isNil] = indirect(item);
    if (isNil) throw new FuncError("index of nil pointer");
    const x = (it as { v: GoAny }).v;
    if (Array.isArray(x)) {
      const i = indexArg(idx, x.length);
      if (i === x.length) throw new FuncError("reflect: slice index out of range");
      item = val(x[i] ?? null, true);
    } else if (typeof x === "string") {
      const bytes = utf8(x);
      const i = indexArg(idx, bytes.length);
      if (i === bytes.length) throw new FuncError("reflect: string index out of range");
      item = val(new GoNum(bytes[i]!, "uint8"));
    } else if (x !== null && typeof x === "object" && !(x instanceof GoNum)) {
      if (!idx.valid) throw new FuncError("value is nil; should be of type string");
      if (typeof idx.v !== "string") throw new FuncError(`value has type ${typeOf(idx)}; should be string`);
      item = Object.hasOwn(x, idx.v) ? val(x[idx.v] ?? null, true) : val(null, true);
    } else {
      throw new FuncError(`can't index item of type ${typeOf(it)}`);
    }
  }
  return item;
}

function slice(argv: Val[]): Val {
  const item = indirectInterface(argv[0]!);
  if (!item.valid) throw new FuncError("slice of untyped nil");
  const indexes = argv.slice(1);
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const x = item.v;
  let len: number;
  if (typeof x === "string") {
    if (indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
    len = utf8(x).length;
  } else if (Array.isArray(x)) len = x.length;
  else throw new FuncError(`can't slice item of type ${typeOf(item)}`);
  const idx = [0, len, len];
  indexes.forEach((raw, i) => (idx[i] = indexArg(indirectInterface(raw), len)));
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof x === "string") return val(new TextDecoder().decode(utf8(x).slice(idx[0], idx[1])));
  return val((x as GoAny[]).slice(idx[0], idx[1]));
}

function length(argv: Val[]): Val {
  const [item, isNil] = indirect(argv[0]!);
  if (isNil) throw new FuncError("len of nil pointer");
  if (!item.valid) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
  const x = item.v;
  if (typeof x === "string") return val(new GoNum(utf8(x).length, "int"));
  if (Array.isArray(x)) return val(new GoNum(x.length, "int"));
  if (x !== null && typeof x === "object" && !(x instanceof GoNum)) return val(new GoNum(Object.keys(x).length, "int"));
  throw new FuncError(`len of type ${typeOf(item)}`);
}

// ---- escaping
/** text/template's evalArgs: one string as is, else fmt.Sprint with nils as <no value>. */
function evalArgs(args: Val[]): string {
  if (args.length === 1 && args[0]!.valid && typeof args[0]!.v === "string") return args[0]!.v;
  return goSprint(args.map((a) => (a.valid && a.v !== null && a.v !== undefined ? a.v : "<no value>")));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\uFFFD", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === "<") out += "\\u003C";
    else if (ch === ">") out += "\\u003E";
    else if (ch === "&") out += "\\u0026";
    else if (ch === "=") out += "\\u003D";
    else if (c < 0x20) out += "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c < 0x80) out += ch;
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// ---- kubectl's functions
/** kubectl's exists: could `index item indices…` be evaluated to a non-nil value? */
function exists(argv: Val[]): Val {
  let v: GoAny | typeof NO = argv[0]!.valid ? ((argv[0] as { v: GoAny }).v ?? NO) : NO;
  for (const raw of argv.slice(1)) {
    const i = raw.valid ? (raw as { v: GoAny }).v : null;
    if (v === NO || v === null || v === undefined) return bool(v === NO ? false : false);
    if (Array.isArray(v) || typeof v === "string") {
      if (!(typeof i === "number" || i instanceof GoNum) || goKind(i) !== "int") return bool(false);
      const x = i instanceof GoNum ? i.value : i;
      const len = typeof v === "string" ? utf8(v).length : v.length;
      if (x < 0 || x >= len) return bool(false);
      v = typeof v === "string" ? new GoNum(utf8(v)[x]!, "uint8") : (v[x] ?? null);
    } else if (typeof v === "object" && !(v instanceof GoNum)) {
      const key = i === null || i === undefined ? "" : i;
      if (typeof key !== "string") return bool(false);
      v = Object.hasOwn(v, key) ? (v[key] ?? null) : null;
    } else return bool(false);
  }
  return bool(v !== null && v !== undefined);
}
const NO = Symbol("no value");

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** base64.StdEncoding.DecodeString, with Go's error offsets. */
export function base64DecodeGo(s: string): string {
  const src = utf8(s);
  const out: number[] = [];
  const corrupt = (at: number) => new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  const isNl = (b: number | undefined) => b === 0x0a || b === 0x0d;
  let si = 0;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let done = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return new TextDecoder().decode(new Uint8Array(out));
        throw corrupt(si - j);
      }
      const c = src[si]!;
      si++;
      const d = B64.indexOf(String.fromCharCode(c));
      if (c < 0x80 && d >= 0) {
        dbuf[j] = d;
        continue;
      }
      if (isNl(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw corrupt(si - 1);
      // padding
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== 0x3d) throw corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) throw corrupt(si);
      dlen = j;
      done = true;
      break;
    }
    const v = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (done) return new TextDecoder().decode(new Uint8Array(out));
  }
}

export const FUNCS: Record<string, Fn> = {
  and: { params: ["value"], variadic: "value", call: () => NO_VALUE },
  or: { params: ["value"], variadic: "value", call: () => NO_VALUE },
  call: { params: ["value"], variadic: "value", unsupported: true, call: () => NO_VALUE },
  html: { params: [], variadic: "any", call: (a) => str(htmlEscape(evalArgs(a))) },
  js: { params: [], variadic: "any", call: (a) => str(jsEscape(evalArgs(a))) },
  urlquery: { params: [], variadic: "any", call: (a) => str(queryEscape(evalArgs(a))) },
  index: { params: ["value"], variadic: "value", call: index },
  slice: { params: ["value"], variadic: "value", call: slice },
  len: { params: ["value"], call: length },
  not: { params: ["value"], call: (a) => bool(!isTrue(indirectInterface(a[0]!))) },
  print: { params: [], variadic: "any", call: (a) => str(goSprint(a.map(toAny))) },
  println: { params: [], variadic: "any", call: (a) => str(goSprintln(a.map(toAny))) },
  printf: { params: ["string"], variadic: "any", call: (a) => str(goSprintf(toAny(a[0]!) as string, a.slice(1).map(toAny))) },
  eq: { params: ["value"], variadic: "value", call: eq },
  ne: { params: ["value", "value"], call: (a) => bool(!isTrue(eq(a))) },
  lt: { params: ["value", "value"], call: (a) => bool(lt(a)) },
  le: { params: ["value", "value"], call: (a) => bool(le(a)) },
  gt: { params: ["value", "value"], call: (a) => bool(!le(a)) },
  ge: { params: ["value", "value"], call: (a) => bool(!lt(a)) },
  exists: { params: ["any"], variadic: "any", call: exists },
  base64decode: { params: ["string"], call: (a) => str(base64DecodeGo(toAny(a[0]!) as string)) },
};
