// Shared shapes of the local control plane: JSON objects, resource type descriptors, the
// request log. Kept free of behaviour so every other module can import it.

/** A Kubernetes object or any JSON map. `any` on purpose: objects are schemaless JSON here. */
// biome-ignore lint: JSON documents are untyped by nature
export type Obj = Record<string, any>;

/** A (very) small OpenAPI v3 schema, the subset CRDs use. */
export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: string[];
  format?: string;
  default?: unknown;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "map" | "set";
  "x-kubernetes-list-map-keys"?: string[];
}

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  priority?: number;
  description?: string;
  format?: string;
}

/** One served resource: what discovery, openapi, tables and the REST handlers need. */
export interface ResourceType {
  group: string; // "" for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** additionalPrinterColumns; undefined means the CRD default (NAME, AGE). */
  columns?: PrinterColumn[];
  /** Built-in kinds render their own rows (events). */
  table?: "events";
  statusSubresource?: boolean;
  schema: Schema;
  /** Storage shared by several API shapes (core and events.k8s.io events). */
  storage: string;
  /** Field selectors beyond metadata.name / metadata.namespace. */
  fieldSelectors?: string[];
  /** Convert between the stored shape and this API's shape (events.k8s.io/v1). */
  fromStorage?: (o: Obj) => Obj;
  toStorage?: (o: Obj) => Obj;
}

export type PlaneKind = "root" | "user" | "organization" | "project";

export interface PlaneRef {
  kind: PlaneKind;
  /** user sub, organization id or project id; "" for the root. */
  id: string;
  /** URL path prefix; "" for the root. */
  prefix: string;
}

export interface LoggedRequest {
  method: string;
  /** Full path as sent, prefix included, without the query. */
  path: string;
  /** Path inside the control plane (prefix removed). */
  planePath: string;
  /** Which control plane it hit; null when the prefix named no known control plane. */
  plane: PlaneRef | null;
  query: Record<string, string>;
  /** Request headers, lower-case names; authorization is "Bearer <redacted>". */
  headers: Record<string, string>;
  /** Request body as text; protobuf bodies as "<protobuf N bytes>". */
  body: string;
  status: number;
  /** Response Content-Type. */
  contentType: string;
}

export interface Subject {
  sub: string;
  /** Username as reviews and Forbidden messages show it (the email when known). */
  username: string;
  groups: string[];
}

export const apiVersionOf = (t: { group: string; version: string }) => (t.group ? `${t.group}/${t.version}` : t.version);

/** "dnszones.dns.networking.miloapis.com", or "events" for the core group. */
export const groupResource = (t: { group: string; plural: string }) => (t.group ? `${t.plural}.${t.group}` : t.plural);

export const clone = <T>(v: T): T => structuredClone(v);

export const isMap = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
