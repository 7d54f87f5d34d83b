// oauth4webapi checks an ID token's claims (iss, aud, exp, nonce) but not its signature nor
// an `iat` in the future, so we verify the JWS against the provider's published keys, and the
// issue time against this machine's clock, before trusting who it names.
import { constants, createPublicKey, verify } from "node:crypto";
import * as oauth from "oauth4webapi";
import { type HttpRuntime, request, type TLSSettings } from "../api/http";
import { DatumctlError } from "../errors";

type Jwk = Record<string, unknown> & { kid?: string; alg?: string; use?: string };

/** JWS alg → how node:crypto verifies it. */
const ALGS: Record<string, { hash: string; pss?: boolean; ec?: boolean }> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", pss: true },
  ES256: { hash: "sha256", ec: true },
  ES384: { hash: "sha384", ec: true },
};

/**
 * How far ahead of this machine's clock an ID token may say it was issued. The IdP's clock
 * and ours may differ by this much (as `auth doctor` counts it) and sign-in still works.
 */
const ALLOWED_CLOCK_SKEW_S = 5 * 60;

const invalid = (why: string, more: { hint?: string; cause?: unknown } = {}) =>
  new DatumctlError(`the identity provider's ID token failed verification: ${why}`, {
    code: "AUTH_REQUIRED",
    hint: more.hint ?? "The sign-in was not trusted and nothing was saved. Try again; if it persists, check --hostname.",
    cause: more.cause,
  });

/** oauth4webapi's claim checks (nonce, aud, iss, exp…) failing: the ID token is not trusted. */
export function idTokenRejected(e: unknown): DatumctlError | undefined {
  if (e instanceof oauth.OperationProcessingError && (e.code === oauth.JWT_CLAIM_COMPARISON || e.code === oauth.JWT_TIMESTAMP_CHECK)) {
    return invalid(e.message, { cause: e });
  }
  return undefined;
}

/** The signature (by the provider's published keys) and the issue time (by our clock). */
export async function verifyIdToken(rt: HttpRuntime, as: oauth.AuthorizationServer, idToken: string, tls?: TLSSettings, now = Date.now()): Promise<void> {
  const [h, p, s] = idToken.split(".");
  if (!h || !p || !s) throw invalid("it is not a JWS");
  const header = decodePart(h) as { alg?: string; kid?: string };
  const alg = header.alg ? ALGS[header.alg] : undefined;
  if (!alg) throw invalid(`unsupported algorithm ${header.alg}`);
  if (!as.jwks_uri) throw invalid("the provider publishes no jwks_uri");
  const res = await request(rt, as.jwks_uri, { headers: { accept: "application/json" }, tls, bounded: "the identity provider's key set (JWKS)" });
  if (!res.ok) throw invalid(`fetching ${as.jwks_uri} gave HTTP ${res.status}`);
  const jwks = (await res.json().catch(() => undefined)) as { keys?: Jwk[] } | undefined;
  if (!jwks || !Array.isArray(jwks.keys)) throw invalid(`the key set at ${as.jwks_uri} is not a JWK set`);
  const candidates = jwks.keys.filter((k) => (!header.kid || k.kid === header.kid) && (!k.alg || k.alg === header.alg) && k.use !== "enc");
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, "base64url");
  const signed = candidates.some((jwk) => {
    try {
      const key = createPublicKey({ key: jwk as never, format: "jwk" });
      return verify(
        alg.hash,
        data,
        {
          key,
          ...(alg.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {}),
          ...(alg.ec ? { dsaEncoding: "ieee-p1363" as const } : {}),
        },
        signature,
      );
    } catch {
      return false; // a key of another type: try the next
    }
  });
  if (!signed) throw invalid("the signature does not match the provider's keys");
  const { iat } = decodePart(p) as { iat?: unknown };
  if (typeof iat !== "number") throw invalid("it has no iat (issued at) claim");
  const ahead = Math.floor(iat - now / 1000);
  if (ahead > ALLOWED_CLOCK_SKEW_S) {
    throw invalid(`it was issued ${ahead} s in the future by this machine's clock (at most ${ALLOWED_CLOCK_SKEW_S} s of clock skew is allowed)`, {
      hint: "This machine's clock is behind the identity provider's: sync it (timedatectl set-ntp true; on macOS: sntp -sS time.apple.com) and sign in again.",
    });
  }
}

function decodePart(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    if (value && typeof value === "object") return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid("it is not a JWS");
}
