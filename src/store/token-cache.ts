// Short-lived access tokens, one 0600 JSON file per session under ~/.datumctl/cache/tokens/.
// This is what `auth get-token` reads on every kubectl call: a plain file read, no keyring,
// no lock, no YAML. Files are replaced atomically, so a reader never sees half a token.
import { readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic";
import { tokenCacheDir } from "./paths";

export interface CachedToken {
  /** The session this token belongs to; checked on read so a hash collision can never cross sessions. */
  session: string;
  access_token: string;
  token_type?: string;
  /** RFC 3339, UTC: local arrival time + expires_in. */
  expiry: string;
  /** expires_in as the server sent it; sizes the safety margin. */
  lifetime_seconds?: number;
  /** The OIDC subject the token was issued to. */
  subject?: string;
  [extra: string]: unknown;
}

export function tokenCachePath(configDir: string, session: string): string {
  const digest = new Bun.CryptoHasher("sha256").update(session).digest("hex").slice(0, 32);
  return join(tokenCacheDir(configDir), `${digest}.json`);
}

/** The cached token for a session, or undefined; a corrupt file is reported and ignored. */
export function readCachedToken(configDir: string, session: string, warn: (text: string) => void): CachedToken | undefined {
  const path = tokenCachePath(configDir, session);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const t = JSON.parse(text) as CachedToken;
    if (t && t.session === session && typeof t.access_token === "string" && typeof t.expiry === "string") return t;
    if (t && typeof t.session === "string" && t.session !== session) return undefined;
  } catch {
    // fall through
  }
  warn(`ignoring the token cache ${path}: it is not valid`);
  return undefined;
}

export function writeCachedToken(configDir: string, token: CachedToken): void {
  writeFileAtomic(tokenCachePath(configDir, token.session), JSON.stringify(token) + "\n");
}

export function deleteCachedToken(configDir: string, session: string): void {
  try {
    unlinkSync(tokenCachePath(configDir, session));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
