// The one JSON encoder: encoding/json as kubectl's printers marshal (keys sorted, HTML-safe
// escapes, int64 kept exact), and, through its options, the other shapes datumctl prints: a
// Go struct's field order, or datumctl's own records as JSON.stringify writes them.
// (The get-token hot path and the error envelope keep their own JSON.stringify on purpose: see
// src/auth/exec-credential.ts and src/errors.ts.)
import { type GoAny, GoNum, isGoInt, numberOf, sortedKeys } from "./go-value";

export interface JsonStyle {
  /** Map keys sorted by bytes, as Go marshals a map (true); or in the object's own order, as Go marshals a struct. */
  sorted?: boolean;
  /** <, >, &, U+2028 and U+2029 escaped, as Go's HTML-safe default does (true). */
  htmlSafe?: boolean;
}

/** Characters any style escapes, and the ones only HTML-safe adds (lone surrogates are checked too). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const PLAIN_HTML_SAFE = /^[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*$/;

function jsonString(s: string, htmlSafe: boolean): string {
  if ((htmlSafe ? PLAIN_HTML_SAFE : PLAIN).test(s)) return `"${s}"`;
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
    else if (c < 0x20 || (htmlSafe && (ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029))) out += "\\u" + c.toString(16).padStart(4, "0");
    else if (c >= 0xd800 && c <= 0xdfff)
      out += "\\ufffd"; // a lone surrogate is invalid UTF-8 to Go
    else out += ch;
  }
  return out + '"';
}

function jsonNumber(v: number | GoNum): string {
  const n = numberOf(v);
  if (!Number.isFinite(n)) return "null"; // a YAML .nan or .inf, as JSON.stringify writes them
  if (v instanceof GoNum ? v.type !== "float64" : isGoInt(n)) return BigInt(n).toString();
  return String(n); // ES number formatting is what encoding/json uses for float64
}

function encode(v: unknown, indent: string, depth: number, sorted: boolean, htmlSafe: boolean): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return jsonString(v, htmlSafe);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || v instanceof GoNum) return jsonNumber(v);
  const nl = indent ? "\n" + indent.repeat(depth + 1) : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i ? "," : "") + nl + encode(v[i], indent, depth + 1, sorted, htmlSafe);
    return out + (indent ? "\n" + indent.repeat(depth) : "") + "]";
  }
  const map = v as Record<string, unknown>;
  const keys = sorted ? sortedKeys(map as never) : Object.keys(map);
  const sep = indent ? ": " : ":";
  let out = "{";
  let first = true;
  for (const k of keys) {
    const x = map[k];
    if (x === undefined) continue; // left out, as JSON.stringify does (a Go struct's omitempty)
    out += (first ? "" : ",") + nl + jsonString(k, htmlSafe) + sep + encode(x, indent, depth + 1, sorted, htmlSafe);
    first = false;
  }
  return first ? "{}" : out + (indent ? "\n" + indent.repeat(depth) : "") + "}";
}

/** encoding/json.Marshal (compact) or MarshalIndent(v, "", indent): by default keys sorted, HTML-safe. */
export function goJson(v: GoAny | unknown, indent = "", style: JsonStyle = {}): string {
  return encode(v, indent, 0, style.sorted ?? true, style.htmlSafe ?? true);
}
