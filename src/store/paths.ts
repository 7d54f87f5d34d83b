// Where datumctl keeps its files. DATUMCTL_CONFIG_DIR moves all of them (CI jobs, the sandbox).
// Plain string joins, no node:path: auth get-token loads this module on kubectl's every call.
import type { Env } from "../runtime";

export function configDir(env: Env): string {
  const dir = env.DATUMCTL_CONFIG_DIR || `${homeDir(env)}/.datumctl`;
  configRoots.add(dir);
  return dir;
}

/**
 * The config dirs this process has resolved: before writing under one, every existing
 * directory from it down to the file is checked (store/private-dir.ts), the root included.
 */
export const configRoots = new Set<string>();

/**
 * $HOME (or %USERPROFILE%); node:os only when neither is set, as its import slows get-token.
 * import.meta.require, not require: the bundler turns `require` into a helper that every chunk
 * holding this module evaluates on load, which alone cost get-token 2 % of its instructions.
 */
export function homeDir(env: Env): string {
  return env.HOME || env.USERPROFILE || (import.meta.require("node:os") as typeof import("node:os")).homedir();
}

export const configFile = (dir: string) => `${dir}/config`;
export const credentialsFile = (dir: string) => `${dir}/credentials.json`;
export const cacheDir = (dir: string) => `${dir}/cache`;
export const tokenCacheDir = (dir: string) => `${dir}/cache/tokens`;
export const locksDir = (dir: string) => `${dir}/cache/locks`;
/** The lock a session's token refresh takes (withFileLock adds `.lock`); doctor names its holder by it. */
export const refreshLockPath = (dir: string, session: string) =>
  `${locksDir(dir)}/refresh-${new Bun.CryptoHasher("sha256").update(session).digest("hex").slice(0, 32)}`;
