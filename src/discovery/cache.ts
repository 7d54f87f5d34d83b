// The discovery cache on disk: one JSON file per control plane,
// `<config dir>/cache/discovery/<api host>/<scope key>.json`, written atomically with mode
// 0600, trusted for 6 hours (under ~/.datumctl, not kubectl's ~/.kube cache, whose raw-URL paths the Go tool shared; no `:` or other
// characters Windows refuses in any name).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Runtime } from "../runtime";
import { vlog } from "../log/verbose";
import type { Scope } from "../scope/resolve";
import { writeFileAtomic } from "../store/atomic";
import { cacheDir } from "../store/paths";
import { type ApiSurface, invalidSurface } from "./model";

export const CACHE_TTL_MS = 6 * 60 * 60 * 1000;
const FORMAT = 1;

/** A host as a directory name: lower case, anything but [a-z0-9.-] as `_` (127.0.0.1:8443 → 127.0.0.1_8443). */
export function hostDirName(baseUrl: string): string {
  return new URL(baseUrl).host.toLowerCase().replace(/[^a-z0-9.-]/g, "_");
}

/** An id in a file name: [a-z0-9.-] as is, every other byte as `_xx`, so distinct ids stay distinct. */
function escapeId(id: string): string {
  let out = "";
  for (const ch of id) {
    if (/[a-z0-9.-]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch)) out += `_${b.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** `project-web`, `organization-acme`, `user-<sub>` or `platform`. */
export function scopeKey(scope: Scope, subject: string): string {
  switch (scope.kind) {
    case "project":
      return `project-${escapeId(scope.project)}`;
    case "organization":
      return `organization-${escapeId(scope.organization)}`;
    case "user":
      return `user-${escapeId(subject)}`;
    case "platform":
      return "platform";
  }
}

export function cacheFile(configDir: string, baseUrl: string, scope: Scope, subject: string): string {
  return join(cacheDir(configDir), "discovery", hostDirName(baseUrl), `${scopeKey(scope, subject)}.json`);
}

interface CacheDoc extends ApiSurface {
  format: number;
  /** The control plane's base URL, so a file is never used for another one. */
  server: string;
}

type Rt = Pick<Runtime, "io" | "globals">;

/**
 * The cached surface if the file exists, belongs to `server` and is younger than the TTL.
 * A file that cannot be read as a cache is warned about (naming it) and treated as absent.
 */
export function readCache(rt: Rt, file: string, server: string, now = Date.now()): ApiSurface | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") vlog(rt, 3, `discovery cache ${file} unreadable: ${(e as Error).message}`);
    return undefined;
  }
  let doc: CacheDoc;
  try {
    doc = JSON.parse(text) as CacheDoc;
    const reason = doc?.format !== FORMAT ? "unknown format" : typeof doc.server !== "string" ? "server is missing" : invalidSurface(doc);
    if (reason) throw new Error(reason);
  } catch (e) {
    rt.io.err(`Warning: ignoring corrupt discovery cache ${file} (${(e as Error).message}); fetching discovery again\n`);
    return undefined;
  }
  if (doc.server !== server) return undefined;
  const age = now - Date.parse(doc.fetchedAt);
  if (age < 0 || age >= CACHE_TTL_MS) return undefined;
  const { groups, resources, failed, source, fetchedAt } = doc;
  return { groups, resources, failed, source, fetchedAt };
}

/** Writes the cache; a failure to write is logged at -v 3 and otherwise ignored (as kubectl does). */
export function writeCache(rt: Rt, file: string, server: string, surface: ApiSurface): void {
  const { groups, resources, failed, source, fetchedAt } = surface;
  const doc: CacheDoc = { format: FORMAT, server, groups, resources, failed, source, fetchedAt };
  try {
    writeFileAtomic(file, JSON.stringify(doc) + "\n", 0o600);
  } catch (e) {
    vlog(rt, 3, `could not write the discovery cache ${file}: ${(e as Error).message}`);
  }
}
