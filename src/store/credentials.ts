// Long-lived secrets (refresh tokens, session blobs) per session: the OS keyring when it
// works, else ~/.datumctl/credentials.json with a warning. Unlike the Go tool the fallback is
// not for ever: every write tries the keyring again and moves the entry back when it works.
// DATUMCTL_CREDENTIAL_STORE=keyring|file forces one. Short-lived access tokens live in the
// token cache instead, so `auth get-token` never waits on a keyring.
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Env } from "../runtime";
import { DatumctlError } from "../errors";
import { writeFileAtomic } from "./atomic";
import { type Keyring, KeyringUnavailable, bounded, bunKeyring } from "./keyring";
import { cacheDir, credentialsFile } from "./paths";
import { SecretFile } from "./secret-file";

export const KEYRING_SERVICE = "datumctl-auth";

export type StoreMode = "auto" | "keyring" | "file";
export type Backend = "keyring" | "file";

export interface CredentialStoreOptions {
  configDir: string;
  env: Env;
  /** Where warnings go (stderr); the text comes without a "warning:" prefix. */
  warn: (text: string) => void;
  keyring?: Keyring;
  /** Bound on each keyring call (tests shorten it). */
  keyringTimeoutMs?: number;
  /**
   * Inside `auth get-token`, kubectl owns stderr: a fallback notice is saved for the next
   * command run in a terminal instead of being printed.
   */
  deferNotices?: boolean;
}

export function storeMode(env: Env): StoreMode {
  const v = env.DATUMCTL_CREDENTIAL_STORE;
  if (v === undefined || v === "" || v === "auto") return "auto";
  if (v === "keyring" || v === "file") return v;
  throw new DatumctlError(`invalid value "${v}" for DATUMCTL_CREDENTIAL_STORE`, {
    code: "INVALID_INPUT",
    hint: "Allowed values: keyring, file (or unset it to use the keyring with a file fallback).",
  });
}

const noticeFile = (dir: string) => join(cacheDir(dir), "credential-store-notice");

/** Prints, once, a fallback notice that `auth get-token` could not print itself. */
export function flushDeferredNotice(configDir: string, warn: (text: string) => void): void {
  const path = noticeFile(configDir);
  if (!existsSync(path)) return;
  try {
    warn(readFileSync(path, "utf8").trim());
    unlinkSync(path);
  } catch {
    // Another process printed it first.
  }
}

export class CredentialStore {
  readonly mode: StoreMode;
  readonly file: SecretFile;
  private readonly keyring: Keyring;
  /** Set once the keyring has failed in this process, so we do not wait on it again. */
  private keyringDown?: string;

  constructor(private readonly opts: CredentialStoreOptions) {
    this.mode = storeMode(opts.env);
    this.keyring = bounded(opts.keyring ?? bunKeyring, opts.keyringTimeoutMs);
    this.file = new SecretFile(credentialsFile(opts.configDir), { warn: (t) => opts.warn(t) });
  }

  /** Where a key's secret is now, if anywhere. */
  async locate(key: string): Promise<Backend | undefined> {
    if (this.mode !== "keyring" && this.file.has(KEYRING_SERVICE, key)) return "file";
    if (this.mode === "file") return undefined;
    return (await this.keyringGet(key)) !== null ? "keyring" : undefined;
  }

  async get(key: string): Promise<string | null> {
    if (this.mode !== "keyring") {
      const fromFile = this.file.get(KEYRING_SERVICE, key);
      if (fromFile !== null || this.mode === "file") return fromFile;
    }
    return this.keyringGet(key);
  }

  /** Stores a secret and says where it landed; a fallback notice names it as `owner` (the session). */
  async set(key: string, value: string, owner = key): Promise<Backend> {
    if (this.mode === "file") {
      await this.file.set(KEYRING_SERVICE, key, value);
      return "file";
    }
    try {
      if (this.keyringDown) throw new KeyringUnavailable(this.keyringDown);
      await this.keyring.set(KEYRING_SERVICE, key, value);
    } catch (e) {
      if (!(e instanceof KeyringUnavailable)) throw e;
      this.keyringDown = e.message;
      if (this.mode === "keyring") throw keyringError(e);
      const isNew = await this.file.set(KEYRING_SERVICE, key, value);
      if (isNew)
        this.notice(`system keyring unavailable (${e.message}); storing credentials for ${owner} in ${this.file.path} (plain text, readable only by you)`);
      return "file";
    }
    // Back in the keyring: the plain-text copy must go.
    await this.file.delete(KEYRING_SERVICE, key);
    return "keyring";
  }

  /** Removes a secret everywhere it might be. Returns whether it existed. */
  async delete(key: string): Promise<boolean> {
    let found = false;
    if (this.mode !== "file" && !this.keyringDown) {
      try {
        found = await this.keyring.delete(KEYRING_SERVICE, key);
      } catch (e) {
        if (!(e instanceof KeyringUnavailable)) throw e;
        this.keyringDown = e.message;
        if (this.mode === "keyring") throw keyringError(e);
      }
    }
    return (await this.file.delete(KEYRING_SERVICE, key)) || found;
  }

  private async keyringGet(key: string): Promise<string | null> {
    if (this.keyringDown) return null;
    try {
      return await this.keyring.get(KEYRING_SERVICE, key);
    } catch (e) {
      if (!(e instanceof KeyringUnavailable)) throw e;
      this.keyringDown = e.message;
      if (this.mode === "keyring") throw keyringError(e);
      return null;
    }
  }

  private notice(text: string): void {
    if (this.opts.deferNotices) {
      writeFileAtomic(noticeFile(this.opts.configDir), text);
    } else {
      this.opts.warn(text);
    }
  }
}

function keyringError(e: KeyringUnavailable): DatumctlError {
  return new DatumctlError(`the system keyring is unavailable: ${e.message}`, {
    code: "KEYRING_UNAVAILABLE",
    retryable: true,
    hint: "Unset DATUMCTL_CREDENTIAL_STORE to fall back to ~/.datumctl/credentials.json, or set it to 'file'.",
  });
}
