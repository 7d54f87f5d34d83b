// Signing in and handing tokens to kubectl, through the built binary against the local IdP
// and control plane: every login flow, the checks that reject a bad sign-in, refresh under
// concurrency, revocation, logout, and the get-token contract kubectl relies on.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import YAML from "yaml";
import { completeDeviceLogin, HEADLESS_BROWSER } from "./support/browser";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

let datum: LocalDatum;
let sb: Sandbox;
/** Every command's output, kept to check at the end that no secret leaked into it. */
const outputs: { args: string[]; r: RunResult }[] = [];

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  await datum.close();
  // Nothing any command printed, at any verbosity, may hold a token, except get-token's own stdout.
  const secrets = [...secretsSeen].filter((s) => s.length > 16);
  expect(secrets.length).toBeGreaterThan(5);
  for (const { args, r } of outputs) {
    const shown = args.includes("get-token") ? r.stderr : r.stdout + r.stderr;
    for (const secret of secrets) expect(shown).not.toContain(secret);
  }
});
beforeEach(() => {
  sb?.cleanup();
  sb = sandbox();
  datum.idp.resetCounters();
  datum.idp.ttl.accessToken = 3600;
  datum.idp.tamperIdToken = false;
  datum.idp.issuerOverride = undefined;
});

const secretsSeen = new Set<string>();

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const r = await sb.run(args, { env });
  outputs.push({ args, r });
  return r;
}

function credentials(): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(join(sb.configDir, "credentials.json"), "utf8"));
}

function storedBlob(): { token: { refresh_token?: string }; subject: string; service_account?: { private_key_path: string } } {
  const entries = Object.entries(credentials()["datumctl-auth"] ?? {});
  expect(entries.length).toBe(1);
  const blob = JSON.parse(entries[0]![1]);
  if (blob.token?.refresh_token) secretsSeen.add(blob.token.refresh_token);
  return blob;
}

function config() {
  return YAML.parse(readFileSync(join(sb.configDir, "config"), "utf8"));
}

const apiHost = () => new URL(datum.api.url).host;
const adaSession = () => `ada@example.com@${apiHost()}`;

async function browserLogin(user = "ada", ...extra: string[]): Promise<RunResult> {
  return run(datum.loginArgs(...extra), { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: user });
}

/** Makes the cached access token look expired, as it would be an hour later. */
function expireCachedToken(): void {
  const dir = join(sb.configDir, "cache", "tokens");
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    const t = JSON.parse(readFileSync(path, "utf8"));
    t.expiry = new Date(Date.now() - 1000).toISOString();
    writeFileSync(path, JSON.stringify(t));
  }
}

async function getToken(...args: string[]): Promise<{ r: RunResult; token: string }> {
  const r = await run(["auth", "get-token", ...args]);
  secretsSeen.add(args.includes("json") && r.exitCode === 0 ? JSON.parse(r.stdout).token : r.stdout);
  return { r, token: r.stdout };
}

describe("browser login", () => {
  test("signs in, saves a session with 0600 files, and picks nothing when there is a choice and no terminal", async () => {
    const r = await browserLogin();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("✓ Authenticated as Ada Lovelace (ada@example.com)\n");
    expect(r.stderr).toContain("You have access to 2 organizations:\n  Acme Corp (2 projects)\n  Globex (1 project)\n");
    expect(r.stderr).toContain("Run 'datumctl ctx use <organization>[/<project>]' to pick one.");
    const cfg = config();
    expect(cfg["active-session"]).toBe(adaSession());
    expect(cfg.sessions[0]).toMatchObject({
      name: adaSession(),
      // One entry per session, ending in @<auth host> as the Go tool's keys do.
      "user-key": `${adaSession()}@${new URL(datum.idp.issuer).host}`,
      "user-email": "ada@example.com",
      "user-name": "Ada Lovelace",
      endpoint: { server: datum.api.url, "auth-hostname": new URL(datum.idp.issuer).host },
    });
    expect(cfg.contexts.map((c: { name: string }) => c.name.slice(adaSession().length + 1)).sort()).toEqual([
      "acme",
      "acme/data",
      "acme/web",
      "globex",
      "globex/ops",
    ]);
    for (const f of ["config", "credentials.json"]) expect(statSync(join(sb.configDir, f)).mode & 0o777).toBe(0o600);
    for (const d of ["", "cache", "cache/tokens"]) expect(statSync(join(sb.configDir, d)).mode & 0o777).toBe(0o700);
    expect(storedBlob().subject).toBe("ada");
  });

  test("--context picks the context; the token verifies against the IdP's keys", async () => {
    const r = await browserLogin("ada", "--context", "acme/web");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("✓ Context set to acme/web\n");
    expect(config()["current-context"]).toBe(`${adaSession()}/acme/web`);
    const { r: t, token } = await getToken();
    expect(t.exitCode).toBe(0);
    expect(token).not.toContain("\n");
    expect((await datum.idp.verifyAccessToken(token))?.sub).toBe("ada");
    expect(datum.idp.grants.authorization_code).toBe(1);
    expect(datum.idp.grants.refresh_token).toBe(0);
  });

  test("a callback with the wrong state is refused and ignored: the real one still signs in", async () => {
    // A "browser" that first forges a callback (answered 400), then signs in for real.
    const liar = join(sb.home, "liar.sh");
    writeFileSync(
      liar,
      `#!/bin/sh\nredirect=$(printf '%s' "$1" | sed -e 's/.*redirect_uri=\\([^&]*\\).*/\\1/' | sed -e 's/%3A/:/g' -e 's/%2F/\\//g')\n${process.execPath} -e "const r = await fetch(process.argv[1] + '?code=x&state=forged'); process.exit(r.status === 400 ? 0 : 1)" "$redirect" || exit 1\nexec ${HEADLESS_BROWSER} "$1"\n`,
      { mode: 0o755 },
    );
    const r = await run(datum.loginArgs("--context", "acme/web"), { BROWSER: liar, DATUMCTL_TEST_LOGIN: "ada" });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("wrong state");
    expect(datum.idp.grants.authorization_code).toBe(1);
    expect(existsSync(join(sb.configDir, "credentials.json"))).toBe(true);
  });

  test("an issuer that does not match is refused", async () => {
    datum.idp.issuerOverride = "https://evil.example";
    const r = await browserLogin();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("claims to be a different issuer");
    expect(existsSync(join(sb.configDir, "config"))).toBe(false);
  });

  test("an ID token with a broken signature is refused and nothing is saved", async () => {
    datum.idp.tamperIdToken = true;
    const r = await browserLogin();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("ID token failed verification: the signature does not match");
    expect(existsSync(join(sb.configDir, "credentials.json"))).toBe(false);
  });
});

describe("device login", () => {
  test("shows the URL and code on stderr and finishes when the code is approved", async () => {
    datum.idp.device.interval = 0.2;
    const login = sb.start(datum.loginArgs("--no-browser"));
    const m = await login.waitForStderr(
      /^Using the device flow \(--no-browser\)\.\nTo authenticate, visit:\n(\S+)\nAnd enter code: (\S+)\nWaiting for authorization \(\d+m\d\ds left\)\.\.\.\n/,
    );
    await completeDeviceLogin(m[1]!, m[2]!, "bob");
    const r = await login.result();
    outputs.push({ args: ["login"], r });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("✓ Authenticated as Bob Builder (bob@example.com)");
    expect(datum.idp.grants["urn:ietf:params:oauth:grant-type:device_code"]).toBe(1);
  });

  test("a denied code is a clear error", async () => {
    datum.idp.device.interval = 0.2;
    datum.idp.device.deny = true;
    try {
      const r = await run(datum.loginArgs("--no-browser"));
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("error: the sign-in request was denied");
    } finally {
      datum.idp.device.deny = false;
    }
  });
});

describe("service account login", () => {
  test("signs in with the key file, keeps the key 0600, and logout removes it", async () => {
    const key = await datum.idp.createServiceAccount({ email: "ci@acme.iam.datum.test", apiEndpoint: datum.api.url });
    const file = join(sb.home, "key.json");
    writeFileSync(file, JSON.stringify(key));
    const r = await run(["login", "--credentials", file, "--certificate-authority", datum.api.caFile]);
    expect(r.stderr).toContain("✓ Authenticated as ci@acme.iam.datum.test");
    const blob = storedBlob();
    expect(blob.service_account).toBeDefined();
    const pem = blob.service_account!.private_key_path;
    expect(pem.startsWith(join(sb.configDir, "service-accounts"))).toBe(true);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    expect(datum.idp.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"]).toBe(1);

    expireCachedToken();
    const { r: t, token } = await getToken("-o", "json");
    expect(t.exitCode).toBe(0);
    expect(JSON.parse(token)).toMatchObject({ refreshed: true, subject: key.client_id });
    expect(datum.idp.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"]).toBe(2);

    const out = await run(["logout", "ci@acme.iam.datum.test"]);
    expect(out.exitCode).toBe(0);
    expect(existsSync(pem)).toBe(false);
  });

  test("a key file of the wrong type names the problem", async () => {
    const file = join(sb.home, "key.json");
    writeFileSync(file, JSON.stringify({ type: "service_account", client_id: "1" }));
    const r = await run(["login", "--credentials", file, "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "INVALID_INPUT", message: `unsupported credentials type "service_account" in ${file}` });
  });
});

describe("auth get-token", () => {
  beforeEach(async () => {
    expect((await browserLogin("ada", "--context", "acme/web")).exitCode).toBe(0);
  });

  test("raw token by default; an ExecCredential in the version kubectl asks for", async () => {
    const raw = (await getToken()).token;
    const v1 = await run(["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${adaSession()}`]);
    const cred = JSON.parse(v1.stdout);
    expect(cred).toMatchObject({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", status: { token: raw } });
    expect(Date.parse(cred.status.expirationTimestamp)).toBeGreaterThan(Date.now());
    const info = (apiVersion: string, interactive = false) => JSON.stringify({ kind: "ExecCredential", apiVersion, spec: { interactive } });
    for (const [execInfo, expected] of [
      [info("client.authentication.k8s.io/v1beta1"), "client.authentication.k8s.io/v1beta1"],
      [info("client.authentication.k8s.io/v1", true), "client.authentication.k8s.io/v1"],
      ["", "client.authentication.k8s.io/v1"],
      ["{not json", "client.authentication.k8s.io/v1"],
    ] as const) {
      const r = await sb.run(["auth", "get-token", "-o", "client.authentication.k8s.io/v1"], { env: { KUBERNETES_EXEC_INFO: execInfo } });
      expect(JSON.parse(r.stdout).apiVersion).toBe(expected);
    }
    const stillRaw = await sb.run(["auth", "get-token"], { env: { KUBERNETES_EXEC_INFO: info("client.authentication.k8s.io/v1") } });
    expect(stillRaw.stdout).toBe(raw);
  });

  test("an expired token is refreshed once and the rotated refresh token saved", async () => {
    const before = storedBlob().token.refresh_token;
    expireCachedToken();
    const { r, token } = await getToken("-o", "json");
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(token)).toMatchObject({ refreshed: true, session: adaSession(), subject: "ada" });
    expect(datum.idp.grants.refresh_token).toBe(1);
    const after = storedBlob().token.refresh_token;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const again = await getToken("-o", "json");
    expect(JSON.parse(again.token).refreshed).toBe(false);
  });

  test("30 processes at expiry: 30 successes, one refresh", async () => {
    expireCachedToken();
    const results = await Promise.all(Array.from({ length: 30 }, () => sb.run(["auth", "get-token", `--session=${adaSession()}`])));
    outputs.push(...results.map((r) => ({ args: ["auth", "get-token"], r })));
    expect(results.map((r) => r.exitCode)).toEqual(Array(30).fill(0));
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
    for (const r of results) secretsSeen.add(r.stdout);
    expect(datum.idp.grants.refresh_token).toBe(1);
  });

  test("a revoked session fails with AUTH_EXPIRED on one line", async () => {
    await datum.idp.revokeGrantsOf("ada");
    expireCachedToken();
    const human = await run(["auth", "get-token"]);
    expect(human.exitCode).toBe(1);
    expect(human.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(human.stderr).toContain("datumctl login");
    const json = await run(["auth", "get-token", "--error-format=json"]);
    expect(JSON.parse(json.stderr).error.code).toBe("AUTH_EXPIRED");
  });

  test("-v 9 shows the refresh exchange with every secret redacted", async () => {
    expireCachedToken();
    const r = await run(["auth", "get-token", "-v", "9"]);
    expect(r.exitCode).toBe(0);
    secretsSeen.add(r.stdout);
    expect(r.stderr).toContain("POST ");
    expect(r.stderr).toContain("<redacted>");
    expect(r.stderr).not.toContain(r.stdout);
  });
});

describe("sessions", () => {
  test("auth list, whoami, switch: get-token follows the active session", async () => {
    expect((await browserLogin("ada", "--context", "acme/web")).exitCode).toBe(0);
    datum.idp.device.interval = 0.2;
    const login = sb.start(datum.loginArgs("--no-browser", "--context", "acme"));
    const m = await login.waitForStderr(/visit:\n(\S+)\nAnd enter code: (\S+)\n/);
    await completeDeviceLogin(m[1]!, m[2]!, "bob");
    expect((await login.result()).exitCode).toBe(0);

    const list = JSON.parse((await run(["auth", "list", "-o", "json"])).stdout);
    const inAnHour = (t: string) => Date.parse(t) > Date.now() && Date.parse(t) <= Date.now() + 3600_000;
    expect(list).toEqual([
      {
        name: adaSession(),
        email: "ada@example.com",
        userName: "Ada Lovelace",
        endpoint: datum.api.url,
        apiHost: apiHost(),
        active: false,
        tokenExpires: expect.any(String),
      },
      {
        name: `bob@example.com@${apiHost()}`,
        email: "bob@example.com",
        userName: "Bob Builder",
        endpoint: datum.api.url,
        apiHost: apiHost(),
        active: true,
        tokenExpires: expect.any(String),
      },
    ]);
    for (const s of list) expect(inAnHour(s.tokenExpires), s.tokenExpires).toBe(true);
    // The same fields in YAML.
    expect(YAML.parse((await run(["auth", "list", "-o", "yaml"])).stdout)).toEqual(list);
    // One row a session under its one name, every cell filled.
    const table = (await run(["auth", "ls"])).stdout.split("\n");
    expect(table[0]).toMatch(/^SESSION +USER +API HOST +ACTIVE +TOKEN EXPIRES$/);
    expect(table[1]).toMatch(new RegExp(`^${adaSession().replaceAll(".", "\\.")} +ada@example\\.com +${apiHost()} +no +in (59|60)m$`));
    expect(table[2]).toMatch(new RegExp(`^bob@example\\.com@${apiHost()} +bob@example\\.com +${apiHost()} +yes +in (59|60)m$`));

    const who = JSON.parse((await run(["whoami", "-o", "json"])).stdout);
    expect(who).toMatchObject({ email: "bob@example.com", context: "acme", scope: { kind: "organization", organization: "acme" } });

    const sw = await run(["auth", "switch", "ada@example.com"]);
    expect(sw.exitCode).toBe(0);
    expect(sw.stderr).toContain("✓ Switched to Ada Lovelace (ada@example.com)");
    expect(sw.stderr).toContain("Context:  acme/web");
    const { token } = await getToken("-o", "json");
    expect(JSON.parse(token).session).toBe(adaSession());
    const whoNow = await run(["whoami"]);
    expect(whoNow.stdout).toContain("Project:      Web Storefront (web)");
    // With no access token cached: "-".
    rmSync(join(sb.configDir, "cache", "tokens"), { recursive: true });
    const bare = (await run(["auth", "ls"])).stdout.split("\n");
    expect(bare[2]).toMatch(/ no +-$/);
    expect(JSON.parse((await run(["auth", "list", "-o", "json"])).stdout)[1].tokenExpires).toBeNull();
  });

  test("logout revokes the refresh token and names kubeconfig users left behind", async () => {
    expect((await browserLogin("ada", "--context", "acme/web")).exitCode).toBe(0);
    const refreshToken = storedBlob().token.refresh_token!;
    const kubeconfig = join(sb.home, "kubeconfig");
    writeFileSync(
      kubeconfig,
      YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        users: [{ name: "datum-ada", user: { exec: { args: ["auth", "get-token", `--session=${adaSession()}`] } } }],
      }),
    );
    const r = await run(["logout", "ada@example.com"], { KUBECONFIG: kubeconfig });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("✓ Logged out ada@example.com.");
    expect(r.stderr).toContain(`${kubeconfig} still has user "datum-ada" for session ${adaSession()}`);
    expect(credentials()["datumctl-auth"]).toEqual({});
    expect(readdirSync(join(sb.configDir, "cache", "tokens"))).toEqual([]);
    expect(config().sessions).toEqual([]);

    // The IdP no longer honours the refresh token.
    const as = { issuer: datum.idp.issuer, token_endpoint: datum.idp.tokenEndpoint };
    const res = await oauth.refreshTokenGrantRequest(as, { client_id: "datumctl" }, oauth.None(), refreshToken, { [oauth.allowInsecureRequests]: true });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error?: string }).error).toBe("invalid_grant");
  });

  test("get-token for nobody fails fast with one line", async () => {
    const r = await run(["auth", "get-token", "--session", "nobody@api"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("datumctl login");
  });
});
