// Values as the go-template executor sees them: Go's reflect.Value, reduced to what JSON data
// and template literals can be. `iface` marks a value whose static type is interface{} (a map
// element or slice element), which matters for Go's error messages and nil handling.
import { type GoAny, GoNum, goTypeName } from "../go-value";

/** An error a function returns; the executor reports it as "error calling NAME: …". */
export class FuncError extends Error {
  override name = "FuncError";
}

/** A reflect.Value: invalid (no value), or a value whose static type may be interface{}. */
export type Val = { valid: false } | { valid: true; v: GoAny; iface: boolean };

export const NO_VALUE: Val = { valid: false };
export const val = (v: GoAny, iface = false): Val => ({ valid: true, v, iface });

/** reflect.Value.Type().String(). */
export function typeOf(v: Val): string {
  if (!v.valid) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
  return v.iface ? "interface {}" : goTypeName(v.v);
}

/** Go's indirect: through a (non-nil) interface to the value inside. */
export function indirect(v: Val): [Val, boolean] {
  if (v.valid && v.iface) return v.v === null || v.v === undefined ? [v, true] : [val(v.v), false];
  return [v, false];
}

/** indirectInterface: the concrete value inside an interface, or no value for a nil one. */
export function indirectInterface(v: Val): Val {
  if (!v.valid || !v.iface) return v;
  return v.v === null || v.v === undefined ? NO_VALUE : val(v.v);
}

/** isTrue: the truth of a value for if/with/and/or/not. */
export function isTrue(v: Val): boolean {
  if (!v.valid) return false;
  const x = v.v;
  if (v.iface) return x !== null && x !== undefined;
  if (x === null || x === undefined) return false;
  if (typeof x === "boolean") return x;
  if (typeof x === "string") return x.length > 0;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === "number" || x instanceof GoNum) return (x instanceof GoNum ? x.value : x) !== 0;
  return Object.keys(x).length > 0;
}

/** The interface{} a function receives for a value. */
export const toAny = (v: Val): GoAny => (v.valid ? (v.v ?? null) : null);

export type ParamType = "any" | "value" | "string";
