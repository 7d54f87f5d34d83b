// Which credential store is in use and why, and how the OS keyring behaves: one harmless,
// bounded call (a get of a key that does not exist) timed for its latency.
import { type Keyring, KEYRING_TIMEOUT_MS, KeyringUnavailable, bounded, bunKeyring } from "../store/keyring";
import { KEYRING_SERVICE, type StoreMode } from "../store/credentials";
import { type Check, duration } from "./report";

/** A keyring this slow makes every login and refresh wait; get-token's cached path never asks it. */
export const SLOW_KEYRING_MS = 1_000;

export interface KeyringProbe {
  ok: boolean;
  ms: number;
  /** Why it could not be used. */
  reason?: string;
}

/** Reads a key nobody writes; not-found is the expected, healthy answer. */
export async function probeKeyring(keyring: Keyring = bunKeyring, timeoutMs = KEYRING_TIMEOUT_MS): Promise<KeyringProbe> {
  const started = performance.now();
  try {
    await bounded(keyring, timeoutMs).get(KEYRING_SERVICE, "datumctl-doctor-probe");
    return { ok: true, ms: performance.now() - started };
  } catch (e) {
    const reason = e instanceof KeyringUnavailable ? e.message : String((e as Error)?.message ?? e);
    return { ok: false, ms: performance.now() - started, reason };
  }
}

const FORCE = "DATUMCTL_CREDENTIAL_STORE";

/**
 * Two checks: `credential-store` says which store holds the secrets and why (a decision, so
 * always ok); `keyring` says how the OS keyring behaves, and carries the problem when it does not.
 */
export function storageChecks(mode: StoreMode, probe: KeyringProbe | undefined, credentialsPath: string): Check[] {
  const section = "Credential storage" as const;
  if (mode === "file" || !probe) {
    return [
      { section, name: "credential-store", status: "ok", detail: `Store: file ${credentialsPath} (${FORCE}=file)` },
      { section, name: "keyring", status: "ok", detail: `Keyring: not used (${FORCE}=file), so not probed` },
    ];
  }
  const p = probe;
  const store: Check =
    mode === "keyring"
      ? { section, name: "credential-store", status: "ok", detail: `Store: the OS keyring (forced by ${FORCE}=keyring; no file fallback)` }
      : p.ok
        ? {
            section,
            name: "credential-store",
            status: "ok",
            detail: `Store: the OS keyring (automatic: it answers); ${credentialsPath} only while it does not`,
          }
        : { section, name: "credential-store", status: "ok", detail: `Store: file ${credentialsPath} (automatic fallback: the OS keyring is unavailable)` };
  let keyring: Check;
  if (!p.ok) {
    keyring =
      mode === "keyring"
        ? {
            section,
            name: "keyring",
            status: "fail",
            detail: `Keyring: unavailable after ${duration(p.ms)} (${p.reason}); with ${FORCE}=keyring, login and token refresh fail`,
            fix: `Unlock or start the keyring (Keychain, a Secret Service such as gnome-keyring, Credential Manager), or unset ${FORCE} to allow ${credentialsPath}`,
          }
        : {
            section,
            name: "keyring",
            status: "warn",
            detail: `Keyring: unavailable after ${duration(p.ms)} (${p.reason}); secrets go to ${credentialsPath} in plain text (mode 0600)`,
            fix: `Start or unlock a keyring (a Secret Service such as gnome-keyring on Linux) to move them there, or set ${FORCE}=file to choose the file on purpose`,
          };
  } else if (p.ms >= SLOW_KEYRING_MS) {
    keyring = {
      section,
      name: "keyring",
      status: "warn",
      detail: `Keyring: slow, answered in ${duration(p.ms)}; every login and token refresh waits on it (kubectl's cached get-token does not)`,
      fix: `Check the keyring daemon (or a locked collection waiting for a password), or set ${FORCE}=file`,
    };
  } else {
    keyring = { section, name: "keyring", status: "ok", detail: `Keyring: answered in ${duration(p.ms)}` };
  }
  return [store, keyring];
}
