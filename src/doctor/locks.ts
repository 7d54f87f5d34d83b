// Lock files: who holds them and which are left over. Our locks are `<file>.lock` directories
// (src/store/lock.ts) whose mtime the holder refreshes while it works; one older than its stale
// time was left by a process that died. kubectl's own kubeconfig lock is a plain file that it
// never expires, so a leftover one blocks `kubectl config` (and update-kubeconfig) for good.
// Our locks name their holder's pid; for the rest, the holders shown are the datumctl processes running now.
import { holderIsGone, LOCK_STALE_MS } from "../store/lock";
import { readdirSync, statSync, type Stats } from "node:fs";
import { basename, join } from "node:path";
import { configFile, credentialsFile, locksDir, refreshLockPath } from "../store/paths";
import { kubeconfigEntriesFile } from "../store/kubeconfig-entries";
import { type Check, duration } from "./report";

/** Stale times, as src/store/lock.ts and src/kubeconfig/lock.ts set them. */
export const STORE_LOCK_STALE_MS = LOCK_STALE_MS;
export const KUBECONFIG_LOCK_STALE_MS = 10_000;
/** kubectl holds its lock for a write's few milliseconds; one this old is left over. */
export const KUBECTL_LOCK_STALE_MS = 10_000;
/** A live lock held this long suggests a stuck holder (a hung proxy: kubelogin users have hit exactly this). */
export const LONG_HELD_MS = 60_000;

const section = "Locks" as const;

interface LockTarget {
  path: string;
  what: string;
  kind: "store" | "kubeconfig";
}

export interface Holder {
  pid: number;
  command: string;
}

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function lockTargets(configDir: string, sessions: string[], kubeconfigs: string[]): LockTarget[] {
  const targets: LockTarget[] = [
    { path: `${configFile(configDir)}.lock`, what: "Config lock", kind: "store" },
    { path: `${credentialsFile(configDir)}.lock`, what: "Credentials file lock", kind: "store" },
    { path: `${kubeconfigEntriesFile(configDir)}.lock`, what: "Kubeconfig entries record lock", kind: "store" },
  ];
  const bySession = new Map(sessions.map((s) => [`${basename(refreshLockPath(configDir, s))}.lock`, s]));
  const dir = locksDir(configDir);
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith(".lock"))
      .sort();
  } catch {
    // no locks directory yet
  }
  for (const n of names) {
    const session = bySession.get(n);
    // session-keys.ts locks an entry that sessions saved before per-session keys still share.
    const what = session ? `Token refresh lock of ${session}` : n.startsWith("shared-credentials-") ? "Shared credentials lock" : "Token refresh lock";
    targets.push({ path: join(dir, n), what, kind: "store" });
  }
  for (const k of kubeconfigs) targets.push({ path: `${k}.lock`, what: "Kubeconfig lock", kind: "kubeconfig" });
  return targets;
}

/** datumctl processes running now (not this one), from ps; [] where that cannot be told. */
export function datumctlProcesses(): Holder[] {
  if (process.platform === "win32") return [];
  try {
    const r = Bun.spawnSync(["ps", "-axo", "pid=,args="], { stdout: "pipe", stderr: "ignore", timeout: 2_000 });
    if (r.exitCode !== 0) return [];
    const found: Holder[] = [];
    for (const line of r.stdout.toString().split("\n")) {
      const m = /^\s*(\d+)\s+(\S+)(.*)$/.exec(line);
      if (!m || Number(m[1]) === process.pid) continue;
      if (!/^datumctl(?:\.exe)?$/.test(basename(m[2]!))) continue;
      // The subcommand only: arguments are none of our business (and could name files).
      const words = m[3]!
        .trim()
        .split(/\s+/)
        .filter((w) => w && !w.startsWith("-"))
        .slice(0, 2);
      found.push({ pid: Number(m[1]), command: ["datumctl", ...words].join(" ") });
    }
    return found;
  } catch {
    return [];
  }
}

const describeHolders = (hs: Holder[]) =>
  hs.length === 0 ? "no datumctl process is running now" : `datumctl processes running now: ${hs.map((h) => `PID ${h.pid} (${h.command})`).join(", ")}`;

export function lockChecks(targets: LockTarget[], now = Date.now(), holders: () => Holder[] = datumctlProcesses): Check[] {
  const checks: Check[] = [];
  let running: Holder[] | undefined;
  const procs = () => (running ??= holders());
  for (const t of targets) {
    const st = stat(t.path);
    if (!st) continue;
    const age = Math.max(0, now - st.mtimeMs);
    const base = { section, name: "lock", subject: t.path } as const;
    if (!st.isDirectory()) {
      // kubectl's lock (O_EXCL file); nobody else makes a plain file there.
      if (age > KUBECTL_LOCK_STALE_MS) {
        checks.push({
          ...base,
          status: "fail",
          detail: `${t.what} ${t.path} is a kubectl lock file left behind ${duration(age)} ago; 'kubectl config' and 'datumctl auth update-kubeconfig' fail until it is gone`,
          fix: `rm ${t.path}   (when no kubectl is running)`,
        });
      } else {
        checks.push({ ...base, status: "ok", detail: `${t.what} ${t.path} is held by kubectl right now (${duration(age)} old)` });
      }
      continue;
    }
    const stale = t.kind === "kubeconfig" ? KUBECONFIG_LOCK_STALE_MS : STORE_LOCK_STALE_MS;
    // Our own locks name their holder: one whose process is gone is abandoned whatever its age.
    if (age > stale || (t.kind !== "kubeconfig" && holderIsGone(t.path))) {
      const holdersNow = describeHolders(procs());
      checks.push(
        t.kind === "kubeconfig"
          ? {
              ...base,
              status: "fail",
              detail: `${t.what} ${t.path} is stale: last refreshed ${duration(age)} ago by a datumctl that has stopped (${holdersNow}); kubectl's config commands fail while it exists`,
              fix: `rm -r ${t.path}`,
            }
          : {
              ...base,
              status: "warn",
              detail: `${t.what} ${t.path} is stale: last refreshed ${duration(age)} ago by a datumctl that has stopped (${holdersNow}); the next datumctl takes it over`,
              fix: `rm -r ${t.path}`,
            },
      );
      continue;
    }
    const heldFor = st.birthtimeMs > 0 ? Math.max(0, now - st.birthtimeMs) : undefined;
    const holdersNow = describeHolders(procs());
    if (heldFor !== undefined && heldFor > LONG_HELD_MS) {
      checks.push({
        ...base,
        status: "warn",
        detail: `${t.what} ${t.path} has been held for ${duration(heldFor)}; its holder may be stuck (${holdersNow})`,
        fix: procs().length
          ? `kill ${procs()
              .map((h) => h.pid)
              .join(" ")}   (if they are stuck: other datumctl and kubectl calls wait on this lock)`
          : `rm -r ${t.path}`,
      });
    } else {
      checks.push({ ...base, status: "ok", detail: `${t.what} ${t.path} is held right now (refreshed ${duration(age)} ago; ${holdersNow})` });
    }
  }
  if (checks.length === 0) checks.push({ section, name: "lock", status: "ok", detail: "No locks held, none left behind" });
  return checks;
}
