// Every kubeconfig user whose exec plugin runs datumctl: does its command resolve (as
// client-go resolves it: absolute, relative to the kubeconfig's directory when it has a
// separator, else on PATH), is it this install, is interactiveMode set (kubectl refuses a v1
// entry without one), is its session signed in here. Whether kubectl's kuberc lets it run at
// all is kuberc.ts's check.
import { hasSeparator, isExecutableFile, isVersionedKeg, realpath } from "../kubeconfig/exec-command";
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import type { Env } from "../runtime";
import { isDatumctlError } from "../errors";
import { EXEC_V1, EXEC_V1BETA1 } from "../auth/exec-credential";
import { isObject, readKubeconfig } from "../kubeconfig/document";
import { INTERACTIVE_MODES as INTERACTIVE_MODE_NAMES } from "../kubeconfig/update";
import type { Check, Status } from "./report";

const section = "Kubeconfig" as const;
/** Typed wide: an entry's interactiveMode is whatever the file says. */
const INTERACTIVE_MODES: readonly string[] = INTERACTIVE_MODE_NAMES;

export interface ExecEntry {
  file: string;
  user: string;
  command: string;
  args: string[];
  apiVersion?: string;
  interactiveMode?: string;
  env: Record<string, string>;
}

export interface KubeconfigOptions {
  env: Env;
  files: string[];
  /** --kubeconfig was given (the fix must name the file then). */
  explicit: boolean;
  sessions: Set<string>;
  configDir: string;
  /** The running executable, to tell whether an entry runs this install; undefined from source. */
  self?: string;
  /** The path update-kubeconfig would need as --exec-command (running from source), if any. */
  execCommandHint?: string;
}

/** Is this a compiled datumctl (not `bun src/entry.ts`)? Then process.execPath is the install. */
export function thisInstall(): string | undefined {
  const main = Bun.main;
  const compiled = main.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(main);
  if (!compiled || /^bun(?:\.exe)?$/i.test(basename(process.execPath))) return undefined;
  return process.execPath;
}

// Entries are read from what kubectl reads (aliases and merge keys resolved), not the YAML nodes.
const str = (v: unknown): string | undefined => (v === null || v === undefined || typeof v === "object" ? undefined : String(v));
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function execEntries(file: string, root: Record<string, unknown>): ExecEntry[] {
  const found: ExecEntry[] = [];
  for (const u of listOf(root.users)) {
    if (!isObject(u)) continue;
    const exec = isObject(u.user) ? u.user.exec : undefined;
    const name = str(u.name);
    if (!isObject(exec) || name === undefined) continue;
    const env: Record<string, string> = {};
    for (const e of listOf(exec.env)) {
      if (!isObject(e)) continue;
      const k = str(e.name);
      if (k !== undefined) env[k] = str(e.value) ?? "";
    }
    const args = listOf(exec.args).map((a) => str(a) ?? "");
    found.push({ file, user: name, command: str(exec.command) ?? "", args, apiVersion: str(exec.apiVersion), interactiveMode: str(exec.interactiveMode), env });
  }
  return found;
}

/** Contexts by user: the cluster each uses, for the fix's --project / --organization. */
function contextsOf(root: Record<string, unknown>): { user: string; cluster: string }[] {
  const out: { user: string; cluster: string }[] = [];
  for (const c of listOf(root.contexts)) {
    if (!isObject(c) || !isObject(c.context)) continue;
    const user = str(c.context.user);
    const cluster = str(c.context.cluster);
    if (user !== undefined && cluster !== undefined) out.push({ user, cluster });
  }
  return out;
}

export const runsDatumctl = (e: ExecEntry) =>
  /^datumctl(?:\.exe)?$/i.test(basename(e.command)) || e.args.some((a, i) => a === "get-token" && e.args[i - 1] === "auth");

/** Where kubectl finds the command (client-go's rules), or undefined. */
export function resolveCommand(command: string, kubeconfig: string, env: Env): string | undefined {
  if (command === "") return undefined;
  if (isAbsolute(command)) return command;
  if (hasSeparator(command)) return resolve(dirname(kubeconfig), command);
  return Bun.which(command, { PATH: env.PATH ?? env.Path ?? "" }) ?? undefined;
}

function pinnedSession(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--session=")) return a.slice("--session=".length);
    if (a === "--session" && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

function updateCommand(e: ExecEntry, clusters: string[], opts: KubeconfigOptions, session: string | undefined): string {
  const scope = clusters.map((c) => /^datum-(project|organization)-(.+)$/.exec(c)).find((m) => m);
  const args = ["datumctl", "auth", "update-kubeconfig", scope ? `--${scope[1]} ${scope[2]}` : "--project <id>"];
  if (session) args.push(`--session ${session}`);
  if (opts.explicit) args.push(`--kubeconfig ${e.file}`);
  if (e.interactiveMode && INTERACTIVE_MODES.includes(e.interactiveMode) && e.interactiveMode !== "IfAvailable")
    args.push(`--exec-interactive-mode ${e.interactiveMode}`);
  if (opts.execCommandHint) args.push(`--exec-command ${opts.execCommandHint}`);
  return args.join(" ");
}

interface Problem {
  status: Status;
  text: string;
  fix?: string;
}

function entryCheck(e: ExecEntry, clusters: string[], opts: KubeconfigOptions): Check {
  const session = pinnedSession(e.args);
  const update = updateCommand(e, clusters, opts, session);
  const problems: Problem[] = [];
  const notes: string[] = [];
  const resolved = resolveCommand(e.command, e.file, opts.env);

  if (e.command === "") {
    problems.push({ status: "fail", text: "its exec entry has no command", fix: update });
  } else if (!resolved || !isExecutableFile(resolved)) {
    const where = hasSeparator(e.command) || isAbsolute(e.command) ? (resolved ?? e.command) : `${e.command} on PATH`;
    problems.push({ status: "fail", text: `its command ${where} does not exist or is not executable (moved, upgraded or uninstalled?)`, fix: update });
  } else {
    const real = realpath(resolved);
    if (opts.self === undefined) {
      notes.push(`runs ${e.command}`);
    } else if (real !== undefined && real === realpath(opts.self)) {
      notes.push(`runs ${e.command} (this install)`);
    } else {
      problems.push({ status: "warn", text: `runs ${e.command}, which is not this datumctl (${opts.self})`, fix: update });
    }
    if (isVersionedKeg(resolved)) {
      problems.push({
        status: "warn",
        text: `its command ${resolved} is a versioned Homebrew path that the next 'brew upgrade' removes`,
        fix: `${update} --exec-command "$(brew --prefix)/bin/datumctl"`,
      });
    }
    if (!hasSeparator(e.command) && !isAbsolute(e.command)) {
      notes.push("found on PATH (GUI tools started without your shell's PATH may not find it)");
    }
  }

  const v = e.apiVersion;
  if (v === undefined || (v !== EXEC_V1 && v !== EXEC_V1BETA1)) {
    problems.push({
      status: "fail",
      text: v === undefined ? "its exec entry has no apiVersion" : `its exec apiVersion ${v} is not one kubectl supports`,
      fix: update,
    });
  }
  if (e.interactiveMode === undefined) {
    // client-go rejects a v1 entry without interactiveMode; v1beta1 defaults to IfAvailable.
    problems.push(
      v === EXEC_V1
        ? { status: "fail", text: "interactiveMode is not set, and kubectl refuses a v1 exec entry without it", fix: update }
        : { status: "warn", text: "interactiveMode is not set (kubectl assumes IfAvailable)", fix: update },
    );
  } else if (!INTERACTIVE_MODES.includes(e.interactiveMode)) {
    problems.push({ status: "fail", text: `interactiveMode ${e.interactiveMode} is not one of ${INTERACTIVE_MODES.join(", ")}`, fix: update });
  } else {
    notes.push(`interactiveMode ${e.interactiveMode}`);
  }

  if (!e.args.includes("get-token")) {
    problems.push({ status: "fail", text: "its args do not run 'auth get-token'", fix: update });
  }
  const otherConfig = e.env.DATUMCTL_CONFIG_DIR;
  if (otherConfig !== undefined && otherConfig !== "" && resolve(otherConfig) !== resolve(opts.configDir)) {
    notes.push(`its env sets DATUMCTL_CONFIG_DIR=${otherConfig}, so its session is not checked here`);
  } else if (session !== undefined) {
    if (opts.sessions.has(session)) notes.push(`session ${session}`);
    else problems.push({ status: "fail", text: `its session ${session} is not signed in here`, fix: "datumctl login, then " + update });
  } else {
    notes.push("follows the active session");
  }

  const worst: Status = problems.some((p) => p.status === "fail") ? "fail" : problems.length ? "warn" : "ok";
  const first = problems.find((p) => p.status === worst);
  const head = `User ${e.user} in ${e.file}`;
  const detail = problems.length ? `${head}: ${problems.map((p) => p.text).join("; ")}` : `${head}: ${notes.join(", ")}`;
  return { section, name: "kubeconfig-exec", subject: `${e.file}#${e.user}`, status: worst, detail, ...(first?.fix ? { fix: first.fix } : {}) };
}

export interface KubeconfigResult {
  checks: Check[];
  /** Resolved commands of datumctl entries, for the kuberc check. */
  entries: { entry: ExecEntry; resolved?: string }[];
}

export function kubeconfigChecks(opts: KubeconfigOptions): KubeconfigResult {
  const checks: Check[] = [];
  const entries: KubeconfigResult["entries"] = [];
  const existing = opts.files.filter((f) => existsSync(f));
  if (existing.length === 0) {
    checks.push({
      section,
      name: "kubeconfig-file",
      status: "ok",
      detail: `No kubeconfig at ${opts.files.join(", ")} yet ('datumctl auth update-kubeconfig --project <id>' creates one)`,
    });
    return { checks, entries };
  }
  const parsed: { file: string; root: Record<string, unknown> }[] = [];
  for (const f of existing) {
    try {
      parsed.push({ file: f, root: readKubeconfig(f).data });
    } catch (e) {
      checks.push({
        section,
        name: "kubeconfig-file",
        subject: f,
        status: "fail",
        detail: isDatumctlError(e) ? e.message : `cannot read ${f}: ${(e as Error).message}`,
        fix: isDatumctlError(e) && e.hint ? e.hint : `Fix or move aside ${f}`,
      });
    }
  }
  const contexts = parsed.flatMap((p) => contextsOf(p.root));
  // kubectl merges files, first definition wins: a later duplicate user is never used.
  const seen = new Set<string>();
  for (const p of parsed) {
    for (const e of execEntries(p.file, p.root)) {
      if (seen.has(e.user) || !runsDatumctl(e)) {
        seen.add(e.user);
        continue;
      }
      seen.add(e.user);
      const clusters = contexts.filter((c) => c.user === e.user).map((c) => c.cluster);
      checks.push(entryCheck(e, clusters, opts));
      entries.push({ entry: e, resolved: resolveCommand(e.command, e.file, opts.env) });
    }
  }
  if (entries.length === 0 && parsed.length > 0) {
    checks.push({
      section,
      name: "kubeconfig-exec",
      status: "ok",
      detail: `No user in ${parsed.map((p) => p.file).join(", ")} runs datumctl ('datumctl auth update-kubeconfig --project <id>' adds one)`,
    });
  }
  return { checks, entries };
}
