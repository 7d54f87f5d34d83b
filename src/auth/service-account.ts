// Service-account sign-in (RFC 7523, as Zitadel does it): an RS256 assertion signed with the
// key from the portal's key file, exchanged at the token endpoint. There is no refresh token:
// a new assertion is minted whenever the access token runs out.
import { createPrivateKey, randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type HttpRuntime, request, type TLSSettings } from "../api/http";
import { DatumctlError, invalidInput } from "../errors";
import { holdSecret } from "../log/redact";
import { writeFileAtomic } from "../store/atomic";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access"];

export interface KeyFile {
  type: string;
  client_id: string;
  client_email?: string;
  private_key_id: string;
  private_key: string;
  token_uri?: string;
  api_endpoint?: string;
  scope?: string;
  [unknown: string]: unknown;
}

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw invalidInput(`cannot read the credentials file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: KeyFile;
  try {
    data = JSON.parse(text) as KeyFile;
  } catch {
    throw invalidInput(`the credentials file ${path} is not valid JSON`, "Download the service account's key file from the portal again.");
  }
  if (!data || typeof data !== "object") throw invalidInput(`the credentials file ${path} is not a JSON object`);
  holdSecret(data.private_key);
  if (data.type !== "datum_service_account") {
    throw invalidInput(
      `unsupported credentials type ${JSON.stringify(data.type ?? null)} in ${path}`,
      'A service account key file has "type": "datum_service_account".',
    );
  }
  const missing = (["client_id", "private_key_id", "private_key"] as const).filter((k) => typeof data[k] !== "string" || data[k] === "");
  if (missing.length) throw invalidInput(`the credentials file ${path} is missing required fields: ${missing.join(", ")}`);
  try {
    if (createPrivateKey(data.private_key).asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
  } catch (e) {
    throw invalidInput(`the private_key in ${path} is not a usable RSA key: ${(e as Error).message}`);
  }
  return data;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** iss = sub = client_id, aud = the issuer, one hour at most. */
export function mintAssertion(key: { client_id: string; private_key_id: string; private_key: string }, audience: string, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = { alg: "RS256", typ: "JWT", kid: key.private_key_id };
  const claims = { iss: key.client_id, sub: key.client_id, aud: [audience], iat, exp: iat + 60, jti: randomUUID() };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), createPrivateKey(key.private_key));
  const assertion = `${input}.${b64url(signature)}`;
  holdSecret(assertion);
  return assertion;
}

export interface TokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

export async function exchangeAssertion(rt: HttpRuntime, tokenUrl: string, assertion: string, scope: string, tls?: TLSSettings): Promise<TokenResponse> {
  const res = await request(rt, tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion, scope }).toString(),
    tls,
    bounded: "the identity provider's token answer",
  });
  const body = (await res.json().catch(() => undefined)) as (TokenResponse & { error?: string; error_description?: string }) | undefined;
  if (!res.ok || !body?.access_token) {
    const why = body?.error ? `${body.error}${body.error_description ? ` (${body.error_description})` : ""}` : `HTTP ${res.status}`;
    const rejected = body?.error === "invalid_grant" || body?.error === "invalid_client" || res.status === 400 || res.status === 401;
    throw new DatumctlError(`the service account's token exchange failed: ${why}`, {
      code: rejected ? "AUTH_EXPIRED" : "SERVER",
      hint: rejected
        ? (clockHint(res.headers.get("date")) ?? "Check that the key is still active in the portal, then run 'datumctl login --credentials <file>' again.")
        : undefined,
    });
  }
  return body;
}

/**
 * An assertion lives 60 s by the IdP's clock, so a clock that far off makes every one dead on
 * arrival (or not yet valid): say so when the IdP's Date header shows it.
 */
function clockHint(date: string | null): string | undefined {
  const at = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  // Date has whole seconds: the IdP's clock was somewhere in [at, at + 1 s).
  const skew = Math.round((at + 500 - Date.now()) / 1000);
  if (Math.abs(skew) < 30) return undefined;
  return `This machine's clock is ${Math.abs(skew)} s ${skew > 0 ? "behind" : "ahead of"} the IdP's, and a signed assertion lives 60 s: sync the clock (timedatectl set-ntp true; on macOS: sntp -sS time.apple.com) and try again.`;
}

/** Where a session's service-account key lives: 0600, named by a hash of the user key. */
export function keyPath(configDir: string, userKey: string): string {
  const digest = new Bun.CryptoHasher("sha256").update(userKey).digest("hex");
  return join(configDir, "service-accounts", `${digest}.pem`);
}

export function saveKey(configDir: string, userKey: string, pem: string): string {
  const path = keyPath(configDir, userKey);
  writeFileAtomic(path, pem);
  return path;
}

export function loadKey(path: string): string {
  try {
    const pem = readFileSync(path, "utf8");
    holdSecret(pem);
    return pem;
  } catch {
    throw new DatumctlError(`the service account key ${path} is missing`, {
      code: "AUTH_REQUIRED",
      hint: "Run 'datumctl login --credentials <file>' again.",
    });
  }
}
