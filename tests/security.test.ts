// The security promises that need a test of their own (the sandbox checks every other test's
// output and files for leaked secrets and loose modes): plain http only on loopback, TLS
// verified unless the session opts out, and a login callback that only 127.0.0.1 can reach,
// that no stray request can stop, and that tells the browser the truth only once it knows it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import YAML from "yaml";
import { completeBrowserLogin } from "./support/browser";
import { type Sandbox, sandbox } from "./support/cli";
import { leakedPiece } from "./support/leaks";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

let datum: LocalDatum;
beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  await datum.close();
});

async function withSandbox(fn: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = sandbox();
  try {
    await fn(sb);
  } finally {
    sb.cleanup();
  }
}

describe("plain http is for loopback only", () => {
  for (const args of [
    ["login", "--hostname", "http://auth.example.com", "--client-id", "x"],
    ["login", "--hostname", "auth.example.com", "--api-hostname", "http://api.example.com", "--client-id", "x"],
    ["login", "--hostname", "http://10.0.0.1:8080", "--client-id", "x"],
  ]) {
    test(args.slice(1).join(" "), async () =>
      withSandbox(async (sb) => {
        const r = await sb.run([...args, "--error-format", "json"]);
        expect(r.exitCode).toBe(1);
        const e = JSON.parse(r.stderr).error;
        expect(e.code).toBe("INVALID_INPUT");
        expect(e.message).toStartWith("refusing plain http for ");
      }),
    );
  }
});

describe("TLS", () => {
  test("the API's certificate is verified; only the session's own opt-out skips that", async () =>
    withSandbox(async (sb) => {
      await datum.signIn(sb, "ada");
      expect((await sb.run(["get", "dnszones", "-o", "name"])).exitCode).toBe(0);

      const path = join(sb.configDir, "config");
      const cfg = YAML.parse(readFileSync(path, "utf8"));
      delete cfg.sessions[0].endpoint["certificate-authority-data"];
      writeFileSync(path, YAML.stringify(cfg), { mode: 0o600 });
      const untrusted = await sb.run(["get", "dnszones", "--error-format", "json"]);
      expect(untrusted.exitCode).toBe(1);
      expect(JSON.parse(untrusted.stderr).error.code).toBe("TLS");

      cfg.sessions[0].endpoint["insecure-skip-tls-verify"] = true;
      writeFileSync(path, YAML.stringify(cfg), { mode: 0o600 });
      expect((await sb.run(["get", "dnszones", "-o", "name"])).stdout).toContain("dnszone.dns.networking.miloapis.com/example-com");
    }));
});

describe("the login callback", () => {
  /** A login whose browser opens nothing: the test plays the browser. */
  async function startLogin(sb: Sandbox) {
    const idle = join(sb.home, "idle-browser.sh");
    writeFileSync(idle, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const login = sb.start(datum.loginArgs("--context", "acme/web", "-v", "9"), { env: { BROWSER: idle } });
    const m = await login.waitForStderr(/visit:\n\n {2}(\S+)\n/);
    const redirect = new URL(new URL(m[1]!).searchParams.get("redirect_uri")!);
    return { login, authUrl: m[1]!, redirect };
  }

  /** GET with any Host header (fetch will not send one of our choosing). */
  function getWithHost(url: URL, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  }

  /** No -v 9 line of the login may show a token, a piece of one, or the authorization code. */
  function expectNoSecrets(stderr: string, code: string): void {
    expect(leakedPiece(stderr, [...datum.idp.issuedSecrets, code])).toBeUndefined();
  }

  test("listens on 127.0.0.1 only; stray requests (wrong or missing state, wrong Host, path) are refused and ignored; the page says signed in only after verification", async () =>
    withSandbox(async (sb) => {
      datum.idp.resetCounters();
      const { login, authUrl, redirect } = await startLogin(sb);
      expect(redirect.hostname).toBe("127.0.0.1");

      // Another loopback address of this machine reaches nothing.
      const elsewhere = await fetch(`http://127.0.0.2:${redirect.port}${redirect.pathname}?code=x&state=y`).then(
        () => "answered",
        () => "refused",
      );
      expect(elsewhere).toBe("refused");

      const callback = await completeBrowserLogin(authUrl, "ada");
      const code = callback.searchParams.get("code")!;
      const state = callback.searchParams.get("state")!;
      const withParams = (params: Record<string, string>, path = redirect.pathname) => {
        const u = new URL(path, redirect);
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
        return u;
      };
      // Any local process can send these; none may stop (or finish) the login.
      expect((await fetch(withParams({ code, state: "forged" }))).status).toBe(400);
      expect((await fetch(withParams({ code }))).status).toBe(400);
      expect((await fetch(withParams({ code, state }, "/elsewhere"))).status).toBe(404);
      // A page on another site whose name resolves to 127.0.0.1 (DNS rebinding), even with the right state.
      expect(await getWithHost(callback, `evil.example:${redirect.port}`)).toBe(400);
      expect(await getWithHost(callback, `127.0.0.1.nip.io:${redirect.port}`)).toBe(400);
      expect(datum.idp.grants.authorization_code).toBe(0);

      // Hold the provider's key set: the code is exchanged but the ID token cannot be verified yet.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      datum.idp.faults.add({ path: "/jwks", times: 1, action: { gate } });
      const verifying = datum.idp.faults.nextRequest("/jwks");
      let answered = false;
      const page = fetch(callback).then(async (r) => {
        answered = true;
        return { status: r.status, text: await r.text() };
      });
      try {
        await verifying;
        expect(datum.idp.grants.authorization_code).toBe(1);
        expect(answered).toBe(false);
      } finally {
        open();
      }
      const shown = await page;
      expect(shown.status).toBe(200);
      expect(shown.text).toContain("Signed in");

      const r = await login.result();
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain("✓ Authenticated as Ada Lovelace");
      expectNoSecrets(r.stderr, code);
    }));

  for (const [what, spoil, reason] of [
    ["a broken signature", () => (datum.idp.tamperIdToken = true), "the signature does not match"],
    ["another audience, validly signed", () => (datum.idp.idTokenClaims = { aud: "someone-else" }), 'unexpected JWT "aud" (audience) claim value'],
  ] as const) {
    test(`an ID token with ${what} fails verification, and the page and the CLI say so; nothing is saved`, async () =>
      withSandbox(async (sb) => {
        spoil();
        try {
          const { login, authUrl } = await startLogin(sb);
          const callback = await completeBrowserLogin(authUrl, "ada");
          const page = await fetch(callback);
          const text = await page.text();
          expect(page.status).toBe(400);
          expect(text).toContain("Sign-in failed");
          expect(text).toContain(`ID token failed verification: ${reason.replaceAll('"', "&#34;")}`);
          const r = await login.result();
          expect(r.exitCode).toBe(1);
          expect(r.stderr).toContain(`error: the identity provider's ID token failed verification: ${reason}`);
          expect(r.stderr).not.toContain("may be down");
          expect(existsSync(join(sb.configDir, "credentials.json"))).toBe(false);
          expectNoSecrets(r.stderr, callback.searchParams.get("code")!);
        } finally {
          datum.idp.tamperIdToken = false;
          datum.idp.idTokenClaims = undefined;
        }
      }));
  }
});
