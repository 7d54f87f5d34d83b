// Go's fmt for the template printers: Sprint, Sprintln, Sprintf and %v / %#v.
import { PRINTABLE, formatFloat, goQuote } from "./go-strconv";
import { type GoAny, GoNum, goKind, goTypeName, numberOf, sortedKeys } from "./go-value";

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
      return pad(
        "'" +
          goQuote(String.fromCodePoint(Number(big)))
            .slice(1, -1)
            .replace(/\\"/g, '"')
            .replace(/'/g, "\\'") +
          "'",
        f,
      );
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

/** fmt's bound on a width or precision: beyond it a template could ask for gigabytes of padding. */
const tooLarge = (n: number) => n > 1e6 || n < -1e6;

/**
 * A width or precision written in the format, as fmt's parsenum reads it: digits until one
 * arrives when the number is already too large, which swallows the rest of the format (so
 * Go prints %!(NOVERB) and the operands as EXTRA).
 */
function parseNum(format: string, start: number): { num?: number; next: number } {
  let num: number | undefined;
  let i = start;
  for (; i < format.length && format[i]! >= "0" && format[i]! <= "9"; i++) {
    if (num !== undefined && tooLarge(num)) return { next: format.length };
    num = (num ?? 0) * 10 + Number(format[i]);
  }
  return { num, next: i };
}

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
      if (goKind(a) === "int" && !tooLarge(numberOf(a))) {
        f.wid = numberOf(a);
        if (f.wid < 0) {
          f.minus = true;
          f.zero = false;
          f.wid = -f.wid;
        }
      } else out += "%!(BADWIDTH)";
    } else {
      const w = parseNum(format, i);
      f.wid = w.num;
      i = w.next;
    }
    // precision
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const a = args[argNum++];
        if (goKind(a) === "int" && numberOf(a) >= 0 && !tooLarge(numberOf(a))) f.prec = numberOf(a);
        else out += "%!(BADPREC)";
      } else {
        const p = parseNum(format, i);
        f.prec = p.num ?? 0;
        i = p.next;
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
    out +=
      "%!(EXTRA " +
      args
        .slice(argNum)
        .map((a) => (a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${goString(a)}`))
        .join(", ") +
      ")";
  }
  return out;
}
