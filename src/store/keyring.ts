// The OS keyring (macOS Keychain, Secret Service, Windows Credential Manager) through
// Bun.secrets, behind a small interface so tests can inject a missing, failing or hanging one.
// Every call is bounded: a keyring that never answers must not hang kubectl.

export interface Keyring {
  get(service: string, key: string): Promise<string | null>;
  set(service: string, key: string, value: string): Promise<void>;
  delete(service: string, key: string): Promise<boolean>;
}

/** The keyring could not be used (absent, locked, no D-Bus, timed out). Not-found is not an error. */
export class KeyringUnavailable extends Error {}

export const KEYRING_TIMEOUT_MS = 3_000;

export const bunKeyring: Keyring = {
  get: (service, name) => Bun.secrets.get({ service, name }),
  set: (service, name, value) => Bun.secrets.set({ service, name, value }),
  delete: (service, name) => Bun.secrets.delete({ service, name }),
};

/** Wraps every call in a deadline and turns any failure into KeyringUnavailable. */
export function bounded(k: Keyring, ms = KEYRING_TIMEOUT_MS): Keyring {
  const call = <T>(op: () => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeyringUnavailable(`no answer within ${ms / 1000}s`)), ms);
      // A hung keyring call must not keep the process alive once we have moved on.
      (timer as { unref?: () => void }).unref?.();
    });
    const attempt = (async () => op())().catch((e: unknown) => {
      throw e instanceof KeyringUnavailable ? e : new KeyringUnavailable((e as Error)?.message ?? String(e));
    });
    return Promise.race([attempt, deadline]).finally(() => clearTimeout(timer));
  };
  return {
    get: (s, key) => call(() => k.get(s, key)),
    set: (s, key, v) => call(() => k.set(s, key, v)),
    delete: (s, key) => call(() => k.delete(s, key)),
  };
}
