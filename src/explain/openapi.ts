// The control plane's OpenAPI v3: the root index (`/openapi/v3`, one entry per group/version
// with a serverRelativeURL carrying `?hash=`), and the group/version documents it points at.
// A document named by its hash never changes, so it is kept on disk,
// `<config dir>/cache/openapi/<api host>/<scope key>/<group_version>-<hash>.json`
// (0600, written atomically), and the older copies of the same group/version are removed.
// The root index is asked for every time, as kubectl does.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient } from "../api/client";
import type { Runtime } from "../runtime";
import { hostDirName, scopeKey } from "../discovery/cache";
import { DatumctlError } from "../errors";
import { vlog } from "../log/verbose";
import type { Scope } from "../scope/resolve";
import { writeFileAtomic } from "../store/atomic";
import { cacheDir } from "../store/paths";
import { isObject, type Json } from "./text";

export interface OpenApiTarget {
  client: Pick<ApiClient, "call" | "url">;
  scope: Scope;
  subject: string;
}

type Rt = Pick<Runtime, "io" | "globals" | "configDir">;

/** `apis/<group>/<version>`, or `api/<version>` for the core group: the root index's keys. */
export const groupVersionPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

/** The root index: group/version path → serverRelativeURL. */
export async function openApiPaths(target: OpenApiTarget): Promise<Map<string, string>> {
  const res = await target.client.call("/openapi/v3");
  let doc: unknown;
  try {
    doc = await res.json();
  } catch (e) {
    throw new DatumctlError(`the server's OpenAPI v3 index is not JSON: ${(e as Error).message}`, { code: "SERVER" });
  }
  const paths = new Map<string, string>();
  const entries = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
  for (const [gv, entry] of Object.entries(entries)) {
    if (isObject(entry) && typeof entry.serverRelativeURL === "string") paths.set(gv, entry.serverRelativeURL);
  }
  return paths;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, "_");

function cachePlace(rt: Rt, target: OpenApiTarget, gvPath: string, url: string): { dir: string; prefix: string; file: string } | undefined {
  const hash = new URL(url, "http://x").searchParams.get("hash");
  if (!hash) return undefined;
  const dir = join(cacheDir(rt.configDir), "openapi", hostDirName(target.client.url("")), scopeKey(target.scope, target.subject));
  const prefix = `${safeName(gvPath)}-`;
  return { dir, prefix, file: join(dir, `${prefix}${safeName(hash)}.json`) };
}

function readCached(rt: Rt, file: string): Json | undefined {
  try {
    const doc: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isObject(doc)) return doc;
    vlog(rt, 3, `OpenAPI cache ${file} is not an object; fetching it again`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") vlog(rt, 3, `OpenAPI cache ${file} unreadable: ${(e as Error).message}`);
  }
  return undefined;
}

function writeCached(rt: Rt, place: { dir: string; prefix: string; file: string }, text: string): void {
  try {
    writeFileAtomic(place.file, text);
    for (const name of readdirSync(place.dir)) {
      const path = join(place.dir, name);
      if (name.startsWith(place.prefix) && name.endsWith(".json") && path !== place.file) rmSync(path, { force: true });
    }
  } catch (e) {
    vlog(rt, 3, `could not cache ${place.file}: ${(e as Error).message}`);
  }
}

/** One group/version document, from the cache when its hash is known there. */
export async function groupVersionDocument(rt: Rt, target: OpenApiTarget, gvPath: string, serverRelativeURL: string): Promise<Json> {
  const place = cachePlace(rt, target, gvPath, serverRelativeURL);
  const cached = place && readCached(rt, place.file);
  if (cached) return cached;
  const res = await target.client.call(serverRelativeURL.startsWith("/") ? serverRelativeURL : `/${serverRelativeURL}`);
  const text = await res.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DatumctlError(`failed to parse openapi schema for ${gvPath}: ${(e as Error).message}`, { code: "SERVER" });
  }
  if (!isObject(doc)) throw new DatumctlError(`failed to parse openapi schema for ${gvPath}: not a JSON object`, { code: "SERVER" });
  if (place) writeCached(rt, place, text);
  return doc;
}
