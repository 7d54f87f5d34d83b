// Persisting a sign-in: secrets first (credential store, token cache, service-account key),
// then the session in the config in one locked write, so an interrupted login never leaves a
// session that points at nothing.
import type { DatumctlConfig, Session } from "../store/config";
import { writeCachedToken } from "../store/token-cache";
import { lifetimeFrom } from "./lifetime";
import { type StoreContext, type StoredCredentials, credentialStore, writeCredentials } from "./secrets";
import { sessionUserKey } from "./session-keys";
import type { LoginTokens } from "./flow-result";

export interface SignedIn {
  tokens: LoginTokens;
  issuer: URL;
  api: URL;
  clientId: string;
  scopes: string[];
  authorizationEndpoint?: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  /** Base64 PEM, from --certificate-authority. */
  caData?: string;
  serviceAccount?: StoredCredentials["service_account"];
}

export const sessionNameFor = (email: string, api: URL) => `${email}@${api.host}`;

export async function saveSecrets(ctx: StoreContext, s: SignedIn): Promise<Session> {
  const { tokens } = s;
  const name = sessionNameFor(tokens.email, s.api);
  const userKey = sessionUserKey(name, s.issuer.host);
  const creds: StoredCredentials = {
    hostname: s.issuer.host,
    api_hostname: s.api.host,
    client_id: s.clientId,
    endpoint_auth_url: s.authorizationEndpoint,
    endpoint_token_url: s.tokenEndpoint,
    scopes: s.scopes,
    token: { refresh_token: tokens.refreshToken, token_type: tokens.tokenType },
    user_name: tokens.name,
    user_email: tokens.email,
    subject: tokens.subject,
    ...(s.serviceAccount ? { credential_type: "service_account" as const, service_account: s.serviceAccount } : {}),
    issuer: s.issuer.origin,
    revocation_endpoint: s.revocationEndpoint,
    certificate_authority_data: s.caData,
  };
  await writeCredentials(credentialStore(ctx), userKey, creds, name);
  const life = lifetimeFrom(tokens.expiresIn, tokens.arrivedAt);
  writeCachedToken(ctx.configDir, {
    session: name,
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expiry: life.expiry,
    lifetime_seconds: life.lifetimeSeconds,
    subject: tokens.subject,
  });
  return {
    name,
    "user-key": userKey,
    "user-email": tokens.email,
    ...(tokens.name ? { "user-name": tokens.name } : {}),
    endpoint: {
      server: s.api.origin,
      "auth-hostname": s.issuer.host,
      ...(s.caData ? { "certificate-authority-data": s.caData } : {}),
    },
  };
}

/**
 * Adds or replaces the session (keeping what the old entry knew, like its last context) and
 * makes it active. Returns the credential key it used before if no session names that any more.
 */
export function upsertSession(cfg: DatumctlConfig, session: Session): string | undefined {
  const sessions = cfg.sessions ?? [];
  const old = sessions.find((s) => s.name === session.name);
  const merged: Session = old ? { ...old, ...session, endpoint: { ...old.endpoint, ...session.endpoint } } : session;
  if (old && !session.endpoint["certificate-authority-data"]) delete merged.endpoint["certificate-authority-data"];
  cfg.sessions = [...sessions.filter((s) => s.name !== session.name), merged];
  cfg["active-session"] = session.name;
  const before = old?.["user-key"];
  return before && !cfg.sessions.some((s) => s["user-key"] === before) ? before : undefined;
}
