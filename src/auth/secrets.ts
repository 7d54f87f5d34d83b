// What a session keeps in the credential store (keyring or credentials.json), keyed by its
// user key. The Go tool's blob shape, so either tool can read the other's entries, plus what a
// refresh needs here (issuer with its scheme, CA). The short-lived access token is not kept
// here: it lives in the token cache, so keyring items stay small and get-token never waits on one.
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { CredentialStore } from "../store/credentials";

export interface ServiceAccountSecrets {
  client_email: string;
  client_id: string;
  private_key_id: string;
  /** The PEM on disk, 0600, under ~/.datumctl/service-accounts/. */
  private_key_path: string;
  token_uri: string;
  scope?: string;
}

export interface StoredCredentials {
  /** Auth host[:port]. */
  hostname: string;
  /** API host[:port]. */
  api_hostname: string;
  client_id: string;
  endpoint_auth_url?: string;
  endpoint_token_url: string;
  scopes: string[];
  token: { refresh_token?: string; token_type?: string };
  user_name?: string;
  user_email: string;
  subject: string;
  credential_type?: "service_account";
  service_account?: ServiceAccountSecrets;
  /** The issuer URL, scheme included (the Go tool assumed https). */
  issuer: string;
  revocation_endpoint?: string;
  /** Base64 PEM to trust for the IdP, from login --certificate-authority. */
  certificate_authority_data?: string;
  [unknown: string]: unknown;
}

export type StoreContext = Pick<Runtime, "configDir" | "env" | "io"> & { deferNotices?: boolean };

export function credentialStore(ctx: StoreContext): CredentialStore {
  return new CredentialStore({
    configDir: ctx.configDir,
    env: ctx.env,
    warn: (t) => ctx.io.err(`warning: ${t}\n`),
    deferNotices: ctx.deferNotices,
  });
}

/** `session` names the entry in messages (the key ends in the auth host, a name nobody else shows). */
export async function readCredentials(store: CredentialStore, userKey: string, session?: string): Promise<StoredCredentials | undefined> {
  const raw = await store.get(userKey);
  if (raw === null) return undefined;
  try {
    const creds = JSON.parse(raw) as StoredCredentials;
    if (creds && typeof creds === "object" && typeof creds.endpoint_token_url === "string") {
      // Entries written by the Go tool have no issuer: it was always https://<hostname>.
      creds.issuer ??= `https://${creds.hostname}`;
      creds.scopes ??= [];
      creds.token ??= {};
      return creds;
    }
  } catch {
    // fall through
  }
  throw new DatumctlError(`the stored credentials ${session ? `of session ${session}` : `under ${userKey}`} are unreadable`, {
    code: "AUTH_REQUIRED",
    hint: "Run 'datumctl login' again to replace them.",
  });
}

export async function writeCredentials(store: CredentialStore, userKey: string, creds: StoredCredentials, session: string): Promise<void> {
  await store.set(userKey, JSON.stringify(creds), session);
}
