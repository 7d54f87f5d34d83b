// Which kubeconfig users run `datumctl auth get-token --session=<s>` for given sessions, so
// logout can name what would stop working. Read-only; unreadable or corrupt files are skipped.
import { existsSync } from "node:fs";
import type { Env } from "../runtime";
import { entriesOf, entryName, isObject, type KubeconfigFile, readKubeconfig } from "./document";
import { kubeconfigPaths } from "./paths";

/** The kubeconfig files kubectl would read that exist. */
export function kubeconfigFiles(env: Env): string[] {
  return kubeconfigPaths(env).files.filter((f) => existsSync(f));
}

/** The session an exec entry pins with `--session=<s>` or `--session <s>`. */
export function pinnedSession(args: unknown[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = String(args[i]);
    if (a.startsWith("--session=")) return a.slice("--session=".length);
    if (a === "--session" && i + 1 < args.length) return String(args[i + 1]);
  }
  return undefined;
}

export function kubeconfigUsersOf(env: Env, sessions: Set<string>): { file: string; user: string; session: string }[] {
  const found: { file: string; user: string; session: string }[] = [];
  for (const file of kubeconfigFiles(env)) {
    let kc: KubeconfigFile;
    try {
      kc = readKubeconfig(file);
    } catch {
      continue;
    }
    for (const u of entriesOf(kc, "users")) {
      const name = entryName(u);
      const exec = isObject(u.user) ? u.user.exec : undefined;
      const args = isObject(exec) ? exec.args : undefined;
      if (name === undefined || !Array.isArray(args)) continue;
      const session = pinnedSession(args);
      if (session && sessions.has(session)) found.push({ file, user: name, session });
    }
  }
  return found;
}
