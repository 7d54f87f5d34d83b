// One user, one IdP, two API hosts: two sessions. Each must keep its own credential entry (so
// its own refresh token, lock and token cache): concurrent refreshes of both may not replay a
// rotated refresh token (the IdP, like Zitadel, then revokes the grant and both sessions die),
// and signing out of one must leave the other signed in. What we write stays in the Go tool's
// shapes, and configs saved with the older shared `<email>@<auth host>` entry keep working.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import YAML from "yaml";
import { type RunResult, type Sandbox, sandbox } from "../support/cli";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const FIXTURES = join(import.meta.dir, "..", "fixtures");

let datum: LocalDatum;
let sb: Sandbox;

beforeAll(async () => {
  datum = await startLocalDatum({ secondApiHost: true });
});
afterAll(async () => {
  await datum?.close();
});
beforeEach(() => {
  sb = sandbox();
  datum.idp.faults.clear();
  datum.idp.resetCounters();
});
afterEach(() => sb.cleanup());

interface Blob {
  hostname: string;
  api_hostname: string;
  token: { refresh_token?: string; token_type?: string };
  [field: string]: unknown;
}
interface SessionEntry {
  name: string;
  "user-key": string;
  endpoint: Record<string, unknown>;
  [field: string]: unknown;
}

const authHost = () => new URL(datum.idp.issuer).host;
const legacyKey = () => `ada@example.com@${authHost()}`;
const configPath = () => join(sb.configDir, "config");
const credentialsPath = () => join(sb.configDir, "credentials.json");
const config = () => YAML.parse(readFileSync(configPath(), "utf8"));
const sessions = (): SessionEntry[] => config().sessions;
const userKeyOf = (name: string) => sessions().find((s) => s.name === name)!["user-key"];
const entries = (): Record<string, string> => JSON.parse(readFileSync(credentialsPath(), "utf8"))["datumctl-auth"];
const blob = (key: string): Blob => JSON.parse(entries()[key]!);
const tokensDir = () => join(sb.configDir, "cache", "tokens");

/** ada on both API hosts; resolves to [session on api, session on api2]. */
async function signInTwice(): Promise<[string, string]> {
  const one = await datum.signIn(sb, "ada");
  const two = await datum.signIn(sb, "ada", datum.api2);
  return [one, two];
}

/** Every cached access token looks expired, as an hour later. */
function expireTokens(): void {
  for (const f of readdirSync(tokensDir())) {
    const path = join(tokensDir(), f);
    const t = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }) + "\n");
  }
}

const getToken = (session: string) => sb.run(["auth", "get-token", `--session=${session}`]);

/** A slow IdP: the first refreshes are in flight together, as under kubectl's parallel calls. */
const slowRefreshes = (n: number) => datum.idp.faults.add({ method: "POST", path: "/token", times: n, action: { delayMs: 300 } });

/** Several get-token calls per session, all at once; each must succeed with one token per session. */
async function concurrentRefreshes(names: string[], each: number): Promise<Map<string, string>> {
  const runs = await Promise.all(names.flatMap((name) => Array.from({ length: each }, async () => ({ name, r: await getToken(name) }))));
  expect(runs.filter(({ r }) => r.exitCode !== 0 || r.stderr !== "").map(({ name, r }) => `${name}: ${r.stderr}`)).toEqual([]);
  const byName = new Map<string, string>();
  for (const name of names) {
    const tokens = new Set(runs.filter((x) => x.name === name).map(({ r }) => r.stdout));
    expect(tokens.size).toBe(1);
    byName.set(name, [...tokens][0]!);
  }
  return byName;
}

/** The session gets a fresh token from its refresh token, and the API host accepts it. */
async function stillSignedIn(name: string): Promise<void> {
  const r: RunResult = await getToken(name);
  expect(r.exitCode, r.stderr).toBe(0);
  expect((await datum.idp.verifyAccessToken(r.stdout))?.sub).toBe("ada");
}

/** The IdP's answer to a refresh with this token: its error, or "ok". */
async function idpOnRefresh(refreshToken: string): Promise<string> {
  const as = { issuer: datum.idp.issuer, token_endpoint: datum.idp.tokenEndpoint };
  const res = await oauth.refreshTokenGrantRequest(as, { client_id: datum.idp.clientId }, oauth.None(), refreshToken, { [oauth.allowInsecureRequests]: true });
  return res.status === 200 ? "ok" : (((await res.json()) as { error?: string }).error ?? String(res.status));
}

describe("two API hosts, one user", () => {
  test("each session has its own credential entry, keyed and shaped the Go tool's way", async () => {
    const [one, two] = await signInTwice();
    const hostOf = (url: string) => new URL(url).host;
    expect([one, two]).toEqual([`ada@example.com@${hostOf(datum.api.url)}`, `ada@example.com@${hostOf(datum.api2!.url)}`]);

    const goConfig = YAML.parse(readFileSync(join(FIXTURES, "go-config.yaml"), "utf8"));
    const cfg = config();
    expect(cfg.apiVersion).toBe("datumctl.config.datum.net/v1beta1");
    expect(cfg.kind).toBe(goConfig.kind);
    expect(Object.keys(goConfig)).toEqual(expect.arrayContaining(Object.keys(cfg)));
    const goSessionFields = new Set(goConfig.sessions.flatMap((s: object) => Object.keys(s)));
    // §3.2's endpoint fields (the fixture's sessions use only some of them).
    const goEndpointFields = ["server", "auth-hostname", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority-data"];
    const goContextFields = new Set(goConfig.contexts.flatMap((c: object) => Object.keys(c)));
    expect(sessions().map((s) => s.name)).toEqual([one, two]);
    for (const s of sessions()) {
      for (const f of Object.keys(s)) expect(goSessionFields).toContain(f);
      for (const f of Object.keys(s.endpoint)) expect(goEndpointFields).toContain(f);
      expect(s.endpoint["auth-hostname"]).toBe(authHost());
      expect(s["user-email"]).toBe("ada@example.com");
      // The Go tool's migration leaves a key alone once it ends in @<auth host>.
      expect(s["user-key"].endsWith(`@${authHost()}`)).toBe(true);
    }
    for (const c of cfg.contexts) for (const f of Object.keys(c)) expect(goContextFields).toContain(f);
    const keys = [userKeyOf(one), userKeyOf(two)];
    expect(new Set(keys).size).toBe(2);

    // credentials.json: { "datumctl-auth": { "<user-key>": "<JSON blob>" } }, a blob per session.
    const goCreds = JSON.parse(readFileSync(join(FIXTURES, "go-credentials.json"), "utf8"));
    const goBlob = JSON.parse(goCreds["datumctl-auth"]["maya@datum.net@auth.datum.net"]);
    const file = JSON.parse(readFileSync(credentialsPath(), "utf8"));
    expect(Object.keys(file)).toEqual(["datumctl-auth"]);
    expect(Object.keys(file["datumctl-auth"]).sort()).toEqual([...keys].sort());
    for (const [name, url] of [
      [one, datum.api.url],
      [two, datum.api2!.url],
    ] as const) {
      const raw = file["datumctl-auth"][userKeyOf(name)];
      expect(typeof raw).toBe("string");
      const b = JSON.parse(raw);
      expect(Object.keys(b)).toEqual(expect.arrayContaining(Object.keys(goBlob)));
      for (const f of Object.keys(b.token)) expect(Object.keys(goBlob.token)).toContain(f);
      expect(b).toMatchObject({
        hostname: authHost(),
        api_hostname: hostOf(url),
        user_email: "ada@example.com",
        subject: "ada",
        client_id: datum.idp.clientId,
      });
      expect(typeof b.token.refresh_token).toBe("string");
    }
    expect(blob(keys[0]!).token.refresh_token).not.toBe(blob(keys[1]!).token.refresh_token);
  }, 30_000);

  test("both sessions refreshing at once: one refresh each, no refresh token replayed, both still signed in", async () => {
    const [one, two] = await signInTwice();
    expireTokens();
    datum.idp.resetCounters();
    slowRefreshes(2);

    const tokens = await concurrentRefreshes([one, two], 4);

    expect(datum.idp.refreshTokenReuse).toBe(0);
    expect(datum.idp.grants.refresh_token).toBe(2);
    expect(tokens.get(one)).not.toBe(tokens.get(two));
    for (const t of tokens.values()) expect((await datum.idp.verifyAccessToken(t))?.sub).toBe("ada");
    // The rotated refresh tokens were saved, each in its own session's entry.
    expireTokens();
    await stillSignedIn(one);
    await stillSignedIn(two);
    expect(datum.idp.grants.refresh_token).toBe(4);
    expect(datum.idp.refreshTokenReuse).toBe(0);
  }, 60_000);

  test("logout of one session revokes only its refresh token; the other stays signed in and auth list says so", async () => {
    const [one, two] = await signInTwice();
    const [keyOne, keyTwo] = [userKeyOf(one), userKeyOf(two)];
    const rtOne = blob(keyOne).token.refresh_token!;

    const out = await sb.run(["logout", one]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stderr).toContain(`✓ Logged out ${one}.`);

    expect(Object.keys(entries())).toEqual([keyTwo]);
    expect(sessions().map((s) => s.name)).toEqual([two]);
    const cached = readdirSync(tokensDir()).map((f) => JSON.parse(readFileSync(join(tokensDir(), f), "utf8")).session);
    expect(cached).toEqual([two]);
    expect(await idpOnRefresh(rtOne)).toBe("invalid_grant");

    const list = await sb.run(["auth", "list", "-o", "json"]);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        name: two,
        email: "ada@example.com",
        userName: "Ada Lovelace",
        endpoint: datum.api2!.url,
        apiHost: new URL(datum.api2!.url).host,
        active: true,
        tokenExpires: expect.any(String),
      },
    ]);

    datum.idp.resetCounters();
    expireTokens();
    await stillSignedIn(two);
    expect(datum.idp.grants.refresh_token).toBe(1);
    expect(datum.idp.refreshTokenReuse).toBe(0);
  }, 30_000);

  test("a service account on both API hosts: logout of one keeps the other's key and entry", async () => {
    const key = await datum.idp.createServiceAccount({ email: "ci@acme.iam.datum.test", apiEndpoint: datum.api.url });
    const file = join(sb.home, "key.json");
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
    const names: string[] = [];
    for (const on of [datum.api, datum.api2!]) {
      const r = await sb.run(["login", "--credentials", file, "--api-hostname", on.url, "--certificate-authority", on.caFile]);
      expect(r.exitCode, r.stderr).toBe(0);
      names.push(`ci@acme.iam.datum.test@${new URL(on.url).host}`);
    }
    const [one, two] = names as [string, string];
    const pems = [one, two].map((n) => (blob(userKeyOf(n)) as { service_account?: { private_key_path: string } }).service_account!.private_key_path);
    expect(new Set(pems).size).toBe(2);

    const out = await sb.run(["logout", one]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(existsSync(pems[0]!)).toBe(false);
    expect(existsSync(pems[1]!)).toBe(true);
    expect(Object.keys(entries())).toEqual([userKeyOf(two)]);
    expireTokens();
    const t = await getToken(two);
    expect(t.exitCode, t.stderr).toBe(0);
    expect((await datum.idp.verifyAccessToken(t.stdout))?.sub).toBe(key.client_id);
  }, 30_000);
});

describe("configs saved with one shared <email>@<auth host> entry", () => {
  /** Rewrites the sandbox the way earlier versions left it after signing in on both hosts. */
  function shareOneEntry(one: string, two: string): void {
    // The second login overwrote the shared entry: it holds the second grant's refresh token.
    const shared = entries()[userKeyOf(two)]!;
    writeFileSync(credentialsPath(), JSON.stringify({ "datumctl-auth": { [legacyKey()]: shared } }, null, 2) + "\n", { mode: 0o600 });
    const cfg = config();
    for (const s of cfg.sessions) if (s.name === one || s.name === two) s["user-key"] = legacyKey();
    writeFileSync(configPath(), YAML.stringify(cfg), { mode: 0o600 });
  }

  test("both sessions keep working through concurrent refreshes; once one signs out the other moves to its own entry", async () => {
    const [one, two] = await signInTwice();
    shareOneEntry(one, two);
    const rtShared = blob(legacyKey()).token.refresh_token!;
    expireTokens();
    datum.idp.resetCounters();
    slowRefreshes(2);

    await concurrentRefreshes([one, two], 3);

    expect(datum.idp.refreshTokenReuse).toBe(0);
    expect(datum.idp.grants.refresh_token).toBe(2);
    // Still one entry (it holds one refresh token, which cannot be split), rotated and saved.
    expect(Object.keys(entries())).toEqual([legacyKey()]);
    expect(blob(legacyKey()).token.refresh_token).not.toBe(rtShared);
    expect(sessions().map((s) => s["user-key"])).toEqual([legacyKey(), legacyKey()]);

    // Signing out of one may not revoke what the other still uses.
    const out = await sb.run(["logout", one]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stderr).toContain(`${one} shared its stored credentials with ${two}`);
    expect(Object.keys(entries())).toEqual([legacyKey()]);

    // Alone on the entry, the session moves to its own key at its next refresh, losing nothing.
    datum.idp.resetCounters();
    expireTokens();
    await stillSignedIn(two);
    const own = `${two}@${authHost()}`;
    expect(sessions().map((s) => [s.name, s["user-key"]])).toEqual([[two, own]]);
    expect(Object.keys(entries())).toEqual([own]);
    expect(blob(own)).toMatchObject({ hostname: authHost(), api_hostname: new URL(datum.api2!.url).host });
    expireTokens();
    await stillSignedIn(two);
    expect(datum.idp.grants.refresh_token).toBe(2);
    expect(datum.idp.refreshTokenReuse).toBe(0);
  }, 60_000);

  test("a session alone on the old entry moves to its own at its first refresh, keeping the rotated refresh token", async () => {
    const one = await datum.signIn(sb, "ada");
    const own = `${one}@${authHost()}`;
    writeFileSync(credentialsPath(), JSON.stringify({ "datumctl-auth": { [legacyKey()]: entries()[userKeyOf(one)] } }), { mode: 0o600 });
    const cfg = config();
    cfg.sessions[0]["user-key"] = legacyKey();
    writeFileSync(configPath(), YAML.stringify(cfg), { mode: 0o600 });
    const rtBefore = blob(legacyKey()).token.refresh_token;
    expireTokens();
    datum.idp.resetCounters();

    await stillSignedIn(one);

    expect(userKeyOf(one)).toBe(own);
    expect(Object.keys(entries())).toEqual([own]);
    const rtAfter = blob(own).token.refresh_token;
    expect(rtAfter).not.toBe(rtBefore);
    expireTokens();
    await stillSignedIn(one);
    expect(datum.idp.grants.refresh_token).toBe(2);
    expect(datum.idp.refreshTokenReuse).toBe(0);
  }, 30_000);

  test("signing in again gives each session its own entry; the old one goes when the last session leaves it", async () => {
    const [one, two] = await signInTwice();
    shareOneEntry(one, two);

    await datum.signIn(sb, "ada");
    expect(userKeyOf(one)).toBe(`${one}@${authHost()}`);
    expect(Object.keys(entries()).sort()).toEqual([legacyKey(), userKeyOf(one)].sort());
    await datum.signIn(sb, "ada", datum.api2);
    expect(userKeyOf(two)).toBe(`${two}@${authHost()}`);
    expect(Object.keys(entries()).sort()).toEqual([userKeyOf(one), userKeyOf(two)].sort());
    expireTokens();
    await stillSignedIn(one);
    await stillSignedIn(two);
  }, 30_000);
});
