// One credential-store entry per session. Its key, the session's `user-key`, is the session's
// name followed by the auth host: unique per session (two API hosts on one IdP no longer share
// a refresh token) and still ending in `@<auth host>`, so the Go tool reads it as it is and its
// key migration leaves it alone.
//
// Sessions saved before this kept `<email>@<auth host>`, one entry for every API host of that
// user. A session alone on such an entry moves to its own key on its next refresh. Sessions
// still sharing one cannot be split: the entry holds a single refresh token, and the IdP
// rotates it, so they keep sharing it, refreshing one at a time under a lock on the entry,
// until all but one have signed out or signed in again.
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { type DatumctlConfig, type Session, loadConfig, updateConfig } from "../store/config";
import type { CredentialStore } from "../store/credentials";
import { withFileLock } from "../store/lock";
import { locksDir } from "../store/paths";

type KeyRuntime = Pick<Runtime, "configDir" | "io">;

export const sessionUserKey = (sessionName: string, authHost: string) => `${sessionName}@${authHost}`;

const ownKey = (s: Session) => sessionUserKey(s.name, s.endpoint["auth-hostname"]);

/** Sessions other than `name` whose credentials are under `key`. */
const otherUsersOf = (cfg: DatumctlConfig, key: string, name: string) => (cfg.sessions ?? []).filter((s) => s["user-key"] === key && s.name !== name);

const SHARED_ENTRY_WAIT_MS = 30_000;

/** The lock on an entry several sessions still share (withFileLock adds `.lock`). */
const sharedEntryLockPath = (dir: string, key: string) =>
  `${locksDir(dir)}/shared-credentials-${new Bun.CryptoHasher("sha256").update(key).digest("hex").slice(0, 32)}`;

/**
 * Runs `use` with the key under which the session's credentials are read and written.
 * The caller holds the session's refresh lock; an entry other sessions share is locked too.
 */
export async function withSessionCredentials<T>(rt: KeyRuntime, store: CredentialStore, sessionName: string, use: (key: string) => Promise<T>): Promise<T> {
  for (;;) {
    const session = sessionNamed(await loadConfig(rt.configDir, rt.io), sessionName);
    const key = session["user-key"];
    if (key === ownKey(session)) return use(key);
    const settled = await withFileLock(
      sharedEntryLockPath(rt.configDir, key),
      async () => {
        // Read again under the lock: another process may have moved it, or its last co-user left.
        const cfg = await loadConfig(rt.configDir, rt.io);
        const now = sessionNamed(cfg, sessionName);
        if (now["user-key"] !== key) return undefined;
        if (otherUsersOf(cfg, key, sessionName).length > 0) return { result: await use(key) };
        const moved = await moveToOwnKey(rt, store, now);
        return { result: await use(moved) };
      },
      { waitMs: SHARED_ENTRY_WAIT_MS },
    );
    if (settled) return settled.result;
  }
}

/**
 * Copies the entry to the session's own key, points the session there, then removes the old
 * entry once no session names it. A crash in between leaves the old entry in charge (the
 * config still names it), so no refresh token is lost. An entry from another auth host (the
 * Go tool's key collisions) is left where it is, as the Go tool's migration does.
 */
async function moveToOwnKey(rt: KeyRuntime, store: CredentialStore, session: Session): Promise<string> {
  const oldKey = session["user-key"];
  const raw = await store.get(oldKey);
  if (raw === null || !sameAuthHost(raw, session.endpoint["auth-hostname"])) return oldKey;
  const newKey = ownKey(session);
  await store.set(newKey, raw, session.name);
  const stillUsed = await updateConfig(rt.configDir, (cfg) => {
    const s = cfg.sessions?.find((x) => x.name === session.name && x["user-key"] === oldKey);
    if (s) s["user-key"] = newKey;
    return (cfg.sessions ?? []).some((x) => x["user-key"] === oldKey);
  });
  if (!stillUsed) await store.delete(oldKey);
  return newKey;
}

function sameAuthHost(raw: string, authHost: string): boolean {
  try {
    const hostname = (JSON.parse(raw) as { hostname?: unknown }).hostname;
    return hostname === undefined || hostname === "" || hostname === authHost;
  } catch {
    return false;
  }
}

function sessionNamed(cfg: DatumctlConfig, name: string): Session {
  const session = cfg.sessions?.find((s) => s.name === name);
  if (!session) {
    throw new DatumctlError(`no session named "${name}"`, {
      code: "SESSION_NOT_FOUND",
      hint: "Run 'datumctl auth list' to see your sessions, or 'datumctl login' to create one.",
    });
  }
  return session;
}
