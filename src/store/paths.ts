// Where datumctl keeps its files. DATUMCTL_CONFIG_DIR moves all of them (CI jobs, the sandbox).
import { join } from "node:path";
import type { Env } from "../cli/command";

export function configDir(env: Env): string {
  return env.DATUMCTL_CONFIG_DIR || join(homeDir(env), ".datumctl");
}

/** $HOME (or %USERPROFILE%); node:os only when neither is set, as its import slows get-token. */
export function homeDir(env: Env): string {
  return env.HOME || env.USERPROFILE || (require("node:os") as typeof import("node:os")).homedir();
}

export const configFile = (dir: string) => join(dir, "config");
export const credentialsFile = (dir: string) => join(dir, "credentials.json");
export const cacheDir = (dir: string) => join(dir, "cache");
export const tokenCacheDir = (dir: string) => join(dir, "cache", "tokens");
