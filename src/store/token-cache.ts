// Short-lived access tokens, one 0600 JSON file per session under ~/.datumctl/cache/tokens/,
// replaced atomically so a reader never sees half a token. get-token's fast path reads them
// through ./token-cache-read.ts alone; writes and the reader everything else uses live here.
import { readFileSync, unlinkSync } from "node:fs";
import { writeFileAtomic } from "./atomic";
import { type CachedToken, parseCachedToken, tokenCachePath } from "./token-cache-read";

export { type CachedToken, tokenCachePath } from "./token-cache-read";

/** The cached token for a session, or undefined; a corrupt file is reported and ignored. */
export function readCachedToken(configDir: string, session: string, warn: (text: string) => void): CachedToken | undefined {
  const path = tokenCachePath(configDir, session);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const t = parseCachedToken(text, session);
  if (t !== "corrupt") return t;
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
