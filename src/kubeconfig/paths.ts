// Which kubeconfig files kubectl would read, in its order (client-go's loading rules):
// an explicit --kubeconfig alone; else every entry of $KUBECONFIG (split on ':' or ';' on
// Windows, empty entries dropped, duplicates kept once); else ~/.kube/config.
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { Env } from "../runtime";
import { homeDir } from "../store/paths";

export interface KubeconfigPaths {
  /** Absolute paths, first wins when two define the same name. */
  files: string[];
  /** --kubeconfig was given: that one file is read and written, whatever else exists. */
  explicit: boolean;
}

/** `~/x` → `$HOME/x` (a flag value the shell did not expand), then absolute against cwd. */
export function absolutePath(path: string, env: Env, cwd = process.cwd()): string {
  const expanded = path === "~" || path.startsWith("~/") || path.startsWith("~\\") ? join(homeDir(env), path.slice(1)) : path;
  return resolve(cwd, expanded);
}

export function kubeconfigPaths(env: Env, explicit?: string, cwd = process.cwd()): KubeconfigPaths {
  if (explicit) return { files: [absolutePath(explicit, env, cwd)], explicit: true };
  const list = (env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  if (list.length > 0) return { files: [...new Set(list.map((f) => absolutePath(f, env, cwd)))], explicit: false };
  return { files: [join(homeDir(env), ".kube", "config")], explicit: false };
}

/**
 * Where kubectl puts a name no file defines yet (client-go's GetDefaultFilename): the only
 * file; else the first listed file that exists; else the last one.
 */
export function defaultFile(paths: KubeconfigPaths, exists: (f: string) => boolean = existsSync): string {
  const { files } = paths;
  if (files.length === 1) return files[0]!;
  return files.find(exists) ?? files[files.length - 1]!;
}
