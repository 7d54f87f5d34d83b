// Which kubeconfig users run `datumctl auth get-token --session=<s>` for given sessions, so
// logout can name what would stop working. Read-only; unreadable files are skipped.
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { parse } from "yaml";
import type { Env } from "../cli/command";
import { homeDir } from "../store/paths";

export function kubeconfigFiles(env: Env): string[] {
  const list = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homeDir(env), ".kube", "config")];
  return [...new Set(list)].filter((f) => existsSync(f));
}

interface KubeUser {
  name?: string;
  user?: { exec?: { args?: string[] } };
}

export function kubeconfigUsersOf(env: Env, sessions: Set<string>): { file: string; user: string; session: string }[] {
  const found: { file: string; user: string; session: string }[] = [];
  for (const file of kubeconfigFiles(env)) {
    let doc: { users?: KubeUser[] } | undefined;
    try {
      doc = parse(readFileSync(file, "utf8")) as { users?: KubeUser[] };
    } catch {
      continue;
    }
    for (const u of doc?.users ?? []) {
      const args = u.user?.exec?.args ?? [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        const session = a.startsWith("--session=") ? a.slice("--session=".length) : a === "--session" ? args[i + 1] : undefined;
        if (session && sessions.has(session) && u.name) found.push({ file, user: u.name, session });
      }
    }
  }
  return found;
}
