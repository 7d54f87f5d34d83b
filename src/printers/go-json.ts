// encoding/json as kubectl's printers marshal: keys sorted, HTML-safe escapes, int64 kept exact.
import { type GoAny, GoNum, isGoInt, numberOf, sortedKeys } from "./go-value";

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
