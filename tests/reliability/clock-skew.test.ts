// This machine's clock 5 minutes off the IdP's (and the API's, which trusts the IdP's tokens
// by the IdP's time), either way. The IdP's clock is moved with its clockSkewSeconds knob; the
// CLI, another process, keeps the real time. Every token get-token hands out must be accepted
// by the API when handed out and must live (in real time) at least until the
// expirationTimestamp it came with; datumctl must refresh when the token is due, not on every
// call, and commands must keep working.
//
// The last test has no skew: a token that lives 2 s, watched across real expiries. datumctl
// keeps a margin of a tenth of the lifetime, and a JWT's exp is whole seconds (up to 1 s
// earlier than issue time + expires_in), so below 10 s the margin does not cover that rounding.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, sandbox } from "../support/cli";
import { wallClock } from "../support/faults";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const SKEW_SECONDS = 300;

let datum: LocalDatum;
let sb: Sandbox | undefined;

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterEach(() => {
  datum.idp.clockSkewSeconds = 0;
  datum.idp.ttl.accessToken = 3600;
  sb?.cleanup();
  sb = undefined;
});
afterAll(async () => {
  await datum?.close();
});

const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number; iat: number };
const jwtExpMs = (token: string) => claims(token).exp * 1000;

interface Handout {
  token: string;
  /** expirationTimestamp, ms (this machine's clock). */
  until: number;
  /** When get-token was started, ms (this machine's clock). */
  startedAt: number;
  /** When the API was asked about the token, just after get-token returned it. */
  checkedAt: number;
  /** Whether the API (IdP clock) accepted it then. */
  accepted: boolean;
}

/** Asks for tokens back to back for `ms` (at least once), checking each with the API's verifier at once. */
async function watchTokens(box: Sandbox, ms: number): Promise<Handout[]> {
  const out: Handout[] = [];
  const end = wallClock() + ms;
  do {
    const startedAt = wallClock();
    const r = await box.run(["auth", "get-token", "-o", "client.authentication.k8s.io/v1"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const { status } = JSON.parse(r.stdout) as { status: { token: string; expirationTimestamp: string } };
    const checkedAt = wallClock();
    const accepted = (await datum.idp.verifyAccessToken(status.token)) !== null;
    out.push({ token: status.token, until: Date.parse(status.expirationTimestamp), startedAt, checkedAt, accepted });
  } while (wallClock() < end);
  return out;
}

/** Every token was alive when asked for and outlives the expirationTimestamp it came with. */
function expectAlive(handouts: Handout[], skewSeconds: number): void {
  for (const h of handouts) {
    // The IdP's clock really was off: the token was issued "in the future" or "in the past".
    expect(Math.abs(claims(h.token).iat * 1000 - skewSeconds * 1000 - h.startedAt)).toBeLessThan(30_000);
    // The token dies (in this machine's time) at its exp claim less the IdP's lead: not before
    // get-token was asked for it, and not before the expirationTimestamp kubectl is given.
    const diesAt = jwtExpMs(h.token) - skewSeconds * 1000;
    expect(diesAt).toBeGreaterThan(h.startedAt);
    expect(diesAt).toBeGreaterThanOrEqual(h.until);
    // The API, on the IdP's clock, agrees: it took the token unless it had died by then.
    if (diesAt > h.checkedAt + 50) expect(h.accepted).toBe(true);
    // expirationTimestamp is whole seconds, rounded down.
    expect(h.until).toBeGreaterThan(h.startedAt - 1000);
  }
}

/** A few calls in a row on the cached path: the same token each time, and no refresh. */
async function cachedCalls(box: Sandbox, n = 4): Promise<Handout[]> {
  const refreshes = datum.idp.grants.refresh_token + datum.idp.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"];
  const out: Handout[] = [];
  for (let i = 0; i < n; i++) out.push(...(await watchTokens(box, 0)));
  expect(new Set(out.map((h) => h.token)).size).toBe(1);
  expect(datum.idp.grants.refresh_token + datum.idp.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"]).toBe(refreshes);
  return out;
}

/** Marks the cached token expired, as it would be an hour later. */
function expireCache(box: Sandbox): void {
  const dir = join(box.configDir, "cache", "tokens");
  for (const f of readdirSync(dir)) {
    const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
    writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(wallClock() - 1000).toISOString() }));
  }
}

for (const [label, skew] of [
  ["the IdP 5 minutes ahead of this machine", SKEW_SECONDS],
  ["the IdP 5 minutes behind this machine", -SKEW_SECONDS],
] as const) {
  describe(label, () => {
    // A datumctl that trusted the JWT's exp would, with the IdP ahead, hand a token out for 5
    // minutes after it died; with the IdP behind, think every new token already dead and
    // refresh on every call. Both show up here without waiting out a real lifetime.
    test("browser session: cached tokens live past their expirationTimestamp and are not refreshed; a due refresh gives a live one; commands work", async () => {
      datum.idp.clockSkewSeconds = skew;
      sb = sandbox();
      await datum.signIn(sb, "ada");
      expectAlive(await cachedCalls(sb), skew);
      // Due: the next call refreshes, once, and the calls after it reuse the new token.
      const refreshes = datum.idp.grants.refresh_token;
      expireCache(sb);
      const refreshed = await watchTokens(sb, 0);
      expect(datum.idp.grants.refresh_token).toBe(refreshes + 1);
      const cached = await cachedCalls(sb);
      expect(cached[0]!.token).toBe(refreshed[0]!.token);
      expectAlive([...refreshed, ...cached], skew);
      const get = await sb.run(["get", "projects", "--organization", "acme", "-o", "name"]);
      expect(get.exitCode, get.stderr).toBe(0);
      expect(get.stdout).toContain("project.resourcemanager.miloapis.com/web");
    }, 30_000);

    test("service account: get-token hands out a live token or fails cleanly on one line, never an expired one", async () => {
      datum.idp.clockSkewSeconds = skew;
      sb = sandbox();
      const key = await datum.idp.createServiceAccount({ email: "ci@acme.iam.datum.test", apiEndpoint: datum.api.url });
      const file = join(sb.home, "key.json");
      writeFileSync(file, JSON.stringify(key));
      const login = await sb.run(["login", "--credentials", file, "--certificate-authority", datum.api.caFile, "--error-format", "json"]);
      if (login.exitCode !== 0) {
        // The IdP refused the assertion: clean, coded, one line; nothing was handed out.
        expect(login.stderr.trimEnd().split("\n")).toHaveLength(1);
        const err = JSON.parse(login.stderr).error;
        console.log(`service-account login with ${label}: ${err.code}: ${err.message}`);
        expect(["AUTH_EXPIRED", "AUTH_REQUIRED", "SERVER"]).toContain(err.code);
        // Only a host clock behind the IdP (its 60 s assertion is dead on arrival) may do this,
        // and the hint says so, from the IdP's Date header.
        expect(skew).toBeGreaterThan(0);
        expect(err.hint).toStartWith(`This machine's clock is ${skew} s behind the IdP's`);
        return;
      }
      expectAlive(await cachedCalls(sb), skew);
      // The refresh path mints a new assertion each time: force a few.
      for (let i = 0; i < 3; i++) {
        expireCache(sb);
        const r = await sb.run(["auth", "get-token", "-o", "json"]);
        expect(r.exitCode, r.stderr).toBe(0);
        const { token, expirationTimestamp, refreshed } = JSON.parse(r.stdout);
        expect(refreshed).toBe(true);
        expect(await datum.idp.verifyAccessToken(token)).not.toBeNull();
        expect(jwtExpMs(token) - skew * 1000).toBeGreaterThanOrEqual(Date.parse(expirationTimestamp));
      }
    }, 30_000);
  });
}

describe("no skew, a token that lives 2 s", () => {
  test("get-token never hands it out after its exp", async () => {
    datum.idp.ttl.accessToken = 2;
    sb = sandbox();
    await datum.signIn(sb, "ada");
    const handouts = await watchTokens(sb, 5_000);
    // Dead before get-token was even started: no timing slack can excuse these.
    const dead = handouts.filter((h) => jwtExpMs(h.token) <= h.startedAt);
    if (dead.length) {
      const h = dead[0]!;
      console.log(
        `${dead.length} of ${handouts.length} tokens had expired before get-token was run; e.g. exp ${new Date(jwtExpMs(h.token)).toISOString()}, ` +
          `get-token started at ${new Date(h.startedAt).toISOString()}, expirationTimestamp ${new Date(h.until).toISOString()}`,
      );
    }
    expect(dead.length).toBe(0);
  }, 30_000);
});
