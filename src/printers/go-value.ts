// Go values as the kubectl template printers (jsonpath, custom-columns, go-template) see them;
// go-strconv.ts, go-json.ts and go-fmt.ts print them as Go's strconv, encoding/json and fmt do.
// Written from the documented behaviour of Go 1.23 (the toolchain kubectl 1.32 is built with)
// and checked against goldens recorded from kubectl.
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

const BEYOND_BMP_ORDER = /[\ud800-\uffff]/;

/** Go sorts string map keys by their bytes, i.e. by code point. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  // Below U+D800, UTF-16 order is code point order: the usual keys need no splitting.
  if (!BEYOND_BMP_ORDER.test(a) && !BEYOND_BMP_ORDER.test(b)) return a < b ? -1 : 1;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const sortedKeys = (m: GoMap) => Object.keys(m).sort(compareKeys);
