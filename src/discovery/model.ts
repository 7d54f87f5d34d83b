// The one shape discovery is turned into, whichever way the server answered (aggregated
// apidiscovery.k8s.io v2 / v2beta1, or the legacy per-group-version documents), plus the two
// views kubectl derives from it: the preferred resources (`api-resources`) and the sorted
// group/versions (`api-versions`).

/** A subresource such as `status` or `scale`. */
export interface Subresource {
  name: string;
  kind: string;
  verbs: string[];
}

/** One resource at one group/version. */
export interface ApiResource {
  /** "" for the core group. */
  group: string;
  version: string;
  /** The plural, as URLs and RBAC name it. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: Subresource[];
}

export interface ApiGroup {
  /** "" for the core group. */
  name: string;
  /** In the server's priority order. */
  versions: string[];
  preferredVersion: string;
}

export type DiscoverySource = "aggregated/v2" | "aggregated/v2beta1" | "legacy";

/** A control plane's API surface. */
export interface ApiSurface {
  /** Core group first (when served), then the groups in the server's order. */
  groups: ApiGroup[];
  /** Every resource of every served version: group order, then version order, then the server's order. */
  resources: ApiResource[];
  /** Group/versions whose resources could not be read (stale or failed); the rest is still usable. */
  failed: { groupVersion: string; message: string }[];
  /** How /apis answered. */
  source: DiscoverySource;
  /** RFC 3339, when this was fetched from the server. */
  fetchedAt: string;
}

/** `v1` for the core group, `group/version` otherwise. */
export const groupVersion = (group: string, version: string): string => (group ? `${group}/${version}` : version);

/** `resource.group` (`resource` alone for the core group), as `api-resources -o name` prints it. */
export const qualifiedName = (r: Pick<ApiResource, "resource" | "group">): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

/**
 * kubectl's "preferred resources": each group's resources at its preferred version, plus those
 * only served at other versions (at the first version, in priority order, that has them).
 * Subresources are left out. Order: group, then version, then the server's order.
 */
export function preferredResources(surface: ApiSurface): ApiResource[] {
  const chosen = new Map<string, ApiResource>();
  const preferredOf = new Map(surface.groups.map((g) => [g.name, g.preferredVersion]));
  for (const r of surface.resources) {
    const key = `${r.group}/${r.resource}`;
    if (!chosen.has(key) || r.version === preferredOf.get(r.group)) chosen.set(key, r);
  }
  const picked = new Set(chosen.values());
  return surface.resources.filter((r) => picked.has(r));
}

/** Every served group/version, sorted as `kubectl api-versions` prints them. */
export function groupVersions(surface: ApiSurface): string[] {
  return surface.groups.flatMap((g) => g.versions.map((v) => groupVersion(g.name, v))).sort(byteCompare);
}

/** Go's strings.Compare: by UTF-8 bytes (UTF-16 code units agree outside surrogate pairs). */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

// ---- parsing the server's documents ----

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const objs = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === "object" && !Array.isArray(x)) : []);
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** What a resource's singular is when the server does not say: the kind, lower-cased (as client-go guesses). */
const guessSingular = (kind: string) => kind.toLowerCase();

export interface Parsed {
  groups: ApiGroup[];
  resources: ApiResource[];
  failed: ApiSurface["failed"];
}

/** An APIGroupDiscoveryList (v2 and v2beta1 have the same shape). */
export function parseAggregated(doc: unknown): Parsed {
  const out: Parsed = { groups: [], resources: [], failed: [] };
  for (const item of objs(obj(doc).items)) {
    const name = str(obj(item.metadata).name);
    const versions: string[] = [];
    for (const v of objs(item.versions)) {
      const version = str(v.version);
      if (!version) continue;
      if (v.freshness === "Stale") {
        out.failed.push({ groupVersion: groupVersion(name, version), message: "the server reports this group/version as stale" });
        continue;
      }
      versions.push(version);
      for (const r of objs(v.resources)) {
        const kind = str(obj(r.responseKind).kind);
        const resource = str(r.resource);
        if (!resource || !kind) continue; // client-go skips resources without a kind as well
        out.resources.push({
          group: name,
          version,
          resource,
          singular: str(r.singularResource) || guessSingular(kind),
          kind,
          namespaced: r.scope === "Namespaced",
          verbs: strs(r.verbs),
          shortNames: strs(r.shortNames),
          categories: strs(r.categories),
          subresources: objs(r.subresources)
            .filter((s) => str(s.subresource))
            .map((s) => ({ name: str(s.subresource), kind: str(obj(s.responseKind).kind) || kind, verbs: strs(s.verbs) })),
        });
      }
    }
    if (versions.length) out.groups.push({ name, versions, preferredVersion: versions[0]! });
  }
  return out;
}

/** The legacy `/api` document (APIVersions) as the core group. */
export function legacyCoreGroup(doc: unknown): ApiGroup | undefined {
  const versions = strs(obj(doc).versions);
  return versions.length ? { name: "", versions, preferredVersion: versions[0]! } : undefined;
}

/** The legacy `/apis` document (APIGroupList). */
export function legacyGroups(doc: unknown): ApiGroup[] {
  return objs(obj(doc).groups).flatMap((g) => {
    const name = str(g.name);
    const versions = objs(g.versions)
      .map((v) => str(v.version))
      .filter(Boolean);
    if (!name || !versions.length) return [];
    const preferred = str(obj(g.preferredVersion).version);
    return [{ name, versions, preferredVersion: versions.includes(preferred) ? preferred : versions[0]! }];
  });
}

/** One legacy APIResourceList; `plural/sub` entries become subresources of their parent. */
export function parseResourceList(group: string, version: string, doc: unknown): ApiResource[] {
  const entries = objs(obj(doc).resources);
  const out: ApiResource[] = [];
  const byName = new Map<string, ApiResource>();
  for (const e of entries) {
    const name = str(e.name);
    const kind = str(e.kind);
    if (!name || !kind || name.includes("/")) continue;
    const r: ApiResource = {
      group,
      version,
      resource: name,
      singular: str(e.singularName) || guessSingular(kind),
      kind,
      namespaced: e.namespaced === true,
      verbs: strs(e.verbs),
      shortNames: strs(e.shortNames),
      categories: strs(e.categories),
      subresources: [],
    };
    out.push(r);
    byName.set(name, r);
  }
  for (const e of entries) {
    const [parent, sub] = str(e.name).split("/", 2);
    const r = parent && sub ? byName.get(parent) : undefined;
    if (r) r.subresources.push({ name: sub!, kind: str(e.kind) || r.kind, verbs: strs(e.verbs) });
  }
  return out;
}

/** Checks a cache document's shape; the reason when it is not an ApiSurface. */
export function invalidSurface(v: unknown): string | undefined {
  const s = obj(v);
  if (!Array.isArray(s.groups) || !Array.isArray(s.resources) || !Array.isArray(s.failed)) return "groups, resources or failed is missing";
  if (typeof s.fetchedAt !== "string" || Number.isNaN(Date.parse(s.fetchedAt))) return "fetchedAt is not a time";
  if (s.source !== "aggregated/v2" && s.source !== "aggregated/v2beta1" && s.source !== "legacy") return "unknown source";
  const isStrs = (x: unknown) => Array.isArray(x) && x.every((e) => typeof e === "string");
  for (const g of s.groups as unknown[]) {
    const o = obj(g);
    if (typeof o.name !== "string" || !isStrs(o.versions) || typeof o.preferredVersion !== "string") return "a group is malformed";
  }
  for (const r of s.resources as unknown[]) {
    const o = obj(r);
    const textual = ["group", "version", "resource", "singular", "kind"].every((k) => typeof o[k] === "string");
    const lists = ["verbs", "shortNames", "categories"].every((k) => isStrs(o[k]));
    const subs =
      Array.isArray(o.subresources) &&
      (o.subresources as unknown[]).every((x) => typeof obj(x).name === "string" && typeof obj(x).kind === "string" && isStrs(obj(x).verbs));
    if (!textual || !lists || !subs || typeof o.namespaced !== "boolean") return "a resource is malformed";
  }
  for (const f of s.failed as unknown[]) {
    if (typeof obj(f).groupVersion !== "string" || typeof obj(f).message !== "string") return "a failure entry is malformed";
  }
  return undefined;
}
