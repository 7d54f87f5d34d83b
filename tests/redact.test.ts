// Nothing -v prints may carry a secret.
import { describe, expect, test } from "bun:test";
import { REDACTED, redactBody, redactHeaders, redactText, redactUrl } from "../src/log/redact";

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
