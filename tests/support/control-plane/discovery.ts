// Discovery, both kinds: aggregated (apidiscovery.k8s.io v2 / v2beta1, chosen by Accept) and
// legacy (/api, /apis, /apis/<g>, /apis/<g>/<v>). kubectl 1.32 uses the aggregated form for the
// RESTMapper and the legacy per-group-version list for `auth can-i`.
import { json } from "./http";
import type { Plane } from "./planes";
import { pathNotFound } from "./status";

export interface Served {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { name: string; verbs: string[] }[];
}

const CRUD = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

/** The review endpoints every plane serves. */
export const REVIEWS: Served[] = [
  {
    group: "authentication.k8s.io",
    version: "v1",
    kind: "SelfSubjectReview",
    plural: "selfsubjectreviews",
    singular: "selfsubjectreview",
    namespaced: false,
    verbs: ["create"],
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    singular: "selfsubjectaccessreview",
    namespaced: false,
    verbs: ["create"],
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectRulesReview",
    plural: "selfsubjectrulesreviews",
    singular: "selfsubjectrulesreview",
    namespaced: false,
    verbs: ["create"],
  },
];

export function served(plane: Plane): Served[] {
  const types: Served[] = plane.bindings.map(({ type: t, readOnly }) => ({
    group: t.group,
    version: t.version,
    kind: t.kind,
    plural: t.plural,
    singular: t.singular,
    namespaced: t.namespaced,
    verbs: readOnly ? ["get", "list", "watch"] : CRUD,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
    ...(t.statusSubresource ? { subresources: [{ name: "status", verbs: readOnly ? ["get"] : ["get", "patch", "update"] }] } : {}),
  }));
  return [...types, ...REVIEWS];
}

/** group → version → resources, in first-seen order. */
function grouped(all: Served[]): Map<string, Map<string, Served[]>> {
  const out = new Map<string, Map<string, Served[]>>();
  for (const s of all) {
    const versions = out.get(s.group) ?? new Map<string, Served[]>();
    versions.set(s.version, [...(versions.get(s.version) ?? []), s]);
    out.set(s.group, versions);
  }
  return out;
}

function aggregatedResource(s: Served) {
  const responseKind = { group: s.group, version: s.version, kind: s.kind };
  return {
    resource: s.plural,
    responseKind,
    scope: s.namespaced ? "Namespaced" : "Cluster",
    singularResource: s.singular,
    verbs: s.verbs,
    ...(s.shortNames ? { shortNames: s.shortNames } : {}),
    ...(s.categories ? { categories: s.categories } : {}),
    ...(s.subresources ? { subresources: s.subresources.map((r) => ({ subresource: r.name, responseKind, verbs: r.verbs })) } : {}),
  };
}

export function aggregated(plane: Plane, core: boolean, version: "v2" | "v2beta1"): Response {
  const groups = grouped(served(plane));
  const items = [...groups]
    .filter(([g]) => (g === "") === core)
    .map(([g, versions]) => ({
      metadata: { ...(g ? { name: g } : {}), creationTimestamp: null },
      versions: [...versions].map(([v, list]) => ({ version: v, resources: list.map(aggregatedResource), freshness: "Current" })),
    }));
  if (core && !items.length) items.push({ metadata: { creationTimestamp: null }, versions: [{ version: "v1", resources: [], freshness: "Current" }] });
  const mediaType = `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
  return json({ kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items }, 200, mediaType);
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** Legacy discovery documents; undefined when the path is not a discovery path. */
export function legacy(plane: Plane, path: string, serverAddress: string): Response | undefined {
  const groups = grouped(served(plane));
  if (path === "/api") {
    return json({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] });
  }
  if (path === "/apis") {
    const list = [...groups].filter(([g]) => g !== "").map(([g, versions]) => apiGroup(g, [...versions.keys()]));
    return json({ kind: "APIGroupList", apiVersion: "v1", groups: list });
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)(?:\/([^/]+))?)\/?$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? "";
  const version = m[1] ?? m[3];
  const versions = groups.get(group) ?? (group === "" ? new Map([["v1", []]]) : undefined);
  if (!versions) throw pathNotFound();
  if (!version) return json({ kind: "APIGroup", apiVersion: "v1", ...apiGroup(group, [...versions.keys()]) });
  const list = versions.get(version);
  if (!list) throw pathNotFound();
  const resources = list.flatMap((s) => [
    {
      name: s.plural,
      singularName: s.singular,
      namespaced: s.namespaced,
      kind: s.kind,
      verbs: s.verbs,
      ...(s.shortNames ? { shortNames: s.shortNames } : {}),
      ...(s.categories ? { categories: s.categories } : {}),
    },
    ...(s.subresources ?? []).map((r) => ({ name: `${s.plural}/${r.name}`, singularName: "", namespaced: s.namespaced, kind: s.kind, verbs: r.verbs })),
  ]);
  return json({ kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources });
}
