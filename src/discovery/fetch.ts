// Reading a control plane's API surface over HTTP, the way kubectl 1.32 does: `/api` and
// `/apis` asked for aggregated discovery (apidiscovery.k8s.io v2, else v2beta1) in one
// Accept header, two requests in all. A server that answers with plain JSON instead has sent
// the legacy APIVersions / APIGroupList, and each group/version's APIResourceList is then
// fetched (in parallel). A 404 or 403 on `/api` or `/apis` means "nothing there"; on both,
// the server's error is raised.
import type { CallOptions } from "../api/client";
import { statusError } from "../api/status";
import { DatumctlError, isDatumctlError } from "../errors";
import {
  type ApiGroup,
  type ApiResource,
  type ApiSurface,
  type DiscoverySource,
  groupVersion,
  legacyCoreGroup,
  legacyGroups,
  parseAggregated,
  parseResourceList,
} from "./model";

/** What discovery needs of an API client (ApiClient has it). */
export interface DiscoveryClient {
  call(path: string, opts?: CallOptions): Promise<Response>;
  /** The control plane's URL for a path; url("") is its base. */
  url(path: string): string;
}

export const AGGREGATED_ACCEPT = [
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json",
].join(",");

/** Discovery documents are read whole into memory: at most BODY_LIMIT each. */
const DISCOVERY = "the API discovery document";

type Root = { kind: "aggregated"; version: "v2" | "v2beta1"; body: unknown } | { kind: "legacy"; body: unknown } | { kind: "absent"; res: Response };

/** The aggregated version a Content-Type names, if it names one. */
export function aggregatedVersion(contentType: string | null): "v2" | "v2beta1" | undefined {
  const [type = "", ...rest] = (contentType ?? "").split(";").map((s) => s.trim());
  if (type.toLowerCase() !== "application/json") return undefined;
  const params = new Map(rest.map((p) => [p.slice(0, p.indexOf("=")).trim().toLowerCase(), p.slice(p.indexOf("=") + 1).trim()]));
  if (params.get("g") !== "apidiscovery.k8s.io" || params.get("as") !== "APIGroupDiscoveryList") return undefined;
  const v = params.get("v");
  return v === "v2" || v === "v2beta1" ? v : undefined;
}

async function readJson(res: Response, url: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new DatumctlError(`the server's discovery document at ${url} is not JSON`, { code: "SERVER", retryable: true });
  }
}

async function root(client: DiscoveryClient, path: "/api" | "/apis"): Promise<Root> {
  const res = await client.call(path, { headers: { accept: AGGREGATED_ACCEPT }, allow: [403, 404], bounded: DISCOVERY });
  if (res.status === 403 || res.status === 404) return { kind: "absent", res };
  const body = await readJson(res, client.url(path));
  const version = aggregatedVersion(res.headers.get("content-type"));
  return version ? { kind: "aggregated", version, body } : { kind: "legacy", body };
}

/** Fetches and assembles the whole surface; `now` stamps it. */
export async function fetchSurface(client: DiscoveryClient, now = new Date()): Promise<ApiSurface> {
  const [core, named] = await Promise.all([root(client, "/api"), root(client, "/apis")]);
  if (core.kind === "absent") await core.res.body?.cancel();
  // Neither endpoint there: no control plane at this URL (an unknown project, say), or none
  // this user may see. Say so rather than list nothing.
  if (named.kind === "absent") {
    if (core.kind === "absent") throw await statusError(named.res, client.url("/apis"));
    await named.res.body?.cancel();
  }
  const groups: ApiGroup[] = [];
  const resources: ApiResource[] = [];
  const failed: ApiSurface["failed"] = [];
  const legacyLists: Promise<void>[] = [];

  // Resources of legacy group/versions land in their slot, so the final order is the servers'.
  const slots: ApiResource[][] = [];
  const legacy = (list: ApiGroup[], pathOf: (g: ApiGroup, v: string) => string) => {
    for (const g of list) {
      groups.push(g);
      for (const v of g.versions) {
        const slot: ApiResource[] = [];
        slots.push(slot);
        legacyLists.push(
          (async () => {
            try {
              const res = await client.call(pathOf(g, v), { allow: g.name === "" ? [403, 404] : [], bounded: DISCOVERY });
              if (res.ok) slot.push(...parseResourceList(g.name, v, await readJson(res, client.url(pathOf(g, v)))));
              else await res.body?.cancel(); // core v1 absent: an old or core-less server
            } catch (e) {
              failed.push({ groupVersion: groupVersion(g.name, v), message: isDatumctlError(e) || e instanceof Error ? e.message : String(e) });
            }
          })(),
        );
      }
    }
  };

  for (const [doc, isCore] of [
    [core, true],
    [named, false],
  ] as const) {
    if (doc.kind === "absent") continue;
    if (doc.kind === "aggregated") {
      const parsed = parseAggregated(doc.body);
      // `/api` holds the core group only, `/apis` the named ones; trust the endpoint, not the names.
      const keep = (name: string) => (name === "") === isCore;
      groups.push(...parsed.groups.filter((g) => keep(g.name)));
      slots.push(parsed.resources.filter((r) => keep(r.group)));
      failed.push(...parsed.failed);
    } else if (isCore) {
      const g = legacyCoreGroup(doc.body);
      if (g) legacy([g], (_, v) => `/api/${v}`);
    } else {
      legacy(legacyGroups(doc.body), (g, v) => `/apis/${g.name}/${v}`);
    }
  }
  await Promise.all(legacyLists);
  for (const slot of slots) resources.push(...slot);
  failed.sort((a, b) => (a.groupVersion < b.groupVersion ? -1 : a.groupVersion > b.groupVersion ? 1 : 0));

  const source: DiscoverySource =
    named.kind === "aggregated" ? `aggregated/${named.version}` : core.kind === "aggregated" ? `aggregated/${core.version}` : "legacy";
  return { groups, resources, failed, source, fetchedAt: now.toISOString().replace(/\.\d{3}Z$/, "Z") };
}
