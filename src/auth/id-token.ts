// oauth4webapi checks an ID token's claims (iss, aud, exp, nonce) but not its signature, so
// we verify the JWS against the provider's published keys before trusting who it names.
import { constants, createPublicKey, verify } from "node:crypto";
import type * as oauth from "oauth4webapi";
import { request, type TLSSettings } from "../api/http";
import { DatumctlError } from "../errors";
import type { HttpRuntime } from "./oauth";

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

const invalid = (why: string) =>
  new DatumctlError(`the identity provider's ID token failed verification: ${why}`, {
    code: "AUTH_REQUIRED",
    hint: "The sign-in was not trusted and nothing was saved. Try again; if it persists, check --hostname.",
  });

export async function verifyIdTokenSignature(rt: HttpRuntime, as: oauth.AuthorizationServer, idToken: string, tls?: TLSSettings): Promise<void> {
  const [h, p, s] = idToken.split(".");
  if (!h || !p || !s) throw invalid("it is not a JWS");
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string; kid?: string };
  const alg = header.alg ? ALGS[header.alg] : undefined;
  if (!alg) throw invalid(`unsupported algorithm ${header.alg}`);
  if (!as.jwks_uri) throw invalid("the provider publishes no jwks_uri");
  const res = await request(rt, as.jwks_uri, { headers: { accept: "application/json" }, tls });
  if (!res.ok) throw invalid(`fetching ${as.jwks_uri} gave HTTP ${res.status}`);
  const { keys = [] } = (await res.json()) as { keys?: Jwk[] };
  const candidates = keys.filter((k) => (!header.kid || k.kid === header.kid) && (!k.alg || k.alg === header.alg) && k.use !== "enc");
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, "base64url");
  for (const jwk of candidates) {
    try {
      const key = createPublicKey({ key: jwk as never, format: "jwk" });
      const ok = verify(alg.hash, data, {
        key,
        ...(alg.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {}),
        ...(alg.ec ? { dsaEncoding: "ieee-p1363" as const } : {}),
      }, signature);
      if (ok) return;
    } catch {
      // a key of another type: try the next
    }
  }
  throw invalid("the signature does not match the provider's keys");
}
