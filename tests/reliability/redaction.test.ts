// -v 9 prints bodies, and a body need not be well-formed JSON or a properly labelled form: a
// token answer cut short mid-token, or a form sent as text/plain, must show no token, nor any
// piece of one, whatever the content type. The IdP mangles its own answers here
// (idp.tokenAnswer) and records every token it handed out (idp.issuedSecrets).
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HEADLESS_BROWSER } from "../support/browser";
import { type Sandbox, sandbox } from "../support/cli";
import { leakedPiece, storedSecrets } from "../support/leaks";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

let datum: LocalDatum;
let sb: Sandbox | undefined;

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterEach(() => {
  datum.idp.tokenAnswer = undefined;
  sb?.cleanup();
  sb = undefined;
});
afterAll(async () => {
  await datum?.close();
});

function expireCache(box: Sandbox): void {
  const dir = join(box.configDir, "cache", "tokens");
  for (const f of readdirSync(dir)) {
    const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
    writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
  }
}

/** Every secret there is: what the IdP issued (even in an answer we could not read), and what we stored. */
const allSecrets = (box: Sandbox) => [...datum.idp.issuedSecrets, ...storedSecrets(box.configDir)];

for (const mangle of ["truncated", "form-as-text"] as const) {
  describe(`a token answer ${mangle === "truncated" ? "cut short in the middle of the refresh token" : "sent as a form labelled text/plain"}`, () => {
    test("refresh at -v 9: the body is shown, no token nor piece of one", async () => {
      sb = sandbox();
      await datum.signIn(sb, "ada");
      const before = storedSecrets(sb.configDir);
      expireCache(sb);
      datum.idp.tokenAnswer = mangle;
      const issued = datum.idp.issuedSecrets.length;
      const r = await sb.run(["auth", "get-token", "-v", "9"]);
      expect(r.exitCode).toBe(1);
      // The mangled answer really carried new tokens, and -v 9 really printed it.
      expect(datum.idp.issuedSecrets.length).toBeGreaterThan(issued);
      expect(r.stderr).toContain("Response Body: ");
      expect(leakedPiece(r.stderr, [...allSecrets(sb), ...before])).toBeUndefined();
      expect(r.stderr).toContain(mangle === "truncated" ? '"refresh_token":"<redacted>' : "refresh_token=<redacted>");
    });

    test("browser login at -v 9: no token, code or verifier, nor a piece of one", async () => {
      sb = sandbox();
      datum.idp.tokenAnswer = mangle;
      const r = await sb.run([...datum.loginArgs(), "-v", "9"], { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("Response Body: ");
      expect(leakedPiece(r.stderr, allSecrets(sb))).toBeUndefined();
      expect(r.stderr).toContain("&code_verifier=<redacted>&");
    });
  });
}

describe("a service account's token answer cut short in the middle of the access token", () => {
  test("login --credentials at -v 9: no token, assertion or key, nor a piece of one", async () => {
    sb = sandbox();
    const key = await datum.idp.createServiceAccount({ email: "ci@acme.iam.datum.test", apiEndpoint: datum.api.url });
    const file = join(sb.home, "key.json");
    writeFileSync(file, JSON.stringify(key));
    datum.idp.tokenAnswer = "truncated";
    const r = await sb.run(["login", "--credentials", file, "--certificate-authority", datum.api.caFile, "-v", "9"]);
    expect(r.exitCode).toBe(1);
    const keyLines = key.private_key.split("\n").filter((l) => !l.startsWith("-----") && l.length > 0);
    expect(leakedPiece(r.stderr, [...allSecrets(sb), ...keyLines])).toBeUndefined();
    expect(r.stderr).toContain("&assertion=<redacted>");
    expect(r.stderr).toContain('Response Body: {"access_token":"<redacted>');
  });
});
