// Modes and owners of what datumctl keeps on disk. Secret files (credentials.json, cached
// access tokens, service-account keys) must be 0600: anything more fails. Our directories
// should be 0700; the config and the kubeconfigs must at least not be writable by others (a
// writable kubeconfig lets someone else choose the command kubectl runs as you).
import { readdirSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { cacheDir, configFile, credentialsFile, locksDir, tokenCacheDir } from "../store/paths";
import { kubeconfigEntriesFile } from "../store/kubeconfig-entries";
import type { Check, Status } from "./report";

type Kind = "private-dir" | "secret" | "config" | "record" | "kubeconfig";

interface Target {
  path: string;
  kind: Kind;
  what: string;
}

const section = "Files" as const;
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function listDir(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(suffix) && !f.startsWith("."))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function who(mode: number, bits: { group: number; other: number }): string {
  const g = (mode & bits.group) !== 0;
  const o = (mode & bits.other) !== 0;
  return g && o ? "its group and everyone else" : o ? "everyone" : "its group";
}

/** The problem with a mode, if any: [status, description, fix]. */
function judge(t: Target, st: Stats): [Status, string, string] | undefined {
  const mode = st.mode & 0o777;
  const dir = t.kind === "private-dir";
  const chmod = `chmod ${dir ? "700" : "600"} ${t.path}`;
  const writable = mode & 0o022;
  const readable = mode & 0o044;
  const access = mode & 0o077;
  switch (t.kind) {
    case "secret":
      if (access) {
        const how = readable
          ? `readable by ${who(mode, { group: 0o040, other: 0o004 })}`
          : writable
            ? `writable by ${who(mode, { group: 0o020, other: 0o002 })}`
            : "open to others";
        return ["fail", `${t.what} ${t.path} is ${octal(mode)}, ${how}, and it holds secrets`, chmod];
      }
      return undefined;
    case "private-dir":
      if (writable)
        return [
          "fail",
          `${t.what} ${t.path} is ${octal(mode)}, writable by ${who(mode, { group: 0o020, other: 0o002 })}: they can replace what datumctl reads`,
          chmod,
        ];
      if (access) return ["warn", `${t.what} ${t.path} is ${octal(mode)}; it should be open to you alone`, chmod];
      return undefined;
    case "config":
      if (writable)
        return [
          "fail",
          `${t.what} ${t.path} is ${octal(mode)}, writable by ${who(mode, { group: 0o020, other: 0o002 })}: they could point your sessions at another server`,
          chmod,
        ];
      if (readable) return ["warn", `${t.what} ${t.path} is ${octal(mode)}, readable by ${who(mode, { group: 0o040, other: 0o004 })}`, chmod];
      return undefined;
    case "record":
      // It names entries, no secret; written by others it could only ask logout to remove more.
      if (access) return [writable ? "fail" : "warn", `${t.what} ${t.path} is ${octal(mode)}; it should be open to you alone`, chmod];
      return undefined;
    case "kubeconfig":
      if (writable)
        return [
          "fail",
          `${t.what} ${t.path} is ${octal(mode)}, writable by ${who(mode, { group: 0o020, other: 0o002 })}: they could choose the command kubectl runs as you`,
          `chmod go-w ${t.path}`,
        ];
      return undefined;
  }
}

export function fileChecks(configDir: string, kubeconfigs: string[], opts: { platform?: string; uid?: number } = {}): Check[] {
  if ((opts.platform ?? process.platform) === "win32") {
    return [{ section, name: "file-mode", status: "ok", detail: "File modes are not checked on Windows (the profile directory's ACL protects them)" }];
  }
  const uid = opts.uid ?? process.getuid?.();
  const checks: Check[] = [];
  const fresh = !stat(configDir);
  if (fresh)
    checks.push({ section, name: "file-mode", subject: configDir, status: "ok", detail: `${configDir} does not exist yet (nobody has signed in here)` });
  const targets: Target[] = fresh
    ? []
    : [
        { path: configDir, kind: "private-dir", what: "Config directory" },
        { path: configFile(configDir), kind: "config", what: "Config" },
        { path: credentialsFile(configDir), kind: "secret", what: "Credentials file" },
        { path: kubeconfigEntriesFile(configDir), kind: "record", what: "Record of kubeconfig entries" },
        { path: cacheDir(configDir), kind: "private-dir", what: "Cache directory" },
        { path: tokenCacheDir(configDir), kind: "private-dir", what: "Token cache directory" },
        { path: locksDir(configDir), kind: "private-dir", what: "Lock directory" },
        { path: join(configDir, "service-accounts"), kind: "private-dir", what: "Service-account key directory" },
      ];
  const groups: { what: string; files: string[] }[] = [
    { what: "Cached access token", files: listDir(tokenCacheDir(configDir), ".json") },
    { what: "Service-account key", files: listDir(join(configDir, "service-accounts"), ".pem") },
  ];
  const one = (t: Target): Check | undefined => {
    const st = stat(t.path);
    if (!st) return undefined;
    if (uid !== undefined && st.uid !== uid && t.kind !== "kubeconfig") {
      return {
        section,
        name: "file-mode",
        subject: t.path,
        status: "warn",
        detail: `${t.what} ${t.path} belongs to uid ${st.uid}, not to you (uid ${uid}); was datumctl run with sudo?`,
        fix: `sudo chown -R "$(id -u):$(id -g)" ${configDir}`,
      };
    }
    const bad = judge(t, st);
    if (bad) return { section, name: "file-mode", subject: t.path, status: bad[0], detail: bad[1], fix: bad[2] };
    return undefined;
  };
  for (const t of targets) {
    const st = stat(t.path);
    if (!st) continue;
    checks.push(one(t) ?? { section, name: "file-mode", subject: t.path, status: "ok", detail: `${t.what} ${t.path}: ${octal(st.mode)}` });
  }
  for (const g of groups) {
    let fine = 0;
    for (const f of g.files) {
      const c = one({ path: f, kind: "secret", what: g.what });
      if (c) checks.push(c);
      else fine++;
    }
    if (fine > 0)
      checks.push({
        section,
        name: "file-mode",
        subject: g.files.length === 1 ? g.files[0] : undefined,
        status: "ok",
        detail: `${g.what} files: ${fine}, open to you alone`,
      });
  }
  for (const k of kubeconfigs) {
    const st = stat(k);
    if (!st) continue;
    checks.push(
      one({ path: k, kind: "kubeconfig", what: "Kubeconfig" }) ?? {
        section,
        name: "file-mode",
        subject: k,
        status: "ok",
        detail: `Kubeconfig ${k}: ${octal(st.mode)}, not writable by others`,
      },
    );
  }
  return checks;
}
