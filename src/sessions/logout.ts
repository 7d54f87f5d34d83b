// Signing out: revoke the refresh token at the IdP (RFC 7009) when it offers revocation, then
// remove every trace of the session here: credentials, token cache, service-account key,
// the session and its contexts. Kubeconfig entries left pointing at it are named, and removed
// only when asked (--kubeconfig-cleanup, or a yes at a terminal).
import { rmSync } from "node:fs";
import * as oauth from "oauth4webapi";
import type { Runtime } from "../runtime";
import { type DatumctlConfig, type Session, loadConfig, updateConfig } from "../store/config";
import type { CredentialStore } from "../store/credentials";
import { deleteCachedToken } from "../store/token-cache";
import { caTLS, oauthOptions } from "../auth/oauth";
import { credentialStore, readCredentials } from "../auth/secrets";
import { type LeftEntry, leftoverEntries, removeLeftoverEntries } from "../kubeconfig/cleanup";
import { confirm } from "../ui/confirm";

export interface LogoutOptions {
  /** --kubeconfig-cleanup: remove the kubeconfig entries left pointing at the sessions, without asking. */
  kubeconfigCleanup?: boolean;
}

export async function logout(rt: Runtime, sessions: Session[], opts: LogoutOptions = {}): Promise<void> {
  const store = credentialStore(rt);
  const names = new Set(sessions.map((s) => s.name));
  const staying = ((await loadConfig(rt.configDir, rt.io)).sessions ?? []).filter((s) => !names.has(s.name));
  const removed = new Set<string>();
  for (const s of sessions) {
    const key = s["user-key"];
    // Sessions saved before each had its own entry may share one: it is theirs too.
    const sharer = staying.find((o) => o["user-key"] === key);
    if (sharer) {
      rt.io.err(`note: ${s.name} shared its stored credentials with ${sharer.name}; they stay signed in for ${sharer.name}\n`);
    } else if (!removed.has(key)) {
      removed.add(key);
      await discardEntry(rt, store, key, { revokeFor: s.name });
    }
    deleteCachedToken(rt.configDir, s.name);
  }
  await updateConfig(rt.configDir, (cfg) => forgetSessions(cfg, names));
  await offerKubeconfigCleanup(rt, names, opts);
}

const SINGULAR = { users: "user", contexts: "context", clusters: "cluster" } as const;

/**
 * Names the kubeconfig entries that still point at the sessions; removes them with
 * --kubeconfig-cleanup, or when a person at a terminal says yes. Without a terminal it only lists.
 */
async function offerKubeconfigCleanup(rt: Runtime, names: Set<string>, opts: LogoutOptions): Promise<void> {
  const left = leftoverEntries(rt.env, rt.configDir, names);
  if (left.length === 0) return;
  for (const e of left) rt.io.err(`note: ${e.file} still has ${SINGULAR[e.section]} "${e.name}" for session ${e.session}\n`);
  const canAsk = rt.io.stdinTTY && rt.io.stderrTTY;
  let remove = opts.kubeconfigCleanup === true;
  if (!remove && canAsk) remove = await confirm(rt.io, `Remove ${left.length === 1 ? "it" : `these ${left.length} entries`} from the kubeconfig?`);
  if (!remove) {
    if (!canAsk)
      rt.io.err("hint: These no longer work. Remove them with kubectl (or pass --kubeconfig-cleanup to logout next time):\n" + removalCommands(left));
    return;
  }
  const removed = await removeLeftoverEntries(rt.env, rt.configDir, names, {
    onWait: (lock) => rt.io.err(`Waiting for ${lock}: another program is editing the kubeconfig…\n`),
  });
  for (const file of new Set(removed.map((e) => e.file))) {
    const here = removed.filter((e) => e.file === file);
    rt.io.err(`✓ Removed ${here.map((e) => `${SINGULAR[e.section]} "${e.name}"`).join(", ")} from ${file}\n`);
  }
}

/** kubectl's own commands for each entry, contexts first. */
function removalCommands(left: LeftEntry[]): string {
  const order = ["contexts", "users", "clusters"] as const;
  return order
    .flatMap((section) =>
      left.filter((e) => e.section === section).map((e) => `  kubectl --kubeconfig ${e.file} config delete-${SINGULAR[section]} ${e.name}\n`),
    )
    .join("");
}

/** Removes a credential entry and the service-account key it names; with `revokeFor` (a session), revokes its refresh token first. */
export async function discardEntry(rt: Runtime, store: CredentialStore, key: string, opts: { revokeFor?: string } = {}): Promise<void> {
  const creds = await readCredentials(store, key).catch(() => undefined);
  const refreshToken = creds?.token.refresh_token;
  if (opts.revokeFor && creds?.revocation_endpoint && refreshToken) {
    try {
      const as: oauth.AuthorizationServer = { issuer: creds.issuer, revocation_endpoint: creds.revocation_endpoint };
      const client = { client_id: creds.client_id };
      const res = await oauth.revocationRequest(as, client, oauth.None(), refreshToken, {
        ...oauthOptions(rt, new URL(creds.issuer), caTLS(creds.certificate_authority_data)),
        additionalParameters: { token_type_hint: "refresh_token" },
      });
      await oauth.processRevocationResponse(res);
    } catch (e) {
      rt.io.err(`warning: could not revoke the refresh token of ${opts.revokeFor} at ${creds.issuer}: ${(e as Error).message}\n`);
    }
  }
  if (creds?.service_account?.private_key_path) rmSync(creds.service_account.private_key_path, { force: true });
  await store.delete(key);
}

function forgetSessions(cfg: DatumctlConfig, names: Set<string>): void {
  cfg.sessions = (cfg.sessions ?? []).filter((s) => !names.has(s.name));
  const gone = (cfg.contexts ?? []).filter((c) => names.has(c.session)).map((c) => c.name);
  cfg.contexts = (cfg.contexts ?? []).filter((c) => !names.has(c.session));
  if (cfg.cache) {
    cfg.cache.organizations = (cfg.cache.organizations ?? []).filter((o) => !names.has(o.session));
    cfg.cache.projects = (cfg.cache.projects ?? []).filter((p) => !names.has(p.session));
  }
  if (cfg["current-context"] && gone.includes(cfg["current-context"])) delete cfg["current-context"];
  if (cfg["active-session"] && names.has(cfg["active-session"])) delete cfg["active-session"];
}
