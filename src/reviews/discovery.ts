// Just enough discovery for `auth can-i` to turn TYPE into group/resource the way kubectl's
// REST mapper does: aggregated discovery (/api and /apis, two requests), with the legacy
// per-group-version documents as a fallback for servers that ignore the aggregated Accept.
// A fuller discovery layer (disk cache, categories, api-resources) may replace this.
import type { ApiClient } from "../api/client";

export interface ApiResource {
  group: string;
  version: string;
  /** The plural, as URLs and RBAC name it. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
}

const AGGREGATED_ACCEPT = [
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json",
].join(",");

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: {
      version: string;
      resources?: {
        resource: string;
        responseKind?: { kind?: string };
        scope?: string;
        singularResource?: string;
        shortNames?: string[];
      }[];
    }[];
  }[];
}

interface ResourceList {
  resources?: { name: string; singularName?: string; namespaced?: boolean; kind?: string; shortNames?: string[] }[];
}

/** Every resource the control plane serves, core group first, then groups in the server's order. */
export async function discover(client: ApiClient): Promise<ApiResource[]> {
  const [core, groups] = await Promise.all([fetchDoc(client, "/api"), fetchDoc(client, "/apis")]);
  const out: ApiResource[] = [];
  for (const [doc, path] of [[core, "/api"], [groups, "/apis"]] as const) {
    if (!doc) continue;
    if (doc.kind === "APIGroupDiscoveryList") out.push(...fromAggregated(doc as AggregatedList));
    else out.push(...(await fromLegacy(client, path, doc)));
  }
  return out;
}

async function fetchDoc(client: ApiClient, path: string, accept = AGGREGATED_ACCEPT): Promise<Record<string, any> | undefined> {
  const res = await client.call(path, { headers: { accept }, allow: [404] });
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, any>);
}

function fromAggregated(list: AggregatedList): ApiResource[] {
  const out: ApiResource[] = [];
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? "";
    // The first version listed is the preferred one; the mapper prefers it too.
    for (const v of item.versions ?? []) {
      for (const r of v.resources ?? []) {
        const kind = r.responseKind?.kind ?? "";
        out.push({
          group,
          version: v.version,
          resource: r.resource,
          singular: r.singularResource || kind.toLowerCase(),
          kind,
          namespaced: r.scope === "Namespaced",
          shortNames: r.shortNames ?? [],
        });
      }
    }
  }
  return out;
}

async function fromLegacy(client: ApiClient, path: "/api" | "/apis", doc: Record<string, any>): Promise<ApiResource[]> {
  const gvs: { group: string; version: string }[] =
    path === "/api"
      ? (doc.versions ?? []).slice(0, 1).map((v: string) => ({ group: "", version: v }))
      : (doc.groups ?? []).flatMap((g: { name: string; preferredVersion?: { version?: string }; versions?: { version: string }[] }) => {
          const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
          return version ? [{ group: g.name, version }] : [];
        });
  const lists = await Promise.all(
    gvs.map(({ group, version }) => fetchDoc(client, group ? `/apis/${group}/${version}` : `/api/${version}`, "application/json") as Promise<ResourceList | undefined>),
  );
  return gvs.flatMap(({ group, version }, i) =>
    (lists[i]?.resources ?? [])
      .filter((r) => !r.name.includes("/"))
      .map((r) => ({
        group,
        version,
        resource: r.name,
        singular: r.singularName || (r.kind ?? "").toLowerCase(),
        kind: r.kind ?? "",
        namespaced: r.namespaced === true,
        shortNames: r.shortNames ?? [],
      })),
  );
}

export interface GroupResource {
  group: string;
  resource: string;
}

/** kubectl's ParseResourceArg: `res.ver.group` may be fully specified; `res.group` always parses. */
function parseResourceArg(arg: string): { full?: GroupResource & { version: string }; gr: GroupResource } {
  const dot = arg.indexOf(".");
  const gr = dot === -1 ? { resource: arg, group: "" } : { resource: arg.slice(0, dot), group: arg.slice(dot + 1) };
  const parts = arg.split(".");
  if (parts.length < 3) return { gr };
  return { full: { resource: parts[0]!, version: parts[1]!, group: parts.slice(2).join(".") }, gr };
}

/**
 * TYPE → the served resource, as kubectl's shortcut-expanding REST mapper finds it: plural or
 * singular name first, then short names, then short names in a group named by its prefix
 * ("autoscal" for "autoscaling"), then the kind. Case-insensitive. Undefined when nothing matches.
 */
export function findResource(all: ApiResource[], typeArg: string): ApiResource | undefined {
  const { full, gr } = parseResourceArg(typeArg.toLowerCase());
  if (full) {
    const m = match(all.filter((r) => r.version === full.version), full);
    if (m) return m;
  }
  return match(all, gr);
}

function match(all: ApiResource[], want: GroupResource): ApiResource | undefined {
  const inGroup = (r: ApiResource) => !want.group || r.group === want.group;
  const name = want.resource;
  return (
    all.find((r) => inGroup(r) && (r.resource === name || r.singular === name)) ??
    all.find((r) => inGroup(r) && r.shortNames.includes(name)) ??
    (want.group ? all.find((r) => r.group.startsWith(want.group) && r.shortNames.includes(name)) : undefined) ??
    all.find((r) => inGroup(r) && r.kind.toLowerCase() === name)
  );
}

/** For kubectl's warning: the resource and group as it parsed them (lower-cased). */
export function parsedType(typeArg: string): GroupResource {
  return parseResourceArg(typeArg.toLowerCase()).gr;
}
