// Go value formatting shared by the kubectl template printers (jsonpath, custom-columns,
// go-template): how Go's fmt prints %v/%s/%d/%q/… and %#v, how encoding/json marshals, and
// strconv.Quote. Written from the documented behaviour of Go 1.23 (the toolchain kubectl 1.32
// is built with) and checked against goldens recorded from kubectl.
//
// The value model is JSON as kubectl decodes it (apimachinery keeps integers as int64):
//   null → nil interface; boolean → bool; string → string; number → int64 when integral
//   (and within int64), float64 otherwise; array → []interface {}; object → map[string]interface {}.
// Values a template makes itself (an integer literal, len's result, a range index) are Go
// `int`s, and a literal like 1.0 is a float64 even though it is integral: those are boxed in
// GoNum so they print and compare as Go would.

/** A number whose Go type is not the one its JS value implies. */
export class GoNum {
  constructor(
    readonly value: number,
    readonly type: "int" | "int64" | "float64" | "uint8",
  ) {}
}

export type GoMap = { [key: string]: GoAny };
export type GoAny = null | undefined | boolean | string | number | GoNum | GoAny[] | GoMap;

/** An error a printer raises. `message` is kubectl's text (without its "error: " prefix),
 * `reason` the engine's own message, `partialOutput` what kubectl had already written to stdout. */
export class PrinterError extends Error {
  constructor(
    message: string,
    readonly reason: string = message,
    readonly partialOutput: string = "",
  ) {
    super(message);
    this.name = "PrinterError";
  }
}

const INT64_LIMIT = 2 ** 63;

/** Does a plain JSON number decode to int64 (true) or float64 (false)? */
export const isGoInt = (n: number) => Number.isInteger(n) && Math.abs(n) < INT64_LIMIT;

export type GoKind = "nil" | "bool" | "string" | "int" | "float" | "map" | "slice";

export function goKind(v: GoAny): GoKind {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return isGoInt(v) ? "int" : "float";
  if (v instanceof GoNum) return v.type === "float64" ? "float" : "int";
  if (Array.isArray(v)) return "slice";
  return "map";
}

/** The Go type name, as %T and fmt's error verbs print it. */
export function goTypeName(v: GoAny): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return isGoInt(v) ? "int64" : "float64";
  if (v instanceof GoNum) return v.type;
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

export const numberOf = (v: GoAny): number => (v instanceof GoNum ? v.value : (v as number));

/** Go sorts string map keys by their bytes, i.e. by code point. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const sortedKeys = (m: GoMap) => Object.keys(m).sort(compareKeys);

// ---------------------------------------------------------------------------------------------
// Floats: Go's strconv.FormatFloat for 'e', 'f' and 'g', shortest or with a precision.

interface Decimal {
  /** Significant digits without leading zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

/** The shortest digits that read back as x (JS and Go agree on these). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const [mant, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const d = mant.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of a double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  digits = digits.replace(/0+$/, "");
  return { d: digits, dp };
}

/** Round to nd significant digits, half to even on exact ties (strconv's decimal.Round). */
function roundDecimal(dec: Decimal, nd: number): Decimal {
  if (nd < 0) return { d: "", dp: dec.dp };
  if (nd >= dec.d.length) return dec;
  const next = dec.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < dec.d.length) up = true; // more digits after the 5
  else up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1; // exactly half: to even
  let digits = dec.d.slice(0, nd);
  let dp = dec.dp;
  if (up) {
    const arr = digits.split("").map(Number);
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === 9) {
      arr[i] = 0;
      i--;
    }
    if (i < 0) {
      arr.unshift(1);
      arr.pop();
      dp++;
      if (arr.length === 0) arr.push(1);
    } else arr[i]!++;
    digits = arr.join("");
  }
  return { d: digits.replace(/0+$/, ""), dp };
}

function fmtE(dec: Decimal, prec: number, e: "e" | "E"): string {
  let s = dec.d.length ? dec.d[0]! : "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += i < dec.d.length ? dec.d[i]! : "0";
  }
  const exp = dec.d.length ? dec.dp - 1 : 0;
  const abs = Math.abs(exp);
  return `${s}${e}${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

function fmtF(dec: Decimal, prec: number): string {
  let s = "";
  if (dec.dp > 0) {
    for (let i = 0; i < dec.dp; i++) s += i < dec.d.length ? dec.d[i]! : "0";
  } else s = "0";
  if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) {
      const j = dec.dp + i;
      s += j >= 0 && j < dec.d.length ? dec.d[j]! : "0";
    }
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64). prec < 0 means shortest. */
export function formatFloat(x: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let dec: Decimal;
  if (shortest) {
    dec = shortestDecimal(x);
    if (fmt === "e" || fmt === "E") prec = Math.max(dec.d.length - 1, 0);
    else if (fmt === "f") prec = Math.max(dec.d.length - dec.dp, 0);
    else prec = dec.d.length;
  } else {
    const exact = exactDecimal(x);
    if (fmt === "e" || fmt === "E") dec = roundDecimal(exact, prec + 1);
    else if (fmt === "f") dec = roundDecimal(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      dec = roundDecimal(exact, prec);
    }
    if (dec.d === "" && exact.d !== "" && (fmt === "e" || fmt === "E" || fmt === "g" || fmt === "G")) dec = { d: "", dp: 0 };
  }
  let body: string;
  if (fmt === "e" || fmt === "E") body = fmtE(dec, prec, fmt);
  else if (fmt === "f") body = fmtF(dec, prec);
  else {
    let eprec = prec;
    if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length;
    if (shortest) eprec = 6;
    const exp = dec.dp - 1;
    if (dec.d.length && (exp < -4 || exp >= eprec)) {
      let p = prec;
      if (p > dec.d.length) p = dec.d.length;
      body = fmtE(dec, p - 1, fmt === "g" ? "e" : "E");
    } else {
      let p = prec;
      if (p > dec.dp) p = dec.d.length;
      body = fmtF(dec, Math.max(p - dec.dp, 0));
    }
  }
  return (neg ? "-" : "") + body;
}

/** A float64 as %v prints it: 1.2345675e+06, 1e-05, 0.0001, 3. */
export const goFloat = (x: number) => formatFloat(x, "g", -1);

// ---------------------------------------------------------------------------------------------
// strconv.Quote and encoding/json strings.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: a double-quoted Go string literal, printable runes kept as they are. */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (c < 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (!ascii && c >= 0x80 && PRINTABLE.test(ch) && !(c >= 0xd800 && c <= 0xdfff)) out += ch;
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out + '"';
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16).padStart(4, "0");
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else out += ch;
  }
  return out + '"';
}

function jsonNumber(v: number | GoNum): string {
  const n = numberOf(v);
  if (v instanceof GoNum ? v.type !== "float64" : isGoInt(n)) return BigInt(n).toString();
  return String(n); // ES number formatting is what encoding/json uses for float64
}

/** encoding/json.Marshal (compact) or MarshalIndent(v, "", indent): keys sorted, HTML-safe. */
export function goJson(v: GoAny, indent = "", depth = 0): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "number" || v instanceof GoNum) return jsonNumber(v);
  const nl = indent ? "\n" + indent.repeat(depth + 1) : "";
  const end = indent ? "\n" + indent.repeat(depth) : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[" + v.map((x) => nl + goJson(x, indent, depth + 1)).join(",") + end + "]";
  }
  const keys = sortedKeys(v);
  if (keys.length === 0) return "{}";
  const sep = indent ? ": " : ":";
  return "{" + keys.map((k) => nl + jsonString(k) + sep + goJson(v[k], indent, depth + 1)).join(",") + end + "}";
}

// ---------------------------------------------------------------------------------------------
// fmt: Sprint, Sprintln, Sprintf and %v / %#v.

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid?: number;
  prec?: number;
  sharpV: boolean;
  plusV: boolean;
}

const noFlags = (): Flags => ({ minus: false, plus: false, sharp: false, space: false, zero: false, sharpV: false, plusV: false });

const runeLen = (s: string) => [...s].length;

function pad(s: string, f: Flags): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeLen(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

/** Pad a number, putting zero padding after its sign. */
function padNumber(s: string, f: Flags): string {
  if (f.zero && !f.minus && f.wid !== undefined && (s[0] === "-" || s[0] === "+" || s[0] === " ")) {
    return s[0] + pad(s.slice(1), { ...f, wid: f.wid - 1 });
  }
  return pad(s, f);
}

/** %!verb(type=value); the value is printed with %v and the verb's flags, as fmt does. */
function badVerb(verb: string, v: GoAny, f: Flags = noFlags()): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v, "v", f, 0)})`;
}

function fmtInteger(n: number, verb: string, f: Flags): string | null {
  let big = BigInt(n);
  const neg = big < 0n;
  if (neg) big = -big;
  let digits: string;
  switch (verb) {
    case "v":
    case "d":
      digits = big.toString();
      break;
    case "b":
      digits = big.toString(2);
      break;
    case "o":
    case "O":
      digits = big.toString(8);
      break;
    case "x":
      digits = big.toString(16);
      break;
    case "X":
      digits = big.toString(16).toUpperCase();
      break;
    case "c":
      return pad(String.fromCodePoint(Number(big)), f);
    case "q":
      return pad("'" + goQuote(String.fromCodePoint(Number(big))).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'") + "'", f);
    case "U":
      return pad("U+" + big.toString(16).toUpperCase().padStart(4, "0"), f);
    default:
      return null;
  }
  if (f.prec !== undefined) {
    digits = f.prec === 0 && big === 0n ? "" : digits.padStart(f.prec, "0");
  } else if (f.zero && !f.minus && f.wid !== undefined) {
    const signLen = neg || f.plus || f.space ? 1 : 0;
    digits = digits.padStart(f.wid - signLen, "0");
  }
  if (f.sharp) {
    if (verb === "x") digits = "0x" + digits;
    else if (verb === "X") digits = "0X" + digits;
    else if (verb === "o" && !digits.startsWith("0")) digits = "0" + digits;
    else if (verb === "b") digits = "0b" + digits;
  }
  if (verb === "O") digits = "0o" + digits;
  const sign = neg ? "-" : f.plus ? "+" : f.space ? " " : "";
  return pad(sign + digits, { ...f, zero: false });
}

function fmtFloatVerb(x: number, verb: string, f: Flags): string | null {
  let s: string;
  switch (verb) {
    case "v":
    case "g":
      s = formatFloat(x, "g", f.prec ?? -1);
      break;
    case "G":
      s = formatFloat(x, "G", f.prec ?? -1);
      break;
    case "e":
    case "E":
      s = formatFloat(x, verb, f.prec ?? 6);
      break;
    case "f":
    case "F":
      s = formatFloat(x, "f", f.prec ?? 6);
      break;
    default:
      return null;
  }
  if (f.plus && !s.startsWith("-")) s = "+" + s;
  else if (f.space && !s.startsWith("-")) s = " " + s;
  return padNumber(s, f);
}

function fmtString(s: string, verb: string, f: Flags): string | null {
  switch (verb) {
    case "v":
      if (f.sharpV) return pad(goQuote(s), f);
      return pad(f.prec !== undefined ? [...s].slice(0, f.prec).join("") : s, f);
    case "s":
      return pad(f.prec !== undefined ? [...s].slice(0, f.prec).join("") : s, f);
    case "q":
      if (f.sharp && !s.includes("`") && ![...s].some((c) => c !== "\t" && !PRINTABLE.test(c))) return pad("`" + s + "`", f);
      return pad(goQuote(f.prec !== undefined ? [...s].slice(0, f.prec).join("") : s, f.plus), f);
    case "x":
    case "X": {
      let bytes = [...new TextEncoder().encode(s)];
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      let hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join(f.space ? " " : "");
      if (f.sharp) hex = bytes.map((b) => "0x" + b.toString(16).padStart(2, "0")).join(f.space ? " " : "");
      return pad(verb === "X" ? hex.toUpperCase() : hex, f);
    }
    default:
      return null;
  }
}

/** One value with one verb, as fmt's printArg/printValue do. depth > 0 inside maps and slices. */
function formatValue(v: GoAny, verb: string, f: Flags, depth: number): string {
  if (v === null || v === undefined) {
    if (f.sharpV) return depth > 0 ? "interface {}(nil)" : "<nil>";
    if (verb === "v" || depth > 0) return pad("<nil>", f);
    return badVerb(verb, v, f);
  }
  if (verb === "T") return pad(goTypeName(v), f);
  if (typeof v === "boolean") {
    if (verb === "v" || verb === "t") return pad(v ? "true" : "false", f);
    return badVerb(verb, v, f);
  }
  if (typeof v === "string") return fmtString(v, verb, f) ?? badVerb(verb, v, f);
  if (typeof v === "number" || v instanceof GoNum) {
    const n = numberOf(v);
    if (goKind(v) === "int") return fmtInteger(n, verb, f) ?? badVerb(verb, v, f);
    return fmtFloatVerb(n, verb, f) ?? badVerb(verb, v, f);
  }
  if (Array.isArray(v)) {
    if (f.sharpV) return "[]interface {}{" + v.map((x) => formatValue(x, verb, f, depth + 1)).join(", ") + "}";
    return "[" + v.map((x) => formatValue(x, verb, f, depth + 1)).join(" ") + "]";
  }
  const keys = sortedKeys(v);
  if (f.sharpV) {
    return "map[string]interface {}{" + keys.map((k) => goQuote(k) + ":" + formatValue(v[k], verb, f, depth + 1)).join(", ") + "}";
  }
  return "map[" + keys.map((k) => formatValue(k, verb, f, depth + 1) + ":" + formatValue(v[k], verb, f, depth + 1)).join(" ") + "]";
}

/** fmt.Sprint(v): the %v text of one value. */
export const goString = (v: GoAny): string => formatValue(v, "v", noFlags(), 0);

/** fmt.Sprintf("%#v", v). */
export const goSharpV = (v: GoAny): string => formatValue(v, "v", { ...noFlags(), sharpV: true }, 0);

/** fmt.Sprint(args...): spaces between operands when neither side is a string. */
export function goSprint(args: GoAny[]): string {
  let out = "";
  args.forEach((a, i) => {
    const isString = typeof a === "string";
    if (i > 0 && !isString && typeof args[i - 1] !== "string") out += " ";
    out += goString(a);
  });
  return out;
}

/** fmt.Sprintln(args...): always spaces, then a newline. */
export const goSprintln = (args: GoAny[]): string => args.map(goString).join(" ") + "\n";

/** fmt.Sprintf(format, args...). */
export function goSprintf(format: string, args: GoAny[]): string {
  let out = "";
  let argNum = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    // flags
    for (; i < n; i++) {
      const c = format[i];
      if (c === "#") f.sharp = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "+") f.plus = true;
      else if (c === "-") {
        f.minus = true;
        f.zero = false;
      } else if (c === " ") f.space = true;
      else break;
    }
    // width
    if (format[i] === "*") {
      i++;
      const a = args[argNum++];
      if (goKind(a) === "int") {
        f.wid = numberOf(a);
        if (f.wid < 0) {
          f.minus = true;
          f.zero = false;
          f.wid = -f.wid;
        }
      } else out += "%!(BADWIDTH)";
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.wid = Number(m[0]);
        i += m[0].length;
      }
    }
    // precision
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const a = args[argNum++];
        if (goKind(a) === "int" && numberOf(a) >= 0) f.prec = numberOf(a);
        else out += "%!(BADPREC)";
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (i >= n) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++];
    if (verb === "v") {
      if (f.sharp) {
        f.sharp = false;
        f.sharpV = true;
      }
      if (f.plus) {
        f.plus = false;
        f.plusV = true;
      }
    }
    if (verb === "w") {
      out += badVerb(verb, arg, f);
      continue;
    }
    out += formatValue(arg, verb, f, 0);
  }
  if (argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((a) => (a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${goString(a)}`)).join(", ") + ")";
  }
  return out;
}
