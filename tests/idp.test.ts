// The test IdP (tests/support/idp.ts) and headless browser (tests/support/browser.ts), proven
// from the client side with oauth4webapi, the library datumctl itself uses.
import { afterAll, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRemoteJWKSet, decodeJwt, generateKeyPair, importPKCS8, jwtVerify, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { completeBrowserLogin, completeDeviceLogin, CookieJar, HEADLESS_BROWSER, parseForms } from "./support/browser";
import { CALLBACK_PATH, DEVICE_CODE_GRANT, type Idp, JWT_BEARER_GRANT, LOGIN_SCOPES, type ServiceAccountKeyFile, startIdp } from "./support/idp";
import { ADA, API_AUDIENCE, BOB } from "./support/users";

const insecure = { [oauth.allowInsecureRequests]: true } as const;

let idp: Idp;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let tmp: string;

beforeAll(async () => {
  idp = await startIdp({ deviceInterval: 0.1 });
  as = await oauth.processDiscoveryResponse(new URL(idp.issuer), await oauth.discoveryRequest(new URL(idp.issuer), insecure));
  client = { client_id: idp.clientId };
  jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
  tmp = mkdtempSync(join(tmpdir(), "datumctl-idp-"));
});

afterAll(async () => {
  await idp?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A minimal CLI-style loopback listener on 127.0.0.1:<random>/datumctl/auth/callback. */
function loopback(answer: (u: URL) => Response = () => Response.redirect("https://www.datum.net/docs/datumctl/cli-reference/#see-also", 302)) {
  let deliver!: (u: URL) => void;
  const received = new Promise<URL>((resolve) => {
    deliver = resolve;
  });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const u = new URL(req.url);
      if (u.pathname !== CALLBACK_PATH) return new Response("not found", { status: 404 });
      deliver(u);
      return answer(u);
    },
  });
  return { redirectUri: `http://127.0.0.1:${server.port}${CALLBACK_PATH}`, received, stop: () => server.stop(true) };
}

async function authorizationRequest(redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: LOGIN_SCOPES,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    prompt: "select_account",
    ...extra,
  }).toString();
  return { url, verifier, state };
}

async function exchange(callback: URL, state: string, redirectUri: string, verifier: string) {
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, client, res);
}

/** The whole browser flow, as datumctl runs it: loopback listener, headless browser, code exchange. */
async function browserLogin(userId: string) {
  const lb = loopback();
  try {
    const { url, verifier, state } = await authorizationRequest(lb.redirectUri);
    const final = await completeBrowserLogin(url, userId);
    await fetch(final, { redirect: "manual" });
    const callback = await lb.received;
    return await exchange(callback, state, lb.redirectUri, verifier);
  } finally {
    lb.stop();
  }
}

async function refresh(refreshToken: string) {
  return oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, insecure));
}

async function oauthError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) return err.error;
    throw err;
  }
  throw new Error("expected an OAuth error response");
}

async function startDevice(endpointOverride?: string) {
  const meta = endpointOverride ? { ...as, device_authorization_endpoint: endpointOverride } : as;
  const res = await oauth.deviceAuthorizationRequest(meta, client, oauth.None(), { scope: LOGIN_SCOPES }, insecure);
  return oauth.processDeviceAuthorizationResponse(meta, client, res);
}

/** RFC 8628 polling as a client does it; records every OAuth error seen. */
async function pollDevice(deviceCode: string, interval: number, onPending?: () => Promise<void>) {
  const seen: string[] = [];
  for (let i = 0; i < 50; i++) {
    try {
      const res = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, insecure);
      return { tokens: await oauth.processDeviceCodeResponse(as, client, res), seen };
    } catch (err) {
      if (!(err instanceof oauth.ResponseBodyError)) throw err;
      seen.push(err.error);
      if (err.error === "authorization_pending") {
        if (onPending && seen.filter((e) => e === "authorization_pending").length === 1) await onPending();
      } else if (err.error === "slow_down") {
        interval += 0.1; // RFC 8628 says +5 s; kept short here
      } else {
        return { error: err.error, seen };
      }
    }
    await Bun.sleep(interval * 1000);
  }
  throw new Error("device polling did not finish");
}

describe("discovery", () => {
  test("advertises the issuer, the device and revocation endpoints, PKCE S256 and the grants", () => {
    expect(as.issuer).toBe(idp.issuer);
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.device_authorization_endpoint).toBe(idp.deviceAuthorizationEndpoint);
    expect(as.revocation_endpoint).toBe(idp.revocationEndpoint);
    expect(as.token_endpoint).toBe(idp.tokenEndpoint);
    expect(as.jwks_uri).toBe(idp.jwksUri);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", DEVICE_CODE_GRANT, JWT_BEARER_GRANT]));
  });

  test("issuerOverride makes discovery lie, which a client must reject", async () => {
    idp.issuerOverride = "https://auth.datum.test";
    try {
      const res = await oauth.discoveryRequest(new URL(idp.issuer), insecure);
      await expect(oauth.processDiscoveryResponse(new URL(idp.issuer), res)).rejects.toThrow(/issuer/);
    } finally {
      idp.issuerOverride = undefined;
    }
  });
});

describe("browser login (PKCE, loopback, prompt=select_account)", () => {
  test("code exchange yields a JWT access token for the API, an ID token with the profile, and a refresh token", async () => {
    const lb = loopback();
    try {
      const { url, verifier, state } = await authorizationRequest(lb.redirectUri);
      const final = await completeBrowserLogin(url, ADA.id);
      // The browser helper stops at the callback; the listener has not been called yet.
      expect(final.origin).toBe(new URL(lb.redirectUri).origin);
      expect(final.pathname).toBe(CALLBACK_PATH);
      expect([...final.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
      expect(final.searchParams.get("iss")).toBe(idp.issuer);
      const answer = await fetch(final, { redirect: "manual" });
      expect(answer.status).toBe(302);
      const callback = await lb.received;

      const tokens = await exchange(callback, state, lb.redirectUri, verifier);
      expect(tokens.token_type).toBe("bearer");
      expect(tokens.refresh_token).toBeString();
      expect(tokens.scope?.split(" ").sort()).toEqual(["email", "offline_access", "openid", "profile"]);

      const at = await jwtVerify(tokens.access_token, jwks, { issuer: idp.issuer, audience: API_AUDIENCE });
      expect(at.protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt" });
      expect(at.payload).toMatchObject({ sub: ADA.id, aud: API_AUDIENCE, client_id: idp.clientId });
      expect(String(at.payload.scope)).toContain("openid");
      expect(await idp.verifyAccessToken(tokens.access_token)).toMatchObject({ sub: ADA.id });

      const id = await jwtVerify(tokens.id_token!, jwks, { issuer: idp.issuer, audience: idp.clientId });
      expect(id.payload).toMatchObject({ sub: ADA.id, email: ADA.email, email_verified: true, name: ADA.name });
      expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: ADA.id, email: ADA.email });
    } finally {
      lb.stop();
    }
  });

  test("an unknown login id becomes <id>@example.test", async () => {
    const tokens = await browserLogin("carol");
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: "carol", email: "carol@example.test", name: "carol" });
    expect(decodeJwt(tokens.access_token).sub).toBe("carol");
  });

  test("localhost is registered as well, on any port", async () => {
    const { url } = await authorizationRequest(`http://localhost:54321${CALLBACK_PATH}`);
    const final = await completeBrowserLogin(url, BOB.id);
    expect(final.host).toBe("localhost:54321");
    expect(final.searchParams.has("code")).toBe(true);
  });

  test("PKCE is required; a wrong redirect path is refused on the IdP's page", async () => {
    const lb = loopback();
    try {
      const { url } = await authorizationRequest(lb.redirectUri);
      url.searchParams.delete("code_challenge");
      url.searchParams.delete("code_challenge_method");
      const final = await completeBrowserLogin(url, ADA.id);
      expect(final.searchParams.get("error")).toBe("invalid_request");

      const bad = await authorizationRequest(`http://127.0.0.1:5555/other`);
      await expect(completeBrowserLogin(bad.url, ADA.id)).rejects.toThrow(/redirect_uri/);
    } finally {
      lb.stop();
    }
  });

  test("cancelling on the login page sends error=access_denied to the callback", async () => {
    const { url, state } = await authorizationRequest(`http://127.0.0.1:5555${CALLBACK_PATH}`);
    const final = await completeBrowserLogin(url, ADA.id, { cancel: true });
    expect(final.searchParams.get("error")).toBe("access_denied");
    expect(final.searchParams.get("state")).toBe(state);
  });
});

describe("refresh tokens", () => {
  test("refresh rotates; replaying the old token fails and kills the whole grant", async () => {
    const first = await browserLogin(ADA.id);
    const second = await refresh(first.refresh_token!);
    expect(second.refresh_token).toBeString();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await idp.verifyAccessToken(second.access_token))?.sub).toBe(ADA.id);
    expect(second.id_token).toBeString();

    expect(await oauthError(refresh(first.refresh_token!))).toBe("invalid_grant");
    // Reuse detection revoked the grant: the newest token is dead too.
    expect(await oauthError(refresh(second.refresh_token!))).toBe("invalid_grant");
  });

  test("revocation (RFC 7009) makes the refresh token fail", async () => {
    const tokens = await browserLogin(BOB.id);
    const res = await oauth.revocationRequest(as, client, oauth.None(), tokens.refresh_token!, insecure);
    await oauth.processRevocationResponse(res);
    expect(await oauthError(refresh(tokens.refresh_token!))).toBe("invalid_grant");
  });

  test("revokeGrantsOf(user) kills every refresh token of that user, and only theirs", async () => {
    const a1 = await browserLogin("dave");
    const a2 = await browserLogin("dave");
    const other = await browserLogin("erin");
    expect(await idp.revokeGrantsOf("dave")).toBeGreaterThanOrEqual(2);
    expect(await oauthError(refresh(a1.refresh_token!))).toBe("invalid_grant");
    expect(await oauthError(refresh(a2.refresh_token!))).toBe("invalid_grant");
    expect((await refresh(other.refresh_token!)).refresh_token).toBeString();
  });
});

describe("device authorization", () => {
  test("sends the configured interval; one slow_down; completes via verification_uri with the typed code", async () => {
    const start = await startDevice();
    expect(start.interval).toBe(0.1);
    expect(start.verification_uri).toBe(`${idp.issuer}/device`);
    expect(start.verification_uri_complete).toContain(start.user_code);

    idp.resetCounters();
    idp.device.slowDown = 1;
    const result = await pollDevice(start.device_code, start.interval!, () => completeDeviceLogin(start.verification_uri, start.user_code, BOB.id));
    expect(result.seen[0]).toBe("slow_down");
    expect(result.seen.filter((e) => e === "slow_down")).toHaveLength(1);
    expect(result.seen).toContain("authorization_pending");
    expect(idp.device.polls).toBe(result.seen.length + 1);
    expect(idp.device.slowDown).toBe(0);

    const tokens = result.tokens!;
    expect(tokens.refresh_token).toBeString();
    expect((await idp.verifyAccessToken(tokens.access_token))?.sub).toBe(BOB.id);
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: BOB.id, email: BOB.email, name: BOB.name });
    // A used device code is spent.
    expect(
      await oauthError(oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), start.device_code, insecure))),
    ).toBe("invalid_grant");
  });

  test("verification_uri_complete works without typing the code; Zitadel paths are aliases", async () => {
    const start = await startDevice(`${idp.issuer}/oauth/v2/device_authorization`);
    expect(start.interval).toBe(0.1);
    // The Go CLI rebuilds the URL as <host>/ui/v2/login/device?user_code=…
    await completeDeviceLogin(`${idp.issuer}/ui/v2/login/device?user_code=${encodeURIComponent(start.user_code)}`, undefined, "frank");
    const res = await fetch(`${idp.issuer}/oauth/v2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: start.device_code, client_id: idp.clientId }),
    });
    const tokens = await oauth.processDeviceCodeResponse(as, client, res);
    expect(decodeJwt(tokens.access_token).sub).toBe("frank");

    const other = await startDevice();
    await completeDeviceLogin(other.verification_uri_complete!, undefined, ADA.id);
    const done = await pollDevice(other.device_code, other.interval!);
    expect(done.seen).toEqual([]);
    expect(decodeJwt(done.tokens!.access_token).sub).toBe(ADA.id);
  });

  test("deny and expire knobs; the user pressing Abort denies for real", async () => {
    const a = await startDevice();
    idp.device.deny = true;
    try {
      expect(await pollDevice(a.device_code, a.interval!)).toEqual({ error: "access_denied", seen: ["access_denied"] });
    } finally {
      idp.device.deny = false;
    }

    const b = await startDevice();
    idp.device.expire = true;
    try {
      expect((await pollDevice(b.device_code, b.interval!)).error).toBe("expired_token");
    } finally {
      idp.device.expire = false;
    }

    const c = await startDevice();
    await completeDeviceLogin(c.verification_uri, c.user_code, ADA.id, { deny: true });
    expect((await pollDevice(c.device_code, c.interval!)).error).toBe("access_denied");

    await expect(completeDeviceLogin(c.verification_uri, "ZZZZ-ZZZZ", ADA.id)).rejects.toThrow(/device login failed/);
  });
});

describe("service accounts (JWT bearer, no client auth)", () => {
  let key: ServiceAccountKeyFile;
  beforeAll(async () => {
    key = await idp.createServiceAccount({ email: "ci@proj-a.iam.datum.test", projectId: "proj-a" });
  });

  async function assertion(k: ServiceAccountKeyFile, edit: { aud?: string; exp?: number; sign?: CryptoKey | Uint8Array; kid?: string } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const signingKey = edit.sign ?? (await importPKCS8(k.private_key, "RS256"));
    return new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: edit.kid ?? k.private_key_id })
      .setIssuer(k.client_id)
      .setSubject(k.client_id)
      .setAudience(edit.aud ?? new URL(k.token_uri).origin)
      .setIssuedAt(now)
      .setExpirationTime(edit.exp ?? now + 60)
      .setJti(crypto.randomUUID())
      .sign(signingKey);
  }

  /** The Go CLI's exact request: grant_type, assertion, scope; no client_id, no client auth. */
  function exchangeAssertion(jwt: string, scope = LOGIN_SCOPES) {
    return fetch(key.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: jwt, scope }),
    });
  }

  test("the key file has the portal's fields", () => {
    expect(key).toMatchObject({
      type: "datum_service_account",
      client_email: "ci@proj-a.iam.datum.test",
      token_uri: as.token_endpoint,
      api_endpoint: API_AUDIENCE,
      project_id: "proj-a",
    });
    expect(key.client_id).toMatch(/^\d{18}$/);
    expect(key.private_key_id).toMatch(/^\d{18}$/);
    expect(key.private_key).toStartWith("-----BEGIN PRIVATE KEY-----");
  });

  test("a valid assertion yields an API access token for the service account, without a refresh token", async () => {
    idp.resetCounters();
    const tokens = await oauth.processGenericTokenEndpointResponse(as, { client_id: key.client_id }, await exchangeAssertion(await assertion(key)));
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe("openid profile email");
    const at = await jwtVerify(tokens.access_token, jwks, { issuer: idp.issuer, audience: API_AUDIENCE });
    expect(at.payload).toMatchObject({ sub: key.client_id, client_id: key.client_id });
    expect(await idp.verifyAccessToken(tokens.access_token)).toMatchObject({ sub: key.client_id });
    expect(idp.grants[JWT_BEARER_GRANT]).toBe(1);

    // oauth4webapi's generic grant adds client_id=<the account's id>; that is accepted too.
    const saClient = { client_id: key.client_id };
    const res = await oauth.genericTokenEndpointRequest(
      as,
      saClient,
      oauth.None(),
      JWT_BEARER_GRANT,
      { assertion: await assertion(key), scope: "openid" },
      insecure,
    );
    expect(decodeJwt((await oauth.processGenericTokenEndpointResponse(as, saClient, res)).access_token).sub).toBe(key.client_id);
    expect(idp.grants[JWT_BEARER_GRANT]).toBe(2);
  });

  test("bad assertions are invalid_grant: wrong aud, wrong key, unknown kid, exp too far, garbage, removed account", async () => {
    idp.resetCounters();
    const now = Math.floor(Date.now() / 1000);
    const other = await generateKeyPair("RS256");
    const cases: Record<string, string> = {
      "aud = token endpoint": await assertion(key, { aud: key.token_uri }),
      "aud = API": await assertion(key, { aud: API_AUDIENCE }),
      "another key": await assertion(key, { sign: other.privateKey }),
      "unknown kid": await assertion(key, { kid: "123" }),
      "exp 2 h ahead": await assertion(key, { exp: now + 7200 }),
      expired: await assertion(key, { exp: now - 60 }),
      garbage: "not-a-jwt",
    };
    for (const [name, jwt] of Object.entries(cases)) {
      const res = await exchangeAssertion(jwt);
      expect({ name, status: res.status, body: await res.json() }).toEqual({
        name,
        status: 400,
        body: { error: "invalid_grant", error_description: "grant request is invalid" },
      });
    }
    const gone = await idp.createServiceAccount();
    const jwt = await assertion(gone);
    idp.removeServiceAccount(gone.client_id);
    const res = await fetch(gone.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: jwt, scope: "openid" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
    expect(idp.grants[JWT_BEARER_GRANT]).toBe(0);
  });
});

describe("knobs and helpers", () => {
  test("grant counters count successful token responses only, by grant type", async () => {
    idp.resetCounters();
    const t = await browserLogin(ADA.id);
    const r1 = await refresh(t.refresh_token!);
    const r2 = await refresh(r1.refresh_token!);
    expect(await oauthError(refresh("no-such-token"))).toBe("invalid_grant");
    const d = await startDevice();
    await pollDevice(d.device_code, d.interval!, () => completeDeviceLogin(d.verification_uri_complete!, undefined, BOB.id));
    expect(r2.refresh_token).toBeString();
    expect(idp.grants).toEqual({ authorization_code: 1, refresh_token: 2, [DEVICE_CODE_GRANT]: 1, [JWT_BEARER_GRANT]: 0 });
    idp.resetCounters();
    expect(Object.values(idp.grants)).toEqual([0, 0, 0, 0]);
    expect(idp.device.polls).toBe(0);
  });

  test("TTLs are settable per test and apply to the next tokens", async () => {
    const saved = { ...idp.ttl };
    idp.ttl.accessToken = 2;
    idp.ttl.idToken = 3;
    try {
      const t = await browserLogin(ADA.id);
      expect(t.expires_in).toBe(2);
      const at = decodeJwt(t.access_token);
      expect(at.exp! - at.iat!).toBe(2);
      const id = decodeJwt(t.id_token!);
      expect(id.exp! - id.iat!).toBe(3);

      idp.ttl.deviceCode = 7;
      expect((await startDevice()).expires_in).toBe(7);
    } finally {
      Object.assign(idp.ttl, saved);
    }
  });

  test("a short refresh-token TTL expires the refresh token", async () => {
    const saved = idp.ttl.refreshToken;
    idp.ttl.refreshToken = 1;
    try {
      const t = await browserLogin(BOB.id);
      // The provider reads Date.now(), so moving the clock expires the token without waiting.
      setSystemTime(new Date(Date.now() + 5_000));
      expect(await oauthError(refresh(t.refresh_token!))).toBe("invalid_grant");
    } finally {
      setSystemTime();
      idp.ttl.refreshToken = saved;
    }
  });

  test("tamperIdToken breaks the ID token's signature (oauth4webapi alone does not notice)", async () => {
    idp.tamperIdToken = true;
    try {
      const t = await browserLogin(ADA.id);
      expect(oauth.getValidatedIdTokenClaims(t)?.sub).toBe(ADA.id);
      await expect(jwtVerify(t.id_token!, jwks, { issuer: idp.issuer, audience: idp.clientId })).rejects.toThrow(/signature/);
      expect(await idp.verifyAccessToken(t.access_token)).not.toBeNull();
    } finally {
      idp.tamperIdToken = false;
    }
  });

  test("mintAccessToken signs tokens the IdP (and its JWKS) accept; verifyAccessToken refuses bad ones", async () => {
    const minted = await idp.mintAccessToken("static-user", 600);
    const v = await jwtVerify(minted, jwks, { issuer: idp.issuer, audience: API_AUDIENCE, typ: "at+jwt" });
    expect(v.payload.sub).toBe("static-user");
    expect(v.payload.exp! - v.payload.iat!).toBe(600);
    expect(await idp.verifyAccessToken(minted)).toMatchObject({ sub: "static-user", client_id: idp.clientId });

    expect(await idp.verifyAccessToken(await idp.mintAccessToken("late", -10))).toBeNull();
    expect(await idp.verifyAccessToken(await idp.mintAccessToken("x", 600, { aud: "https://elsewhere" }))).toBeNull();
    expect(await idp.verifyAccessToken(await idp.mintAccessToken("x", 600, { iss: "https://auth.datum.test" }))).toBeNull();
    const [h, , s] = minted.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(minted), sub: "root" })).toString("base64url")}.${s}`;
    expect(await idp.verifyAccessToken(forged)).toBeNull();
    expect(await idp.verifyAccessToken("garbage")).toBeNull();
    const stranger = await startIdp();
    try {
      expect(await idp.verifyAccessToken(await stranger.mintAccessToken(ADA.id))).toBeNull();
    } finally {
      await stranger.close();
    }
  });
});

describe("browser helpers", () => {
  test("the cookie jar sends a cookie only on its host and path", () => {
    const jar = new CookieJar();
    const base = new URL("http://127.0.0.1:1/interaction/abc");
    jar.store(base, [
      "_interaction=1; path=/interaction/abc; httponly; samesite=lax",
      "_interaction_resume=2; path=/auth/abc; httponly",
      "_session=3; path=/; expires=Wed, 01 Jan 2098 00:00:00 GMT",
      "gone=4; path=/; max-age=0",
    ]);
    expect(jar.header(new URL("http://127.0.0.1:1/interaction/abc"))).toBe("_interaction=1; _session=3");
    expect(jar.header(new URL("http://127.0.0.1:1/interaction/abcdef"))).toBe("_session=3");
    expect(jar.header(new URL("http://127.0.0.1:1/auth/abc"))).toBe("_interaction_resume=2; _session=3");
    expect(jar.header(new URL("http://localhost:1/auth/abc"))).toBeUndefined();
    jar.store(base, ["_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.header(new URL("http://127.0.0.1:1/"))).toBeUndefined();
  });

  test("parseForms reads hidden inputs, entities and relative actions", () => {
    const [form] = parseForms(
      `<form id="f" method="post" action="/device?x=1&amp;y=2"><input type="hidden" name="xsrf" value="a&quot;b"/>
       <input\n type="text" name="user_code"></input><button type="submit" name="abort" value="yes">x</button></form>`,
      new URL("http://127.0.0.1:9/device"),
    );
    expect(form).toEqual({ id: "f", method: "POST", action: new URL("http://127.0.0.1:9/device?x=1&y=2"), fields: { xsrf: 'a"b', user_code: "" } });
  });
});

describe("$BROWSER script", () => {
  test("completes a login started by a real child process with its own loopback listener", async () => {
    // A stand-in for the CLI: listen, open $BROWSER, wait for the callback, print it, exit.
    const child = join(tmp, "mini-cli.ts");
    writeFileSync(
      child,
      `const { ISSUER, CLIENT_ID, CHALLENGE, STATE, CALLBACK_PATH } = process.env;
let done;
const got = new Promise((r) => (done = r));
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch(req) {
  const u = new URL(req.url);
  if (u.pathname !== CALLBACK_PATH) return new Response("nope", { status: 404 });
  done(u);
  return Response.redirect("https://www.datum.net/docs/datumctl/cli-reference/#see-also", 302);
} });
const redirectUri = "http://127.0.0.1:" + server.port + CALLBACK_PATH;
const url = new URL(ISSUER + "/auth");
url.search = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: redirectUri,
  scope: "openid profile email offline_access", state: STATE, code_challenge: CHALLENGE,
  code_challenge_method: "S256", prompt: "select_account" }).toString();
const browser = Bun.spawn([process.env.BROWSER, url.href], { stdout: "inherit", stderr: "inherit" });
const callback = await got;
const browserExit = await browser.exited;
server.stop(true);
console.log(JSON.stringify({ redirectUri, callback: callback.href, browserExit }));
`,
    );
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const proc = Bun.spawn([process.execPath, child], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        BROWSER: HEADLESS_BROWSER,
        DATUMCTL_TEST_LOGIN: BOB.id,
        ISSUER: idp.issuer,
        CLIENT_ID: idp.clientId,
        CHALLENGE: await oauth.calculatePKCECodeChallenge(verifier),
        STATE: state,
        CALLBACK_PATH,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    // Exactly one line: the browser printed nothing to stdout.
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as { redirectUri: string; callback: string; browserExit: number };
    expect(report.browserExit).toBe(0);

    const tokens = await exchange(new URL(report.callback), state, report.redirectUri, verifier);
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: BOB.id, email: BOB.email });
  });

  async function runBrowser(url: URL, env: Record<string, string> = {}) {
    const proc = Bun.spawn([HEADLESS_BROWSER, url.href], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, exitCode };
  }

  test("exits non-zero when the callback carries an error, after delivering it", async () => {
    const lb = loopback(() => new Response("login failed", { status: 400 }));
    try {
      const { url } = await authorizationRequest(lb.redirectUri);
      const r = await runBrowser(url, { DATUMCTL_TEST_BROWSER_CANCEL: "1" });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("access_denied");
      expect((await lb.received).searchParams.get("error")).toBe("access_denied");
    } finally {
      lb.stop();
    }
  });

  test("exits non-zero when the CLI's listener rejects the callback (state mismatch)", async () => {
    const lb = loopback(() => new Response("state mismatch", { status: 400 }));
    try {
      const { url } = await authorizationRequest(lb.redirectUri);
      const r = await runBrowser(url, { DATUMCTL_TEST_LOGIN: "ada", DATUMCTL_TEST_BROWSER_DEBUG: "1" });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("callback answered 400");
      expect((await lb.received).searchParams.has("code")).toBe(true);
    } finally {
      lb.stop();
    }
  });
});
