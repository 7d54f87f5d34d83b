// Discovery: a control plane's API surface, cached on disk, and the REST mapper over it.
//
//   discover(rt, scoped, { cached? }): Promise<Discovery>
//     The surface of the scoped control plane (groups, preferred versions, resources with
//     their plural, singular, kind, scope, verbs, short names, categories, subresources).
//     cached: true (the default) uses ~/.datumctl/cache/discovery/<host>/<scope key>.json
//     when it is younger than 6 h, else asks the server; cached: false always asks the
//     server. Whatever the server says is written back (0600, atomically) unless part of it
//     failed. Within one command run (one Runtime object) the server is asked at most once
//     per control plane for cached reads.
//
//   resolveResource(rt, scoped, arg): Promise<ApiResource[]>
//     One type argument as a user types it (plural, singular, short name, kind,
//     `resource.group`, `resource.version.group`, `Kind.group`, or a category) → the
//     resources it names: one, or several for a category. Uses the cache; when the type is
//     not found in a cached surface it asks the server once before failing with NOT_FOUND
//     ("the server doesn't have a resource type ..."). Short-name warnings go to stderr.
//
//   resolveIn(surface, arg), preferredResources(surface), groupVersions(surface),
//   qualifiedName(resource): the pure parts, for commands that already hold a surface.
//
// `scoped` is what scopedClient(rt) returns (only client, scope and subject are used).
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import type { Scope } from "../scope/resolve";
import { cacheFile, readCache, writeCache } from "./cache";
import { type DiscoveryClient, fetchSurface } from "./fetch";
import { type OtherPlane, notServedHere } from "./elsewhere";
import { type Resolution, resolveIn } from "./mapper";
import type { ApiResource, ApiSurface } from "./model";

export type { ApiGroup, ApiResource, ApiSurface, Subresource } from "./model";
export { byteCompare, groupVersion, groupVersions, preferredResources, qualifiedName } from "./model";
export { notFoundError, type Resolution, resolveIn } from "./mapper";
export { describeScope, type OtherPlane } from "./elsewhere";
export { CACHE_TTL_MS, cacheFile } from "./cache";
export type { DiscoveryClient } from "./fetch";

export type DiscoveryRuntime = Pick<Runtime, "io" | "globals" | "configDir">;

/** The parts of Scoped discovery uses. */
export interface DiscoveryTarget {
  client: DiscoveryClient;
  scope: Scope;
  /** The session's user id (names the user control plane's cache file). */
  subject: string;
  /** Other planes the session can reach, asked only when a type is not served here (for the hint). */
  otherPlanes?: () => OtherPlane<DiscoveryTarget>[];
}

export interface Discovery extends ApiSurface {
  /** True when read from the disk cache rather than from the server during this run. */
  fromCache: boolean;
  /** The cache file for this control plane. */
  cacheFile: string;
}

export interface DiscoverOptions {
  /** Use the disk cache when fresh (default true); false always asks the server. */
  cached?: boolean;
}

/** Surfaces fetched from the server during one command run, by cache file. */
const fetchedThisRun = new WeakMap<object, Map<string, ApiSurface>>();

export async function discover(rt: DiscoveryRuntime, scoped: DiscoveryTarget, opts: DiscoverOptions = {}): Promise<Discovery> {
  const server = scoped.client.url("");
  const file = cacheFile(rt.configDir, server, scoped.scope, scoped.subject);
  let memo = fetchedThisRun.get(rt);
  if (opts.cached !== false) {
    const fetched = memo?.get(file);
    if (fetched) return { ...fetched, fromCache: false, cacheFile: file };
    const cached = readCache(rt, file, server);
    if (cached) return { ...cached, fromCache: true, cacheFile: file };
  }
  const surface = await fetchSurface(scoped.client);
  if (!surface.failed.length) writeCache(rt, file, server, surface);
  if (!memo) fetchedThisRun.set(rt, (memo = new Map()));
  memo.set(file, surface);
  return { ...surface, fromCache: false, cacheFile: file };
}

export async function resolveResource(rt: DiscoveryRuntime, scoped: DiscoveryTarget, arg: string): Promise<ApiResource[]> {
  const surface = await discover(rt, scoped);
  let resolution: Resolution;
  try {
    resolution = resolveIn(surface, arg);
  } catch (e) {
    if (!(e instanceof DatumctlError) || e.code !== "NOT_FOUND") throw e;
    try {
      // A type created since the cache was written: ask the server once rather than trust a 6-hour-old cache.
      if (!surface.fromCache) throw e;
      resolution = resolveIn(await discover(rt, scoped, { cached: false }), arg);
    } catch (missing) {
      if (!(missing instanceof DatumctlError) || missing.code !== "NOT_FOUND") throw missing;
      throw await notServedHere(missing, arg, scoped.scope, scoped.otherPlanes?.() ?? [], (other) => discover(rt, other));
    }
  }
  for (const w of resolution.warnings) rt.io.err(`Warning: ${w}\n`);
  return resolution.resources;
}
