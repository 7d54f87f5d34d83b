// Structural-schema checks the apiserver runs on custom resources: types, required fields,
// enums (422 Invalid), and unknown fields, which are pruned, warned about or (Strict) refused.
import type { Cause } from "./status";
import { isMap, type Obj, type Schema } from "./types";

export interface Checked {
  causes: Cause[];
  /** Paths of fields the schema does not declare, e.g. "spec.foo"; already pruned from the object. */
  unknown: string[];
}

const typeName = (v: unknown) =>
  Array.isArray(v)
    ? "array"
    : v === null
      ? "null"
      : typeof v === "number"
        ? Number.isInteger(v)
          ? "integer"
          : "number"
        : typeof v === "object"
          ? "object"
          : typeof v;

const quote = (v: unknown) => JSON.stringify(v);
const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** A schema with no properties and no additionalProperties keeps anything (metadata, free-form maps). */
const freeForm = (s: Schema) =>
  s["x-kubernetes-preserve-unknown-fields"] === true || (s.type === "object" && !s.properties && s.additionalProperties === undefined);

function typeOk(s: Schema, v: unknown): boolean {
  switch (s.type) {
    case "object":
      return isMap(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    default:
      return true;
  }
}

function walk(s: Schema, v: unknown, path: string, out: Checked) {
  if (!typeOk(s, v)) {
    const t = typeName(v);
    out.causes.push({ reason: "FieldValueTypeInvalid", field: path, message: `Invalid value: "${t}": ${path} in body must be of type ${s.type}: "${t}"` });
    return;
  }
  if (s.enum && !s.enum.includes(v as string)) {
    out.causes.push({
      reason: "FieldValueNotSupported",
      field: path,
      message: `Unsupported value: ${quote(v)}: supported values: ${s.enum.map(quote).join(", ")}`,
    });
  }
  if (Array.isArray(v) && s.items) v.forEach((item, i) => walk(s.items!, item, `${path}[${i}]`, out));
  if (!isMap(v) || freeForm(s)) return;
  for (const key of Object.keys(v)) {
    if (v[key] === null) {
      delete v[key]; // non-nullable fields: nulls are dropped, as the apiserver prunes them
      continue;
    }
    const child = s.properties?.[key] ?? (isMap(s.additionalProperties) ? s.additionalProperties : undefined);
    if (child) walk(child, v[key], join(path, key), out);
    else if (s.additionalProperties !== true) {
      out.unknown.push(join(path, key));
      delete v[key];
    }
  }
  for (const r of s.required ?? []) {
    if (!(r in v)) out.causes.push({ reason: "FieldValueRequired", field: join(path, r), message: "Required value" });
  }
}

/** Check `o` against the kind's schema; prunes unknown fields in place. */
export function check(schema: Schema, o: Obj): Checked {
  const out: Checked = { causes: [], unknown: [] };
  walk(schema, o, "", out);
  return out;
}
