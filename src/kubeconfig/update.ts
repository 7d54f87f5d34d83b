// `datumctl auth update-kubeconfig`: a cluster, a user and a context for one Datum control
// plane, with datumctl as the exec credential plugin, written where kubectl would write them.
//
// Entries:
//   cluster + context `datum-organization-<id>` / `datum-project-<id>`; server
//     `<api>/apis/resourcemanager.miloapis.com/v1alpha1/{organizations|projects}/<id>/control-plane`,
//     with the session's TLS settings when the server is the session's own API host;
//   user `datum-<session>` (one per session, so two accounts never overwrite each other),
//     running `<datumctl> auth get-token --output=client.authentication.k8s.io/v1 --session=<session>`.
// Files (kubectl's rules, see paths.ts): an entry that exists is rewritten in the file that
// defines it; a new one goes to the default file; current-context goes to the first file
// that sets one, else the default file. Every file kubectl would read is locked with
// `<file>.lock` for the whole read-modify-write, as kubectl does.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { Pair, YAMLMap, type YAMLSeq } from "yaml";
import { controlPlanePath } from "../resources/scope-urls";
import { EXEC_V1 } from "../auth/exec-credential";
import { hostURL } from "../auth/hosts";
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { checkScopeId } from "../scope/ids";
import { type Session, loadConfig, activeSession } from "../store/config";
import { recordWrittenEntries } from "../store/kubeconfig-entries";
import { type KubeconfigFile, type Section, currentContextOf, entryNames, readKubeconfig } from "./document";
import { KubeconfigEdit } from "./edit";
import { scalar, stringSeq } from "./yaml-text";
import { type Invocation, currentInvocation, execCommand } from "./exec-command";
import { type KubeconfigLockOptions, lockKubeconfig } from "./lock";
import { type KubeconfigPaths, defaultFile, kubeconfigPaths } from "./paths";
import { ensureDir, writeKubeconfig } from "./write";

export const INTERACTIVE_MODES = ["Never", "IfAvailable", "Always"] as const;
export type InteractiveMode = (typeof INTERACTIVE_MODES)[number];

export const INSTALL_HINT = [
  "datumctl signs kubectl in to Datum Cloud and was not found at this path.",
  "Install it with Homebrew:  brew install datum-cloud/tap/datumctl",
  "or download a release:     https://github.com/datum-cloud/datumctl/releases",
  "then run 'datumctl login' and 'datumctl auth update-kubeconfig' again.",
].join("\n");

export interface UpdateKubeconfigOptions {
  scope: { kind: "organization" | "project"; id: string };
  kubeconfig?: string;
  hostname?: string;
  interactiveMode?: InteractiveMode;
  session?: string;
  execCommand?: string;
  /** How datumctl was started (tests pass their own). */
  invocation?: Invocation;
  lock?: KubeconfigLockOptions;
  cwd?: string;
}

export interface UpdateKubeconfigResult {
  /** Files written (or that already held exactly this), first the one holding the context. */
  files: string[];
  context: string;
  cluster: string;
  user: string;
  server: string;
  command: string;
  changed: boolean;
}

function findSession(sessions: Session[], wanted: string): Session {
  const byName = sessions.find((s) => s.name === wanted);
  if (byName) return byName;
  const byEmail = sessions.filter((s) => s["user-email"] === wanted);
  if (byEmail.length === 1) return byEmail[0]!;
  throw new DatumctlError(byEmail.length > 1 ? `${wanted} matches ${byEmail.length} sessions` : `no session named ${wanted}`, {
    code: byEmail.length > 1 ? "INVALID_INPUT" : "SESSION_NOT_FOUND",
    hint: byEmail.length > 1 ? `Name one: ${byEmail.map((s) => s.name).join(", ")}.` : "Run 'datumctl auth list' to see your sessions.",
  });
}

interface ClusterSettings {
  server: string;
  caData?: string;
  tlsServerName?: string;
  insecure?: boolean;
}

function clusterSettings(session: Session, api: URL, server: string): ClusterSettings {
  const own = hostURL(session.endpoint.server, "the session's API server");
  // The session's CA and TLS name describe its own API host; a different --hostname gets none
  // (a CA in the kubeconfig replaces the system roots, which would break a public host).
  if (own.origin !== api.origin) return { server };
  const ep = session.endpoint;
  if (ep["insecure-skip-tls-verify"] === true) return { server, insecure: true, tlsServerName: ep["tls-server-name"] || undefined };
  return { server, caData: ep["certificate-authority-data"] || undefined, tlsServerName: ep["tls-server-name"] || undefined };
}

// The entries we own are written whole, replacing whatever was there: a field left from an
// older entry (a certificate-authority path beside our -data, a client certificate, exec env)
// would contradict ours, and kubectl rejects a file where it does.

/** A block map of the given fields, in order; undefined ones left out. */
function mapOf(fields: [string, string | boolean | YAMLMap | YAMLSeq | undefined][]): YAMLMap {
  const map = new YAMLMap();
  for (const [k, v] of fields) if (v !== undefined) map.items.push(new Pair(scalar(k), typeof v === "object" ? v : scalar(v)));
  return map;
}

function clusterBody(c: ClusterSettings): YAMLMap {
  return mapOf([
    ["server", c.server],
    ["certificate-authority-data", c.caData],
    ["tls-server-name", c.tlsServerName],
    ["insecure-skip-tls-verify", c.insecure],
  ]);
}

function userBody(command: string, session: string, mode: InteractiveMode): YAMLMap {
  const exec = mapOf([
    ["apiVersion", EXEC_V1],
    ["command", command],
    ["args", stringSeq(["auth", "get-token", `--output=${EXEC_V1}`, `--session=${session}`])],
    ["interactiveMode", mode],
    ["provideClusterInfo", false],
    ["installHint", INSTALL_HINT],
  ]);
  return mapOf([["exec", exec]]);
}

function contextBody(cluster: string, user: string): YAMLMap {
  return mapOf([
    ["cluster", cluster],
    ["user", user],
  ]);
}

/** Which file gets each edit, from what the files hold now. */
function plan(paths: KubeconfigPaths, files: Map<string, KubeconfigFile>, names: Record<Section, string>) {
  const exists = (f: string) => files.get(f)?.exists === true;
  const fallback = defaultFile(paths, exists);
  const holder = (section: Section, name: string) => paths.files.find((f) => entryNames(files.get(f)!, section).includes(name)) ?? fallback;
  const currentContext = paths.explicit ? fallback : (paths.files.find((f) => currentContextOf(files.get(f)!) !== undefined) ?? fallback);
  return {
    clusters: holder("clusters", names.clusters),
    users: holder("users", names.users),
    contexts: holder("contexts", names.contexts),
    currentContext,
  };
}

export async function updateKubeconfig(rt: Runtime, opts: UpdateKubeconfigOptions): Promise<UpdateKubeconfigResult> {
  const { kind, id } = opts.scope;
  checkScopeId(kind, id);

  const cfg = await loadConfig(rt.configDir, rt.io);
  let session: Session | undefined;
  if (opts.session !== undefined) session = findSession(cfg.sessions ?? [], opts.session);
  else session = activeSession(cfg);
  if (!session) throw new DatumctlError("not signed in", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' first." });

  const api = opts.hostname !== undefined ? hostURL(opts.hostname, "--hostname") : hostURL(session.endpoint.server, "the session's API server");
  const server = api.origin + controlPlanePath(opts.scope);
  const exec = execCommand(rt.env, opts.invocation ?? currentInvocation(), opts.execCommand);
  if (exec.warning) rt.io.err(`warning: ${exec.warning}\n`);

  const name = `datum-${kind}-${id}`;
  const user = `datum-${session.name}`;
  const names: Record<Section, string> = { clusters: name, users: user, contexts: name };
  const paths = kubeconfigPaths(rt.env, opts.kubeconfig, opts.cwd);

  const lockOpts: KubeconfigLockOptions = {
    ...opts.lock,
    onWait: (lock) => {
      rt.io.err(`Waiting for ${lock}: another program is editing the kubeconfig…\n`);
      opts.lock?.onWait?.(lock);
    },
  };
  const releases: (() => Promise<void>)[] = [];
  try {
    // Every file kubectl would read, in sorted order as kubectl does, so two editors never
    // wait on each other. A file whose directory is missing cannot exist yet; it is locked
    // later if it is to be written.
    const locked = new Set<string>();
    for (const f of [...paths.files].sort()) {
      if (!existsSync(dirname(f))) continue;
      releases.push(await lockKubeconfig(f, lockOpts));
      locked.add(f);
    }
    const files = new Map(paths.files.map((f) => [f, readKubeconfig(f)]));
    const where = plan(paths, files, names);

    const edits = new Map<string, KubeconfigEdit>();
    const editOf = (f: string) => {
      let e = edits.get(f);
      if (!e) edits.set(f, (e = new KubeconfigEdit(files.get(f)!)));
      return e;
    };
    editOf(where.clusters).upsert("clusters", name, clusterBody(clusterSettings(session, api, server)));
    editOf(where.users).upsert("users", user, userBody(exec.command, session.name, opts.interactiveMode ?? "IfAvailable"));
    editOf(where.contexts).upsert("contexts", name, contextBody(name, user));
    editOf(where.currentContext).setCurrentContext(name);

    const outputs = [...edits.values()].map((e) => ({ path: e.file.path, before: e.file.text, existed: e.file.exists, text: e.render() }));
    let changed = false;
    for (const o of outputs) {
      if (o.existed && o.text === o.before) continue;
      if (!locked.has(o.path)) {
        // Its directory did not exist when we locked the others: create it, lock, and make
        // sure nobody wrote the file meanwhile.
        ensureDir(dirname(o.path));
        releases.push(await lockKubeconfig(o.path, lockOpts));
        if (existsSync(o.path)) {
          throw new DatumctlError(`${o.path} appeared while datumctl was updating it`, { code: "CONFLICT", retryable: true, hint: "Run the command again." });
        }
      }
      writeKubeconfig(o.path, o.text);
      changed = true;
    }
    // So logout can offer to remove exactly these (~/.datumctl/kubeconfig-entries.json).
    await recordWrittenEntries(rt.configDir, [
      { file: where.clusters, section: "clusters", name, session: session.name },
      { file: where.users, section: "users", name: user, session: session.name },
      { file: where.contexts, section: "contexts", name, session: session.name },
    ]);
    const order = [where.contexts, where.currentContext, where.users, where.clusters];
    return {
      files: [...new Set(order)],
      context: name,
      cluster: name,
      user,
      server,
      command: exec.command,
      changed,
    };
  } finally {
    for (const release of releases.reverse()) await release().catch(() => {});
  }
}

/** The line for stderr: where it went, which user and which server. */
export function describeUpdate(r: UpdateKubeconfigResult): string {
  const where = r.files.join(" and ");
  const what = `context ${r.context} (user ${r.user}, server ${r.server})`;
  return r.changed ? `Updated ${where}: ${what}\n` : `${where} already up to date: ${what}\n`;
}
