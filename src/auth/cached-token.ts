// Reading the token cache, kept apart from the refresh code so `auth get-token`'s cached path
// loads nothing else (no OAuth library, no lock library, no YAML).
import type { Runtime } from "../cli/command";
import { type CachedToken, readCachedTokenLean } from "../store/token-cache-read";
import { isFresh, usableUntil } from "./lifetime";

export interface AccessToken {
  token: string;
  /** When we stop handing it out (expiry minus the margin), ms since the epoch. */
  usableUntil: number;
  subject?: string;
  session: string;
  refreshed: boolean;
}

const lifetime = (t: CachedToken) => ({ expiry: t.expiry, lifetimeSeconds: t.lifetime_seconds ?? 0 });

export const isFreshToken = (t: CachedToken | undefined): t is CachedToken => t !== undefined && isFresh(lifetime(t));

export function toAccessToken(t: CachedToken, refreshed: boolean): AccessToken {
  return { token: t.access_token, usableUntil: usableUntil(lifetime(t)), subject: t.subject, session: t.session, refreshed };
}

/** The token cache alone: no keyring, no lock, no network. */
export async function cachedAccessToken(rt: Pick<Runtime, "io" | "configDir">, session: string): Promise<AccessToken | undefined> {
  const t = await readCachedTokenLean(rt.configDir, session, (w) => rt.io.err(`warning: ${w}\n`));
  return isFreshToken(t) ? toAccessToken(t, false) : undefined;
}
