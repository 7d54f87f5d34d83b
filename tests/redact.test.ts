// Nothing -v prints may carry a secret.
import { describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { holdSecret, REDACTED, redactBody, redactHeaders, redactText, redactUrl } from "../src/log/redact";
import { vlog } from "../src/log/verbose";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";

describe("redaction", () => {
  test("headers: Authorization, cookies and anything token-like", () => {
    const h = Object.fromEntries(redactHeaders({ Authorization: `Bearer ${JWT}`, "X-Api-Key": "k", Accept: "application/json" }));
    expect(h).toEqual({ Authorization: REDACTED, "X-Api-Key": REDACTED, Accept: "application/json" });
  });

  test("form bodies: tokens, codes, verifiers and assertions", () => {
    const body = "grant_type=authorization_code&code=abc&code_verifier=v&refresh_token=r&client_id=datumctl&assertion=a";
    const out = new URLSearchParams(redactBody(body, "application/x-www-form-urlencoded"));
    expect(Object.fromEntries(out)).toEqual({
      grant_type: "authorization_code",
      code: REDACTED,
      code_verifier: REDACTED,
      refresh_token: REDACTED,
      client_id: "datumctl",
      assertion: REDACTED,
    });
  });

  test("JSON bodies, nested, keeping numbers such as a Status code", () => {
    const out = JSON.parse(redactBody(JSON.stringify({ access_token: "a", token: { refresh_token: "r" }, code: 404, device_code: "d", name: "x" })));
    expect(out).toEqual({ access_token: REDACTED, token: { refresh_token: REDACTED }, code: 404, device_code: REDACTED, name: "x" });
  });

  test("free text: JWTs, bearer credentials and PEM private keys", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
    const out = redactText(`token ${JWT} then Bearer abc.def and ${pem}`);
    expect(out).not.toContain(JWT);
    expect(out).not.toContain("abc.def");
    expect(out).not.toContain("MIIEow");
  });

  test("URLs: secret query parameters", () => {
    const out = redactUrl("http://127.0.0.1:1234/datumctl/auth/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth");
    expect(out).not.toContain("abc");
    expect(out).not.toContain("xyz");
    expect(out).toContain("iss=");
  });
});

describe("the secrets this process holds", () => {
  test("a held value is scrubbed wherever it appears: plain, URL-encoded, JSON-escaped, in any content type", () => {
    const opaque = "opaque+refresh/token=value_1234567890";
    holdSecret(opaque);
    const lines = [
      `text/plain says ${opaque} here`,
      `a=1&b=${encodeURIComponent(opaque)}&c=2`,
      new URLSearchParams({ not_named_secret: opaque }).toString(),
      JSON.stringify({ harmless: opaque }),
      redactBody(`<html>${opaque}</html>`, "text/html"),
    ];
    for (const line of lines) {
      const out = redactText(line);
      expect(out).toContain(REDACTED);
      expect(out).not.toContain("1234567890");
    }
  });

  test("a private key is scrubbed line by line, so half a key in a cut-off body shows nothing", () => {
    const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    holdSecret(pem);
    const body = JSON.stringify({ private_key: pem }).slice(0, 700);
    const out = redactBody(body.slice(body.indexOf("\\n") + 2), "application/json");
    for (const line of pem.split("\n").slice(1, 8)) expect(out).not.toContain(line.slice(0, 24));
  });

  test("JSON cut short inside a secret: redacted by field name, and what was seen is held from then on", () => {
    const partial = "rt_4f9a8b7c6d5e4f3a2b1c";
    const out = redactBody(`{"access_token":"at_0123456789abcdef","expires_in":3600,"refresh_token":"${partial}`, "application/json");
    expect(out).toBe(`{"access_token":"${REDACTED}","expires_in":3600,"refresh_token":"${REDACTED}`);
    expect(redactText(`later: ${partial}`)).toBe(`later: ${REDACTED}`);
  });

  test("a form sent as text/plain: redacted by field name", () => {
    const out = redactBody("access_token=at_abcdefghijklmnop&token_type=Bearer&refresh_token=rt_qrstuvwxyz0123&expires_in=3600", "text/plain");
    expect(out).toBe(`access_token=${REDACTED}&token_type=Bearer&refresh_token=${REDACTED}&expires_in=3600`);
  });

  test("an OIDC discovery document keeps its endpoints (named *token* but no secrets)", () => {
    const doc = {
      token_endpoint: "https://auth.example/oauth/v2/token",
      device_authorization_endpoint: "https://auth.example/device",
      token_endpoint_auth_methods_supported: ["none"],
    };
    expect(JSON.parse(redactBody(JSON.stringify(doc), "application/json"))).toEqual(doc);
    expect(redactText("POST https://auth.example/oauth/v2/token 200 OK")).toBe("POST https://auth.example/oauth/v2/token 200 OK");
  });

  test("every -v line is scrubbed, whatever its caller did", () => {
    const bearer = "sk_live_0123456789abcdefghij";
    holdSecret(bearer);
    let err = "";
    const rt = { io: { err: (s: string) => (err += s) }, globals: { verbosity: 9 } } as unknown as Parameters<typeof vlog>[0];
    vlog(rt, 6, `retrying with ${bearer} after {"device_code":"dc_0123456789abcdef`);
    expect(err).toBe(`retrying with ${REDACTED} after {"device_code":"${REDACTED}\n`);
  });
});
