// OpenAPI v3: the root index (paths → serverRelativeURL?hash=) and one document per group
// version, with schemas tagged x-kubernetes-group-version-kind and operations whose patch lists
// fieldValidation, which is how kubectl decides to validate on the server (apply needs it).
import { REVIEWS, served } from "./discovery";
import { META, metaSchemas, refTo } from "./openapi-meta";
import type { Plane } from "./planes";
import { apiVersionOf, type Obj, type ResourceType } from "./types";

/** "dns.networking.miloapis.com" → "com.miloapis.networking.dns"; core → "io.k8s.api.core". */
const schemaPrefix = (group: string, version: string) => {
  if (group === "") return `io.k8s.api.core.${version}`;
  if (group.endsWith(".k8s.io")) return `io.k8s.api.${group.slice(0, -7).split(".").reverse().join(".")}.${version}`;
  return `${group.split(".").reverse().join(".")}.${version}`;
};

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

const param = (name: string, description: string, type = "string") => ({ name, in: "query", description, schema: { type, uniqueItems: true } });
const DRY_RUN = param(
  "dryRun",
  "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed",
);
const FIELD_MANAGER = param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes.");
const FIELD_VALIDATION = param(
  "fieldValidation",
  "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict",
);
const FORCE = param("force", 'Force is going to "force" Apply requests.', "boolean");
const PATH_PARAM = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", uniqueItems: true } });

function responses(schema: string, codes: string[]) {
  const content = { "application/json": { schema: refTo(schema) }, "application/yaml": { schema: refTo(schema) } };
  return Object.fromEntries(codes.map((c) => [c, { description: c === "201" ? "Created" : c === "202" ? "Accepted" : "OK", content }]));
}

function op(action: string, gvk: Obj, schema: string, codes: string[], params: Obj[], body?: Obj) {
  return {
    description: `${action} ${gvk.kind}`,
    operationId: `${action}${gvk.kind}`,
    parameters: params,
    ...(body ? { requestBody: body } : {}),
    responses: responses(schema, codes),
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
  };
}

function pathsFor(t: ResourceType, schema: string): Obj {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const base = `/${gvPath(t.group, t.version)}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.plural}`;
  const nsParams = t.namespaced ? [PATH_PARAM("namespace")] : [];
  const body = (s: string) => ({ content: { "*/*": { schema: refTo(s) } }, required: true });
  const patchBody = {
    content: Object.fromEntries(
      ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"].map((c) => [c, { schema: refTo(`${META}.Patch`) }]),
    ),
    required: true,
  };
  const item = (sub: string) => ({
    get: op("get", gvk, schema, ["200"], []),
    put: op("put", gvk, schema, ["200", "201"], [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body(schema)),
    patch: op("patch", gvk, schema, ["200", "201"], [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], patchBody),
    ...(sub ? {} : { delete: op("delete", gvk, `${META}.Status`, ["200", "202"], [DRY_RUN], body(`${META}.DeleteOptions`)) }),
    parameters: [PATH_PARAM("name"), ...nsParams],
  });
  const out: Obj = {
    [base]: {
      get: op(
        "list",
        gvk,
        `${schema}List`,
        ["200"],
        [
          param("labelSelector", "A selector to restrict the list of returned objects by their labels."),
          param("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
        ],
      ),
      post: op("post", gvk, schema, ["200", "201", "202"], [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body(schema)),
      delete: op("deletecollection", gvk, `${META}.Status`, ["200"], [DRY_RUN]),
      parameters: nsParams,
    },
    [`${base}/{name}`]: item(""),
  };
  if (t.statusSubresource) out[`${base}/{name}/status`] = item("status");
  if (t.namespaced) out[`/${gvPath(t.group, t.version)}/${t.plural}`] = { get: op("list", gvk, `${schema}List`, ["200"], []) };
  return out;
}

/** The group-version document, or undefined when the plane serves no such group version. */
export function groupVersionDoc(plane: Plane, group: string, version: string): Obj | undefined {
  const types = plane.bindings.map((b) => b.type).filter((t) => t.group === group && t.version === version);
  const reviews = REVIEWS.filter((r) => r.group === group && r.version === version);
  if (!types.length && !reviews.length) return undefined;
  const schemas: Obj = metaSchemas();
  let paths: Obj = {};
  for (const t of types) {
    const name = `${schemaPrefix(t.group, t.version)}.${t.kind}`;
    const gvk = [{ group: t.group, version: t.version, kind: t.kind }];
    const props = { ...t.schema.properties, metadata: { allOf: [refTo(`${META}.ObjectMeta`)], description: "Standard object's metadata." } };
    schemas[name] = { ...t.schema, properties: props, "x-kubernetes-group-version-kind": gvk };
    schemas[`${name}List`] = {
      type: "object",
      required: ["items"],
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        items: { type: "array", items: refTo(name) },
        metadata: { allOf: [refTo(`${META}.ListMeta`)] },
      },
      "x-kubernetes-group-version-kind": [{ group: t.group, version: t.version, kind: `${t.kind}List` }],
    };
    paths = { ...paths, ...pathsFor(t, name) };
  }
  for (const r of reviews) {
    const name = `${schemaPrefix(r.group, r.version)}.${r.kind}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    schemas[name] = {
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, spec: { type: "object" }, status: { type: "object" } },
      "x-kubernetes-group-version-kind": [gvk],
    };
    paths[`/apis/${r.group}/${r.version}/${r.plural}`] = {
      post: op("post", gvk, name, ["200", "201", "202"], [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], {
        content: { "*/*": { schema: refTo(name) } },
        required: true,
      }),
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.4-datum" }, paths, components: { schemas } };
}

export function hashOf(doc: Obj): string {
  return new Bun.CryptoHasher("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}

/** /openapi/v3: one entry per group version the plane serves. */
export function rootIndex(plane: Plane): Obj {
  const gvs = new Map<string, [string, string]>();
  for (const s of served(plane)) gvs.set(apiVersionOf(s), [s.group, s.version]);
  const paths: Obj = {};
  for (const [group, version] of gvs.values()) {
    const doc = groupVersionDoc(plane, group, version);
    if (!doc) continue;
    const p = gvPath(group, version);
    // Rooted at /openapi/v3 like a real apiserver: client-go keeps its own path prefix (kubernetes#117463).
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(doc)}` };
  }
  return { paths };
}
