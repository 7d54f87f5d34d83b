// Reading a session's cached access token with nothing but Bun's own file API: this is the
// whole of what `auth get-token` does on kubectl's every call, and importing node:fs alone
// would cost it a fifth of its start-up.
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
  return `${tokenCacheDir(configDir)}/${digest}.json`;
}

/** A token cache file's text → the token, undefined for another session's, or "corrupt". */
export function parseCachedToken(text: string, session: string): CachedToken | undefined | "corrupt" {
  try {
    const t = JSON.parse(text) as CachedToken;
    if (t && t.session === session && typeof t.access_token === "string" && typeof t.expiry === "string") return t;
    if (t && typeof t.session === "string" && t.session !== session) return undefined;
  } catch {
    // fall through
  }
  return "corrupt";
}

export const corruptWarning = (path: string) => `ignoring the token cache ${path}: it is not valid`;

/** The cached token for a session, or undefined; a corrupt file is reported and ignored. */
export async function readCachedTokenLean(configDir: string, session: string, warn: (text: string) => void): Promise<CachedToken | undefined> {
  const path = tokenCachePath(configDir, session);
  let text: string;
  try {
    text = await Bun.file(path).text();
  } catch {
    return undefined;
  }
  const t = parseCachedToken(text, session);
  if (t !== "corrupt") return t;
  warn(corruptWarning(path));
  return undefined;
}
