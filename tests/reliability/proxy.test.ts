// HTTPS_PROXY done right: the API reached by a name only the proxy can resolve
// (api.datum.test, tunnelled by a CONNECT proxy to 127.0.0.1, whose certificate names it),
// the loopback IdP never proxied (Go's rule, which kubectl users expect), NO_PROXY honoured,
// and trust from SSL_CERT_FILE as well as --certificate-authority.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HEADLESS_BROWSER } from "../support/browser";
import { type Sandbox, sandbox } from "../support/cli";
import { type ConnectProxy, startConnectProxy } from "../support/faults";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

let datum: LocalDatum;
let proxy: ConnectProxy;
let apiUrl: string;

beforeAll(async () => {
  datum = await startLocalDatum();
  await datum.api.useCertificate("api-datum-test");
  proxy = await startConnectProxy({ "api.datum.test": "127.0.0.1" });
  apiUrl = `https://api.datum.test:${new URL(datum.api.url).port}`;
});
afterAll(async () => {
  await proxy?.close();
  await datum?.close();
});

const idpHost = () => new URL(datum.idp.issuer).host;

function login(sb: Sandbox, env: Record<string, string | undefined>, ...extra: string[]) {
  return sb.run(["login", "--hostname", datum.idp.issuer, "--api-hostname", apiUrl, "--client-id", datum.idp.clientId, "--context", "acme/web", ...extra], {
    env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada", ...env },
  });
}

function expireToken(sb: Sandbox): void {
  const dir = join(sb.configDir, "cache", "tokens");
  for (const f of readdirSync(dir)) {
    const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
    writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
  }
}

describe("through a CONNECT proxy", () => {
  test("login, get and a refresh: every API request tunnels as api.datum.test, the loopback IdP goes direct", async () => {
    const sb = sandbox();
    try {
      proxy.connects.length = 0;
      const env = { HTTPS_PROXY: proxy.url };
      const r = await login(sb, env, "--certificate-authority", datum.api.caFile);
      expect(r.exitCode, r.stderr).toBe(0);
      const get = await sb.run(["get", "projects", "--organization", "acme", "-o", "name"], { env });
      expect(get.exitCode, get.stderr).toBe(0);
      expect(get.stdout).toContain("project.resourcemanager.miloapis.com/web");
      expireToken(sb);
      const refreshes = datum.idp.grants.refresh_token;
      const token = await sb.run(["auth", "get-token"], { env });
      expect(token.exitCode, token.stderr).toBe(0);
      expect(datum.idp.grants.refresh_token).toBe(refreshes + 1);
      // The lower-case spelling works the same.
      const lower = await sb.run(["get", "dnszones", "-o", "name"], { env: { https_proxy: proxy.url } });
      expect(lower.exitCode, lower.stderr).toBe(0);

      expect(proxy.connects.length).toBeGreaterThanOrEqual(3);
      expect(new Set(proxy.connects)).toEqual(new Set([new URL(apiUrl).host]));
      expect(proxy.connects.some((c) => c.includes(idpHost()))).toBe(false);
    } finally {
      sb.cleanup();
    }
  }, 30_000);

  test("NO_PROXY naming the domain bypasses the proxy (and the made-up name then does not resolve: NETWORK)", async () => {
    const sb = sandbox();
    try {
      expect((await login(sb, { HTTPS_PROXY: proxy.url }, "--certificate-authority", datum.api.caFile)).exitCode).toBe(0);
      proxy.connects.length = 0;
      for (const noProxy of [".datum.test", "api.datum.test", "*", `api.datum.test:${new URL(apiUrl).port}`]) {
        const r = await sb.run(["get", "dnszones", "--error-format", "json"], { env: { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy } });
        expect(r.exitCode).toBe(1);
        expect(JSON.parse(r.stderr).error.code).toBe("NETWORK");
      }
      expect(proxy.connects).toEqual([]);
      // A NO_PROXY entry for another domain or port does not.
      const other = await sb.run(["get", "dnszones", "-o", "name"], { env: { HTTPS_PROXY: proxy.url, NO_PROXY: "example.com,api.datum.test:1" } });
      expect(other.exitCode, other.stderr).toBe(0);
      expect(proxy.connects.length).toBeGreaterThan(0);
    } finally {
      sb.cleanup();
    }
  }, 30_000);

  test("trust from SSL_CERT_FILE instead of --certificate-authority", async () => {
    const sb = sandbox();
    try {
      const env = { HTTPS_PROXY: proxy.url, SSL_CERT_FILE: datum.api.caFile };
      const r = await login(sb, env);
      expect(r.exitCode, r.stderr).toBe(0);
      const get = await sb.run(["get", "dnszones", "-o", "name"], { env });
      expect(get.exitCode, get.stderr).toBe(0);
      // Without it, the same session's requests are not trusted.
      const untrusted = await sb.run(["get", "dnszones", "--error-format", "json"], { env: { HTTPS_PROXY: proxy.url } });
      expect(untrusted.exitCode).toBe(1);
      expect(JSON.parse(untrusted.stderr).error.code).toBe("TLS");
    } finally {
      sb.cleanup();
    }
  }, 30_000);
});
