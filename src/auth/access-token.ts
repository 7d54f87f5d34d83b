// A cached token as one to hand out, kept apart from the refresh code so `auth get-token`'s
// fast path loads nothing else (no OAuth library, no lock library, no YAML).
import type { CachedToken } from "../store/token-cache-read";
import { usableUntil } from "./lifetime";

export interface AccessToken {
  token: string;
  /** When we stop handing it out (expiry minus the margin), ms since the epoch. */
  usableUntil: number;
  subject?: string;
  session: string;
  refreshed: boolean;
}

export function toAccessToken(t: CachedToken, refreshed: boolean): AccessToken {
  const until = usableUntil({ expiry: t.expiry, lifetimeSeconds: t.lifetime_seconds ?? 0 });
  return { token: t.access_token, usableUntil: until, subject: t.subject, session: t.session, refreshed };
}

/** A cached token to hand out, while it is usable (its expiry minus the margin); else undefined. */
export function usableToken(t: CachedToken | undefined): AccessToken | undefined {
  const token = t && toAccessToken(t, false);
  return token && Date.now() < token.usableUntil ? token : undefined;
}
