// ~/.datumctl/config: sessions, contexts and the context cache, in the Go tool's
// datumctl.config.datum.net/v1beta1 schema so both tools can share the file.
// The parsed object is kept whole, so fields this version does not know survive a write.
import { readFileSync } from "node:fs";
import type { IO } from "../io";
import { DatumctlError } from "../errors";
import { writeFileAtomic } from "./atomic";
import { withFileLock } from "./lock";
import { configFile } from "./paths";

export const CONFIG_API_VERSION = "datumctl.config.datum.net/v1beta1";
export const CONFIG_KIND = "DatumctlConfig";

export interface Endpoint {
  server: string;
  "auth-hostname": string;
  "tls-server-name"?: string;
  "insecure-skip-tls-verify"?: boolean;
  /** Base64 of a PEM bundle. */
  "certificate-authority-data"?: string;
  [unknown: string]: unknown;
}

export interface Session {
  /** `<email>@<api host>` */
  name: string;
  /** The credential store key: `<session name>@<auth host>` (older versions and the Go tool: `<identity>@<auth host>`). */
  "user-key": string;
  "user-email": string;
  "user-name"?: string;
  "last-context"?: string;
  endpoint: Endpoint;
  [unknown: string]: unknown;
}

export interface ConfigContext {
  /** `<session>/<org>[/<project>]` */
  name: string;
  session: string;
  "organization-id": string;
  "project-id"?: string;
  namespace?: string;
  [unknown: string]: unknown;
}

export interface CachedOrganization {
  id: string;
  "display-name"?: string;
  session: string;
  [unknown: string]: unknown;
}

export interface CachedProject {
  id: string;
  "display-name"?: string;
  "org-id": string;
  session: string;
  [unknown: string]: unknown;
}

export interface DatumctlConfig {
  apiVersion: string;
  kind: string;
  "active-session"?: string;
  "current-context"?: string;
  sessions?: Session[];
  contexts?: ConfigContext[];
  cache?: {
    organizations?: CachedOrganization[];
    projects?: CachedProject[];
    "last-refreshed"?: string;
    [unknown: string]: unknown;
  };
  [unknown: string]: unknown;
}

export function emptyConfig(): DatumctlConfig {
  return { apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, cache: {} };
}

class CorruptConfig extends Error {}

async function parse(path: string): Promise<DatumctlConfig> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyConfig();
    throw e;
  }
  if (text.trim() === "") return emptyConfig();
  const YAML = await import("yaml");
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new CorruptConfig(firstLine((e as Error).message));
  }
  // Only comments, or `~`: as empty as an empty file.
  if (doc === null || doc === undefined) return emptyConfig();
  if (typeof doc !== "object" || Array.isArray(doc)) throw new CorruptConfig("it is not a YAML mapping");
  const cfg = doc as DatumctlConfig;
  for (const key of ["sessions", "contexts"] as const) {
    if (cfg[key] !== undefined && cfg[key] !== null && !Array.isArray(cfg[key])) throw new CorruptConfig(`"${key}" is not a list`);
  }
  cfg.apiVersion ||= CONFIG_API_VERSION;
  cfg.kind ||= CONFIG_KIND;
  cfg.cache ??= {};
  return cfg;
}

const firstLine = (s: string) => s.split("\n")[0]!;

/** Reads the config. A corrupt file is reported and read as empty; it is never overwritten. */
export async function loadConfig(dir: string, io: IO): Promise<DatumctlConfig> {
  const path = configFile(dir);
  try {
    return await parse(path);
  } catch (e) {
    if (!(e instanceof CorruptConfig)) throw e;
    io.err(`warning: ignoring ${path}: ${e.message}; carrying on as if it were empty\n`);
    return emptyConfig();
  }
}

/** Read-modify-write under the config lock. `change` may return a value for the caller. */
export async function updateConfig<T>(dir: string, change: (cfg: DatumctlConfig) => T | Promise<T>): Promise<T> {
  const path = configFile(dir);
  return withFileLock(path, async () => {
    let cfg: DatumctlConfig;
    try {
      cfg = await parse(path);
    } catch (e) {
      if (!(e instanceof CorruptConfig)) throw e;
      throw new DatumctlError(`cannot update ${path}: ${e.message}`, {
        code: "INVALID_INPUT",
        hint: `Move it aside (mv ${path} ${path}.bak) and run the command again.`,
      });
    }
    const result = await change(cfg);
    const YAML = await import("yaml");
    // YAML 1.1 rules, as the Go tool reads them: "on", "No" or "1_000" get quoted, so an id or
    // display name never turns into a boolean or a number there.
    writeFileAtomic(path, YAML.stringify(cfg, { lineWidth: 0, version: "1.1" }));
    return result;
  });
}

/** The session commands act as: the current context's, else the active one (Go issue #248). */
export function activeSession(cfg: DatumctlConfig): Session | undefined {
  const ctx = cfg.contexts?.find((c) => c.name === cfg["current-context"]);
  const name = ctx?.session ?? cfg["active-session"];
  return name === undefined ? undefined : cfg.sessions?.find((s) => s.name === name);
}

export function currentContext(cfg: DatumctlConfig): ConfigContext | undefined {
  return cfg.contexts?.find((c) => c.name === cfg["current-context"]);
}
