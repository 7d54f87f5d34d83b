// What every interactive flow hands back once the IdP has answered.
import * as oauth from "oauth4webapi";
import type { HttpRuntime, TLSSettings } from "../api/http";
import { DatumctlError } from "../errors";
import { verifyIdToken } from "./id-token";

export interface LoginTokens {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  expiresIn?: number;
  /** When the response arrived, for the expiry. */
  arrivedAt: number;
  subject: string;
  email: string;
  name?: string;
}

/** Checks the ID token (claims by oauth4webapi, signature by us) and reads who signed in. */
export async function loginTokens(
  rt: HttpRuntime,
  as: oauth.AuthorizationServer,
  response: oauth.TokenEndpointResponse,
  arrivedAt: number,
  tls?: TLSSettings,
): Promise<LoginTokens> {
  const claims = oauth.getValidatedIdTokenClaims(response);
  if (!response.id_token || !claims) {
    throw new DatumctlError("the identity provider sent no ID token", { code: "SERVER", hint: "Is the 'openid' scope allowed for this client?" });
  }
  await verifyIdToken(rt, as, response.id_token, tls);
  const email = typeof claims.email === "string" ? claims.email : undefined;
  if (!claims.sub || !email) {
    throw new DatumctlError("the ID token names no subject or email", { code: "SERVER", hint: "Is the 'email' scope allowed for this client?" });
  }
  return {
    accessToken: response.access_token,
    tokenType: response.token_type ?? "Bearer",
    refreshToken: response.refresh_token,
    expiresIn: response.expires_in,
    arrivedAt,
    subject: claims.sub,
    email,
    name: typeof claims.name === "string" ? claims.name : undefined,
  };
}

/** --timeout ran out before anyone signed in. */
export const signInTimedOut = (timeoutMs: number, hint: string) =>
  new DatumctlError(`no sign-in arrived within ${Math.round(timeoutMs / 1000)}s`, { code: "TIMEOUT", hint });
