// After logout: the kubeconfig entries that still point at the sessions signed out, and their
// removal. Candidates are what `auth update-kubeconfig` recorded (store/kubeconfig-entries.ts)
// plus, for entries written before that record existed, users found by scanning KUBECONFIG
// (and the `datum-…` contexts and clusters beside them). A candidate is only taken while it
// still is ours: a user that still runs get-token for the session, a context that still uses
// such a user, a cluster no remaining context uses. An entry the user repointed stays.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { Env } from "../runtime";
import { readWrittenEntries, recordWrittenEntries, type WrittenEntry } from "../store/kubeconfig-entries";
import { currentContextOf, entriesOf, entryName, isObject, type KubeconfigFile, readKubeconfig, type Section } from "./document";
import { KubeconfigEdit } from "./edit";
import { type KubeconfigLockOptions, lockKubeconfig } from "./lock";
import { kubeconfigFiles, kubeconfigUsersOf, pinnedSession } from "./session-users";
import { writeKubeconfig } from "./write";

export type LeftEntry = WrittenEntry;

/** The context and cluster names update-kubeconfig gives. */
const OUR_NAME = /^datum-(organization|project)-/;

const body = (e: Record<string, unknown>, key: string) => (isObject(e[key]) ? (e[key] as Record<string, unknown>) : {});

function candidates(env: Env, configDir: string, sessions: Set<string>): WrittenEntry[] {
  const found = readWrittenEntries(configDir).filter((e) => sessions.has(e.session));
  const users = kubeconfigUsersOf(env, sessions);
  // Each file once, however many of its users belong to these sessions.
  for (const file of new Set(users.map((u) => u.file))) {
    let kc: KubeconfigFile | undefined;
    try {
      kc = readKubeconfig(file);
    } catch {
      kc = undefined;
    }
    for (const { user, session } of users.filter((u) => u.file === file)) {
      found.push({ file, section: "users", name: user, session });
      for (const c of kc ? entriesOf(kc, "contexts") : []) {
        const name = entryName(c);
        const ctx = body(c, "context");
        if (!name || !OUR_NAME.test(name) || ctx.user !== user) continue;
        found.push({ file, section: "contexts", name, session });
        if (typeof ctx.cluster === "string" && OUR_NAME.test(ctx.cluster)) found.push({ file, section: "clusters", name: ctx.cluster, session });
      }
    }
  }
  const key = (e: WrittenEntry) => `${e.file}\0${e.section}\0${e.name}`;
  return [...new Map(found.map((e) => [key(e), e])).values()];
}

/** Reads each file once; an unreadable one is left out (and never edited). */
function readAll(files: Iterable<string>): Map<string, KubeconfigFile> {
  const out = new Map<string, KubeconfigFile>();
  for (const f of files) {
    try {
      const kc = readKubeconfig(f);
      if (kc.exists) out.set(f, kc);
    } catch {
      // unreadable or corrupt: not ours to judge or touch
    }
  }
  return out;
}

function entryIn(kc: KubeconfigFile, section: Section, name: string): Record<string, unknown> | undefined {
  return entriesOf(kc, section).find((e) => entryName(e) === name);
}

/** The candidates that still point at their session, judged on the files as they are now. */
function stillOurs(cands: WrittenEntry[], files: Map<string, KubeconfigFile>): WrittenEntry[] {
  const present = cands.filter((c) => files.has(c.file) && entryIn(files.get(c.file)!, c.section, c.name));
  const users = present.filter((c) => {
    if (c.section !== "users") return false;
    const exec = body(body(entryIn(files.get(c.file)!, "users", c.name)!, "user"), "exec");
    return Array.isArray(exec.args) && pinnedSession(exec.args) === c.session;
  });
  const ourUsers = new Set(users.map((u) => u.name));
  const contexts = present.filter(
    (c) => c.section === "contexts" && ourUsers.has(String(body(entryIn(files.get(c.file)!, "contexts", c.name)!, "context").user)),
  );
  const goingContexts = new Set(contexts.map((c) => `${c.file}\0${c.name}`));
  // A cluster stays while any context that stays uses it.
  const used = new Set<string>();
  for (const [file, kc] of files) {
    for (const c of entriesOf(kc, "contexts")) {
      if (goingContexts.has(`${file}\0${entryName(c)}`)) continue;
      const cluster = body(c, "context").cluster;
      if (typeof cluster === "string") used.add(cluster);
    }
  }
  const clusters = present.filter((c) => c.section === "clusters" && !used.has(c.name));
  return [...users, ...contexts, ...clusters];
}

function filesToRead(env: Env, cands: WrittenEntry[]): Set<string> {
  return new Set([...kubeconfigFiles(env), ...cands.map((c) => c.file)]);
}

/** The entries that still point at `sessions` (read-only). */
export function leftoverEntries(env: Env, configDir: string, sessions: Set<string>): LeftEntry[] {
  const cands = candidates(env, configDir, sessions);
  if (cands.length === 0) return [];
  return stillOurs(cands, readAll(filesToRead(env, cands)));
}

/**
 * Removes the entries that still point at `sessions`, each file under kubectl's lock, through
 * the comment-preserving editor; a current-context is unset only where it named a removed
 * context. Resolves to what was removed.
 */
export async function removeLeftoverEntries(env: Env, configDir: string, sessions: Set<string>, lock: KubeconfigLockOptions = {}): Promise<LeftEntry[]> {
  const cands = candidates(env, configDir, sessions);
  if (cands.length === 0) return [];
  const paths = [...filesToRead(env, cands)].filter((f) => existsSync(dirname(f))).sort();
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const f of paths) releases.push(await lockKubeconfig(f, lock));
    // Judged again under the locks: the files may have changed since the list was shown.
    const files = readAll(paths);
    const going = stillOurs(cands, files);
    const goneContexts = new Set(going.filter((e) => e.section === "contexts").map((e) => e.name));
    for (const [path, kc] of files) {
      const mine = going.filter((e) => e.file === path);
      const current = currentContextOf(kc);
      const unset = current !== undefined && goneContexts.has(current);
      if (mine.length === 0 && !unset) continue;
      const edit = new KubeconfigEdit(kc);
      for (const e of mine) edit.remove(e.section, e.name);
      if (unset) edit.setCurrentContext("");
      writeKubeconfig(path, edit.render());
    }
    // Forgotten too: what is no longer in its file (removed by hand, or its file is gone).
    const absent = cands.filter((c) => !files.has(c.file) || !entryIn(files.get(c.file)!, c.section, c.name));
    await recordWrittenEntries(configDir, [], [...going, ...absent]);
    return going;
  } finally {
    for (const release of releases.reverse()) await release().catch(() => {});
  }
}
