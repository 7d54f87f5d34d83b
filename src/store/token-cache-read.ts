// Where a session's cached access token lives and how its file reads: all that `auth get-token`
// needs on kubectl's every call, read the cheapest way measured (scripts/bench.ts). Importing
// node:fs costs about a quarter of a compiled binary's start-up, and Bun's async file reads
// about as much (their first use starts an I/O thread pool); a synchronous map does not.
import { tokenCacheDir } from "./paths";

export interface CachedToken {
  /** The session this token belongs to; checked on read, so a shared file can never cross sessions. */
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

/**
 * One file per session, named after it: `ada%40example.com%40api.datum.net.json`. Percent-encoding
 * is safe on every file system (`*`, the one character it keeps that Windows refuses, is encoded
 * too) and a tenth of the cost of hashing on this path; a name too long for a file name (or
 * one that cannot be encoded) is hashed.
 * Case-insensitive file systems may give two sessions one file: the session check on read keeps
 * either from seeing the other's token.
 */
export function tokenCachePath(configDir: string, session: string): string {
  let name = "";
  try {
    name = encodeURIComponent(session).replaceAll("*", "%2A");
  } catch {
    // a lone surrogate (from a hand-edited config) has no percent-encoding: hash it
  }
  if (name === "" || name.length > 200) name = new Bun.CryptoHasher("sha256").update(session).digest("hex").slice(0, 32);
  return `${tokenCacheDir(configDir)}/${name}.json`;
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

/**
 * A small file's text, through a private map. Our files are only ever replaced by rename, never
 * rewritten in place, so the mapped inode cannot shrink under us. Throws where mmap cannot serve:
 * a missing file, an empty one, or one it may not open read-write (Bun's mmap asks for that);
 * get-token's full command then reads it the ordinary way.
 */
export function readSmallFile(path: string): string {
  return new TextDecoder().decode(Bun.mmap(path, { shared: false }));
}
