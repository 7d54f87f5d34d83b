// When a token stops being usable. The expiry is the local arrival time plus expires_in, so a
// skewed clock between here and the IdP cannot hand out a dead token; a margin proportional to
// the lifetime (10 %, at most 60 s, plus a second of JWT rounding) keeps it from expiring on
// its way to the server.

export interface Lifetime {
  /** RFC 3339: arrival + expires_in. */
  expiry: string;
  /** expires_in as the server sent it. */
  lifetimeSeconds: number;
}

export const MAX_MARGIN_MS = 60_000;

export function lifetimeFrom(expiresIn: number | undefined, arrivedAt = Date.now()): Lifetime {
  // No expires_in: assume a short life rather than for ever.
  const seconds = expiresIn && expiresIn > 0 ? expiresIn : 300;
  return { expiry: new Date(arrivedAt + seconds * 1000).toISOString(), lifetimeSeconds: seconds };
}

/**
 * 10 % of the lifetime (at most 60 s), plus one second because a JWT's exp is in whole seconds
 * and may fall up to a second before arrival + expires_in; never more than half the lifetime,
 * so even a token of a few seconds is used at least once before it is refreshed.
 */
export function marginMs(lifetimeSeconds: number): number {
  return Math.min(Math.min(lifetimeSeconds * 100, MAX_MARGIN_MS) + 1000, lifetimeSeconds * 500);
}

/** The moment after which we no longer hand the token out. */
export function usableUntil(t: Lifetime): number {
  return Date.parse(t.expiry) - marginMs(t.lifetimeSeconds);
}

/**
 * RFC 3339 in whole seconds, as kubectl's ExecCredential expects. Sliced, not matched: the first
 * regular expression a process runs costs about half a millisecond, and get-token runs on
 * kubectl's every call. toISOString is always YYYY-MM-DDTHH:mm:ss.sssZ for years 0–9999.
 */
export const rfc3339Seconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
