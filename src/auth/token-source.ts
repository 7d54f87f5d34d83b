// The access token for a session: from the token cache while it is fresh, else refreshed once
// under a per-session cross-process lock (so 30 kubectl calls at expiry make one refresh and a
// rotated refresh token is never replayed), and saved before anyone uses it.
import * as oauth from "oauth4webapi";
import type { Runtime } from "../runtime";
import { critical } from "../critical-section";
import { DatumctlError, isDatumctlError } from "../errors";
import { vlog } from "../log/verbose";
import { cancelReservations, reserveReplacements } from "../store/atomic";
import type { CredentialStore } from "../store/credentials";
import { withFileLock } from "../store/lock";
import { refreshLockPath } from "../store/paths";
import { type CachedToken, readCachedToken, tokenCachePath, writeCachedToken } from "../store/token-cache";
import { type AccessToken, toAccessToken, usableToken } from "./access-token";
import { lifetimeFrom } from "./lifetime";
import { caTLS, oauthError, oauthOptions } from "./oauth";
import { type StoredCredentials, credentialStore, readCredentials, writeCredentials } from "./secrets";
import { exchangeAssertion, loadKey, mintAssertion } from "./service-account";
import { withSessionCredentials } from "./session-keys";

export type AuthRuntime = Pick<Runtime, "io" | "globals" | "configDir" | "env" | "serverWarnings"> & { deferNotices?: boolean };

export type { AccessToken } from "./access-token";

const LOCK_WAIT_MS = 10_000;
/** Room reserved beyond each file's present size for the new tokens (a refresh token is ~1 KiB). */
const ROOM_FOR_TOKENS = 64 * 1024;

export interface TokenOptions {
  /** A token the server just refused: get a different one even if it looks fresh. */
  rejected?: string;
}

export async function accessToken(rt: AuthRuntime, session: string, opts: TokenOptions = {}): Promise<AccessToken> {
  const cached = usableToken(readCachedToken(rt.configDir, session, (w) => rt.io.err(`warning: ${w}\n`)));
  if (cached && cached.token !== opts.rejected) return cached;
  let lockTaken = false;
  return withFileLock(
    refreshLockPath(rt.configDir, session),
    async () => {
      lockTaken = true;
      // Another process may have refreshed while we waited.
      const again = usableToken(readCachedToken(rt.configDir, session, () => {}));
      if (again && again.token !== opts.rejected) return again;
      return refresh(rt, session);
    },
    {
      waitMs: LOCK_WAIT_MS,
      // Whoever holds the lock is refreshing: take their token as soon as it lands.
      whileWaiting: () => {
        const t = usableToken(readCachedToken(rt.configDir, session, () => {}));
        return t && t.token !== opts.rejected ? t : undefined;
      },
    },
  ).catch((e: unknown) => {
    throw lockTaken ? e : notRefreshing(e, session);
  });
}

/** A file-system failure before anything was spent: say that the session was left alone. */
function notRefreshing(e: unknown, session: string): unknown {
  if (!isDatumctlError(e) || e.code !== "STORAGE") return e;
  return new DatumctlError(`not refreshing session ${session}, as its new tokens could not be saved: ${e.message}`, {
    code: "STORAGE",
    hint: `${e.hint ?? ""} The stored session is unchanged.`.trim(),
    cause: e,
  });
}

/**
 * Room for everything a refresh saves, taken before the refresh token is spent: the token
 * cache file, and credentials.json unless the keyring alone is used.
 */
function reserveRoomForTokens(rt: AuthRuntime, store: CredentialStore, session: string): void {
  const paths = [tokenCachePath(rt.configDir, session)];
  if (store.mode !== "keyring") paths.push(store.file.path);
  try {
    reserveReplacements(paths, ROOM_FOR_TOKENS);
  } catch (e) {
    throw notRefreshing(e, session);
  }
}

async function refresh(rt: AuthRuntime, sessionName: string): Promise<AccessToken> {
  const store = credentialStore(rt);
  return withSessionCredentials(rt, store, sessionName, (userKey) => refreshEntry(rt, store, sessionName, userKey));
}

async function refreshEntry(rt: AuthRuntime, store: CredentialStore, sessionName: string, userKey: string): Promise<AccessToken> {
  const creds = await readCredentials(store, userKey, sessionName);
  if (!creds) {
    throw new DatumctlError(`session ${sessionName} is not signed in (no stored credentials)`, {
      code: "AUTH_REQUIRED",
      hint: "Run 'datumctl login' to sign in again.",
    });
  }
  reserveRoomForTokens(rt, store, sessionName);
  vlog(rt, 4, `refreshing the access token of session ${sessionName}`);
  try {
    // Once the request is out the IdP may have rotated the refresh token: a signal now waits
    // for the answer to be saved.
    return await critical("saving the refreshed session", async () => {
      const arrived = Date.now();
      const response = creds.service_account ? await serviceAccountToken(rt, creds) : await refreshGrant(rt, sessionName, creds);
      if (response.refresh_token && response.refresh_token !== creds.token.refresh_token) {
        // Save the rotated refresh token before anyone uses the new access token: the old one is dead.
        creds.token.refresh_token = response.refresh_token;
        await writeCredentials(store, userKey, creds, sessionName);
      }
      const life = lifetimeFrom(response.expires_in, arrived);
      const entry: CachedToken = {
        session: sessionName,
        access_token: response.access_token,
        token_type: response.token_type ?? "Bearer",
        expiry: life.expiry,
        lifetime_seconds: life.lifetimeSeconds,
        subject: creds.subject,
      };
      writeCachedToken(rt.configDir, entry);
      return toAccessToken(entry, true);
    });
  } finally {
    cancelReservations();
  }
}

async function refreshGrant(rt: AuthRuntime, sessionName: string, creds: StoredCredentials) {
  const refreshToken = creds.token.refresh_token;
  if (!refreshToken) {
    throw new DatumctlError(`session ${sessionName} has no refresh token`, { code: "AUTH_EXPIRED", hint: "Run 'datumctl login' to sign in again." });
  }
  const issuer = new URL(creds.issuer);
  const as: oauth.AuthorizationServer = { issuer: creds.issuer, token_endpoint: creds.endpoint_token_url };
  const client: oauth.Client = { client_id: creds.client_id };
  const options = oauthOptions(rt, issuer, caTLS(creds.certificate_authority_data));
  try {
    const res = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, options);
    return await oauth.processRefreshTokenResponse(as, client, res);
  } catch (e) {
    throw oauthError(e, `refreshing session ${sessionName}`);
  }
}

async function serviceAccountToken(rt: AuthRuntime, creds: StoredCredentials) {
  const sa = creds.service_account!;
  const key = { client_id: sa.client_id, private_key_id: sa.private_key_id, private_key: loadKey(sa.private_key_path) };
  const assertion = mintAssertion(key, creds.issuer);
  return exchangeAssertion(rt, sa.token_uri, assertion, sa.scope ?? creds.scopes.join(" "), caTLS(creds.certificate_authority_data));
}
