// Go's strconv for the template printers: FormatFloat ('e', 'f', 'g', shortest or with a
// precision) and Quote.

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
  else if (nd + 1 < dec.d.length)
    up = true; // more digits after the 5
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

// strconv.Quote.

/** strconv.IsPrint for one rune: letters, marks, numbers, punctuation, symbols and the space. */
export const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

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
