// Where datumctl keeps its files. DATUMCTL_CONFIG_DIR moves all of them (CI jobs, the sandbox).
import { homedir } from "node:os";
import { join } from "node:path";
import type { Env } from "../cli/command";

export function configDir(env: Env): string {
  return env.DATUMCTL_CONFIG_DIR || join(env.HOME || homedir(), ".datumctl");
}

export const configFile = (dir: string) => join(dir, "config");
export const credentialsFile = (dir: string) => join(dir, "credentials.json");
export const cacheDir = (dir: string) => join(dir, "cache");
export const tokenCacheDir = (dir: string) => join(dir, "cache", "tokens");
