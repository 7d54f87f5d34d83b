// oauth4webapi wired to our HTTP client: every OAuth call gets -v logging with secrets
// redacted, --request-timeout, the IdP's CA, and http only for a loopback issuer.
import * as oauth from "oauth4webapi";
import { type HttpRuntime, request, type TLSSettings } from "../api/http";
import { DatumctlError, expectedError, toDatumctlError } from "../errors";
import { isLoopback } from "./hosts";
import { idTokenRejected } from "./id-token";

export function oauthOptions(rt: HttpRuntime, issuer: URL, tls?: TLSSettings) {
  return {
    [oauth.allowInsecureRequests]: issuer.protocol === "http:" && isLoopback(issuer),
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      request(rt, url, {
        method: init.method,
        headers: init.headers,
        body: init.body === undefined || init.body === null ? undefined : String(init.body),
        signal: init.signal,
        redirect: init.redirect,
        tls,
        // oauth4webapi reads answers itself: hand it one already read, and capped.
        bounded: "the identity provider's answer",
      }),
  };
}

export const caTLS = (caBase64?: string): TLSSettings | undefined => (caBase64 ? { ca: Buffer.from(caBase64, "base64").toString("utf8") } : undefined);

/** OAuth error responses as our errors; `invalid_grant` means the login is gone. */
export function oauthError(e: unknown, what: string): DatumctlError {
  if (e instanceof DatumctlError) return e;
  // Not "the IdP may be down": an ID token whose claims fail is a refusal to trust it.
  const rejected = idTokenRejected(e);
  if (rejected) return rejected;
  // A timeout or a full disk inside oauth4webapi (it reads bodies itself) is not the IdP's fault.
  const known = expectedError(e);
  if (known) return new DatumctlError(`${what}: ${known.message}`, { code: known.code, hint: known.hint, retryable: known.retryable, cause: e });
  if (e instanceof oauth.ResponseBodyError) {
    if (e.error === "invalid_grant" || e.error === "invalid_request") {
      return new DatumctlError(`${what}: the session has expired or was revoked (${e.error})`, {
        code: "AUTH_EXPIRED",
        hint: "Run 'datumctl login' to sign in again.",
        cause: e,
      });
    }
    return new DatumctlError(`${what}: ${e.error}${e.error_description ? ` (${e.error_description})` : ""}`, {
      code: "SERVER",
      cause: e,
    });
  }
  if (e instanceof oauth.OperationProcessingError || e instanceof oauth.UnsupportedOperationError) {
    const res = (e as { cause?: unknown }).cause;
    const status = res instanceof Response ? ` (HTTP ${res.status})` : "";
    return new DatumctlError(`${what}: the identity provider sent an answer datumctl cannot use${status}`, {
      code: "SERVER",
      retryable: true,
      hint: "Try again later; if it persists, the identity provider may be down or something in between is answering for it.",
      details: e.message,
      cause: e,
    });
  }
  return toDatumctlError(new Error(`${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e }));
}
