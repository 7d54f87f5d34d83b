// kubectl 1.32's `explain` plaintext layout, rendered from one OpenAPI v3 group-version
// document. A pure function: the document, the resource, the field path and --recursive in;
// stdout text and (maybe) an error out. kubectl writes the GROUP/KIND/VERSION header before
// it walks the field path, so a missing field still prints the header: `out` carries it.
//
// Rules kept from kubectl (all visible in its output):
//   - the kind is found through the resource's list/item paths (get, post, put, patch, delete
//     operations' x-kubernetes-group-version-kind), then the first schema (by sorted name)
//     tagged with that GVK;
//   - $ref (fragment-only, #/components/schemas/…) is followed, allOf alternatives, array
//     items and map values (additionalProperties) are looked through, and a $ref already on
//     the current path stops the walk (cycles);
//   - fields are listed by sorted name; descriptions are wrapped (76 columns for the
//     DESCRIPTION block, 78 minus the indent for a field) and indented, lines kept;
//   - a field's type is []T for arrays, map[string]T for maps, the last dotted part of a
//     $ref'd object schema's name (ObjectMeta), a $ref'd primitive's own type, `Object` for
//     objects and for schemas without a type;
//   - enums: `ENUM:` one per line for the explained field, `enum: a, b, c, d, ....` (four at
//     most) under a field in a list.
import { jsonEqual as deepEqual } from "../manifests/merge-patch";
import { goKeys, goPrint, indent, isObject, type Json, truthy, wordWrap } from "./text";

export interface ExplainTarget {
  group: string;
  version: string;
  /** The plural resource name, as discovery serves it. */
  resource: string;
}

export type ExplainErrorKind = "field" | "resource" | "kind" | "schema";

/** An error kubectl's template raises; `message` is kubectl's text without the `error: ` prefix. */
export class ExplainFailure extends Error {
  constructor(
    readonly kind: ExplainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ExplainFailure";
  }
}

export interface Rendered {
  /** What kubectl writes to stdout (the header alone when the field path fails). */
  out: string;
  error?: ExplainFailure;
}

/** GroupVersionResource.String(): `group/version, Resource=plural`. */
export const gvrString = (t: ExplainTarget): string => `${t.group}/${t.version}, Resource=${t.resource}`;

const obj = (v: unknown): Json => (isObject(v) ? v : {});

/** Follows a fragment-only JSON reference (`#/components/schemas/X`) within the document. */
export function resolveRef(ref: unknown, doc: Json): Json | undefined {
  if (typeof ref !== "string" || !ref.startsWith("#") || ref.length < 2) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cur: Json = doc;
  for (const part of fragment.split("/")) {
    if (!part) continue;
    const next = cur[part];
    if (!isObject(next)) return undefined;
    cur = next;
  }
  return cur;
}

/** The schema a $ref points to when it resolves to something, else the schema itself. */
function resolved(schema: unknown, doc: Json): Json {
  const s = obj(schema);
  const target = resolveRef(s.$ref, doc);
  return target && truthy(target) ? target : s;
}

const refOf = (schema: unknown): string => {
  const r = obj(schema).$ref;
  return typeof r === "string" ? r : "";
};

/** additionalProperties when it is a schema (not `true`/`false`). */
const mapValues = (s: Json): unknown => (truthy(s.additionalProperties) && typeof s.additionalProperties !== "boolean" ? s.additionalProperties : undefined);

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

class Renderer {
  constructor(
    private readonly doc: Json,
    private readonly recursive: boolean,
  ) {}

  /**
   * A schema's own description, then its allOf alternatives', items' and map values', one per
   * line. kubectl has no cycle check here and never finishes on a schema whose description
   * walk comes back to itself; this stops with an error instead.
   */
  description(schema: unknown, seen: ReadonlySet<string> = new Set()): string {
    const ref = refOf(schema);
    if (ref && seen.has(ref)) throw new ExplainFailure("schema", `the description of ${ref} refers back to itself`);
    const chain = ref ? new Set(seen).add(ref) : seen;
    const s = resolved(schema, this.doc);
    if (!truthy(s)) return "";
    let out = "";
    if (truthy(s.description)) out += `${goPrint(s.description)}\n`;
    for (const alt of list(s.allOf)) out += this.description(alt, chain);
    if (truthy(s.items)) out += this.description(s.items, chain);
    const values = mapValues(s);
    if (values !== undefined) out += this.description(values, chain);
    return out;
  }

  typeGuess(schema: unknown): string {
    if (!truthy(schema)) throw new ExplainFailure("schema", "expected schema argument to subtemplate 'typeguess'");
    const s = obj(schema);
    if (truthy(s.items)) return `[]${this.typeGuess(s.items)}`;
    const values = mapValues(s);
    if (values !== undefined) return `map[string]${this.typeGuess(values)}`;
    const allOf = list(s.allOf);
    if (allOf.length === 1 && !truthy(s.properties)) return this.typeGuess(allOf[0]);
    if (truthy(s.$ref)) {
      const ref = goPrint(s.$ref);
      const target = resolveRef(s.$ref, this.doc);
      if (!target || !truthy(target) || !truthy(target.type) || target.type === "object") {
        const name = ref.split("/").at(-1)!;
        return name.split(".").at(-1) || "Object";
      }
      return goPrint(target.type);
    }
    if (s.type === "object") return "Object";
    return truthy(s.type) ? goPrint(s.type) : "Object";
  }

  /** `ENUM:` block (long) or the `enum: …` line under a listed field (short, four at most). */
  enumOf(schema: unknown, long: boolean, indentAmount = 0): string {
    const values = obj(schema).enum;
    if (!truthy(schema) || !truthy(values) || !Array.isArray(values)) return "";
    const limit = long ? -1 : 4;
    let out = long ? "ENUM:" : `\n${" ".repeat(indentAmount)}enum: `;
    for (const [i, v] of values.entries()) {
      if (limit > -1 && i >= limit) {
        out += ", ....";
        break;
      }
      if (long) out += "\n    ";
      else if (i > 0) out += ", ";
      out += v === "" ? '""' : goPrint(v);
    }
    return out;
  }

  /** One field of `parent`: name, type, -required-, enum, and (unless short) its description. */
  fieldDetail(name: string, parent: Json, short: boolean, level: number): string {
    const indentAmount = level * 2;
    const field = obj(parent.properties)[name];
    let out = `${indent(indentAmount, name)}\t<${this.typeGuess(field)}>`;
    if (list(parent.required).some((r) => deepEqual(r, name))) out += " -required-";
    out += this.enumOf(field, false, indentAmount);
    out += "\n";
    if (!short) {
      const description = obj(field).description;
      const text = truthy(description) ? goPrint(description) : "<no description>";
      out += `${indent(indentAmount + 2, wordWrap(text, 78 - indentAmount))}\n\n`;
    }
    return out;
  }

  fieldList(schema: unknown, level: number, history: ReadonlySet<string>): string {
    const ref = refOf(schema);
    if (ref && history.has(ref)) return "";
    const next = new Set(history).add(ref);
    const s = resolved(schema, this.doc);
    let out = "";
    const properties = obj(s.properties);
    for (const name of goKeys(s.properties)) {
      out += this.fieldDetail(name, s, this.recursive, level);
      if (this.recursive) out += this.fieldList(properties[name], level + 1, next);
    }
    for (const alt of list(s.allOf)) out += this.fieldList(alt, level, next);
    if (truthy(s.items)) out += this.fieldList(s.items, level, next);
    const values = mapValues(s);
    if (values !== undefined) out += this.fieldList(values, level, next);
    return out;
  }

  /** Walks the field path; at its end, the DESCRIPTION and FIELDS blocks. "" when the path does not exist. */
  output(schema: unknown, path: readonly string[], history: ReadonlySet<string>): string {
    const ref = refOf(schema);
    const next = new Set(history).add(ref);
    const s = resolved(schema, this.doc);
    if (path.length === 0) {
      let out = "DESCRIPTION:\n";
      out += `${indent(4, wordWrap(this.description(s) || "<empty>", 76))}\n`;
      const fields = this.fieldList(s, 1, new Set());
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && history.has(ref)) return "";
    const field = path[0]!;
    const properties = obj(s.properties);
    if (truthy(s.properties) && Object.hasOwn(properties, field) && truthy(properties[field])) {
      const sub = properties[field];
      let out = "";
      if (path.length === 1) out += `FIELD: ${field} <${this.typeGuess(sub)}>\n${this.enumOf(sub, true)}\n\n`;
      return out + this.output(sub, path.slice(1), new Set());
    }
    if (truthy(s.items)) return this.output(s.items, path, next);
    const values = mapValues(s);
    if (values !== undefined) return this.output(values, path, next);
    for (const alt of list(s.allOf)) {
      const out = this.output(alt, path, next);
      if (out) return out;
    }
    return "";
  }
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** The GVK kubectl reads off the resource's operations (the last path that has any wins). */
function kindOf(doc: Json, t: ExplainTarget): unknown {
  const prefix = t.group ? `/apis/${t.group}` : "/api";
  const candidates = [
    [prefix, t.version, t.resource],
    [prefix, t.version, t.resource, "{name}"],
    [prefix, t.version, "namespaces", "{namespace}", t.resource],
    [prefix, t.version, "namespaces", "{namespace}", t.resource, "{name}"],
  ].map((parts) => parts.join("/"));
  const paths = obj(doc.paths);
  let gvk: unknown = "";
  for (const p of candidates) {
    const item = paths[p];
    if (!truthy(item) || !isObject(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (!truthy(op)) continue;
      gvk = obj(op)["x-kubernetes-group-version-kind"];
      if (truthy(gvk)) break;
    }
  }
  return gvk;
}

/** kubectl explain's plaintext output for `target` and `fieldPath` from one group-version document. */
export function renderExplain(doc: Json, target: ExplainTarget, fieldPath: readonly string[], recursive: boolean): Rendered {
  const gvk = kindOf(doc, target);
  if (!truthy(gvk)) return { out: "", error: new ExplainFailure("resource", `GVR (${gvrString(target)}) not found in OpenAPI schema`) };
  const g = obj(gvk);
  let out = "";
  if (truthy(g.group)) out += `GROUP:      ${goPrint(g.group)}\n`;
  out += `KIND:       ${goPrint(g.kind)}\n`;
  out += `VERSION:    ${goPrint(g.version)}\n\n`;

  const r = new Renderer(doc, recursive);
  const schemas = obj(obj(doc.components).schemas);
  let body = "";
  try {
    for (const name of goKeys(schemas)) {
      const schema = schemas[name];
      if (!list(obj(schema)["x-kubernetes-group-version-kind"]).some((k) => deepEqual(k, gvk))) continue;
      body = r.output(schema, fieldPath, new Set());
      if (!body) return { out, error: new ExplainFailure("field", `field "${fieldPath.at(-1)}" does not exist`) };
      break;
    }
  } catch (e) {
    if (e instanceof ExplainFailure) return { out, error: e };
    throw e;
  }
  if (!body) return { out, error: new ExplainFailure("kind", `GVK ${goPrint(gvk)} not found in OpenAPI schema`) };
  return { out: `${out}${body}\n` };
}
