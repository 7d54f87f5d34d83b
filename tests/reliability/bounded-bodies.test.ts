// What a server sends is read into memory only up to 4 MiB, lists excepted: a token answer,
// the OIDC discovery document, the key set (JWKS), the API discovery documents and error
// bodies. Each is answered here with 64 MiB, streamed as the client reads it; datumctl must
// stop at the limit with a SERVER error naming the URL and the limit, and its peak memory
// (measured by /usr/bin/time) must stay within a few MiB of the same command failing on a
// small answer; before the limit, it grew by the whole body several times over. And an ID token
// issued far in the future (this machine's clock an hour behind the IdP's) is refused.
// Every run is at -v 9, and no token, nor any piece of one, may show in what it printed.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HEADLESS_BROWSER } from "../support/browser";
import { BINARY, type RunResult, type Sandbox, sandbox } from "../support/cli";
import type { FaultAction, Faults } from "../support/faults";
import { checkOutput, leakedPiece } from "../support/leaks";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const TIME = "/usr/bin/time";
const HUGE = 64 * 1024 * 1024;
/** Headroom over the small-answer run: the 4 MiB read, its copy, and the runtime's slack. */
const HEADROOM = 32 * 1024 * 1024;

let datum: LocalDatum;
let sb: Sandbox | undefined;

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterEach(() => {
  datum.idp.faults.clear();
  datum.api.faults.clear();
  datum.idp.clockSkewSeconds = 0;
  sb?.cleanup();
  sb = undefined;
});
afterAll(async () => {
  await datum?.close();
});

interface Measured extends RunResult {
  maxRSS: number;
}

/**
 * Runs datumctl under /usr/bin/time for its peak resident memory. (The runtime's own
 * resourceUsage() is no good here: a child spawned by this test process starts with the
 * test process's high-water mark.)
 */
async function measure(box: Sandbox, args: string[], env: Record<string, string> = {}): Promise<Measured> {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed to measure peak memory`);
  const full = [...args, "-v", "9", "--error-format", "json"];
  const report = join(box.home, "maxrss");
  const proc = Bun.spawn([TIME, "-f", "%M", "-o", report, BINARY, ...full], { env: { ...box.env, ...env }, cwd: box.home, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  checkOutput(box.configDir, full, stdout, stderr);
  expect(leakedPiece(stderr, datum.idp.issuedSecrets)).toBeUndefined();
  // The last line holds the figure; "Command exited with non-zero status" may come first.
  const kib = Number(readFileSync(report, "utf8").trim().split("\n").pop());
  if (!(kib > 0)) throw new Error(`no peak memory in ${report}`);
  return { exitCode, stdout, stderr, maxRSS: kib * 1024 };
}

/** The JSON error line (the headless browser, datumctl's child, may write after it). */
function errorOf(r: RunResult): { code: string; message: string; hint?: string } {
  const line = r.stderr.split("\n").find((l) => l.startsWith('{"error"'));
  if (!line) throw new Error(`no JSON error in:\n${r.stderr}`);
  return JSON.parse(line).error;
}

/** Marks the cached token expired, so the next get-token refreshes. */
function expireCache(box: Sandbox): void {
  const dir = join(box.configDir, "cache", "tokens");
  for (const f of readdirSync(dir)) {
    const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
    writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
  }
}

interface Case {
  name: string;
  /** Where the rule goes, and which requests it catches. */
  faults: () => Faults;
  path: string | RegExp;
  method?: string;
  status?: number;
  /** Signs in first when true. */
  signedIn: boolean;
  args: () => string[];
  /** What the error names. */
  names: string;
}

const login = () => [...datum.loginArgs("--context", "acme/web")];
const browserEnv = { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" };

const cases: Case[] = [
  {
    name: "a token answer (refresh)",
    faults: () => datum.idp.faults,
    method: "POST",
    path: "/token",
    signedIn: true,
    args: () => ["auth", "get-token"],
    names: "/token",
  },
  {
    name: "an OIDC discovery document",
    faults: () => datum.idp.faults,
    path: "/.well-known/openid-configuration",
    signedIn: false,
    args: login,
    names: "/.well-known/openid-configuration",
  },
  { name: "a key set (JWKS)", faults: () => datum.idp.faults, path: "/jwks", signedIn: false, args: login, names: "/jwks" },
  { name: "an API discovery document", faults: () => datum.api.faults, path: /\/apis(\?|$)/, signedIn: true, args: () => ["get", "dnszones"], names: "/apis" },
  {
    name: "an error body",
    faults: () => datum.api.faults,
    path: /\/dnszones(\?|$)/,
    status: 500,
    signedIn: true,
    args: () => ["get", "dnszones"],
    names: "/dnszones",
  },
];

describe("bodies are read up to 4 MiB", () => {
  for (const c of cases) {
    test(`${c.name} of 64 MiB: a SERVER error naming the URL and the limit, and memory stays bounded`, async () => {
      sb = sandbox();
      const box = sb;
      if (c.signedIn) await datum.signIn(box, "ada");
      const fault = (action: FaultAction) => c.faults().add({ method: c.method, path: c.path, times: 1, action });

      // The same failure on a small answer: the memory this command needs anyway.
      if (c.signedIn && c.args()[0] === "auth") expireCache(box);
      fault({ status: c.status ?? 200, body: "{", contentType: "application/json" });
      const small = await measure(box, c.args(), browserEnv);
      expect(small.exitCode).not.toBe(0);

      if (c.signedIn && c.args()[0] === "auth") expireCache(box);
      fault({ streamBytes: HUGE, status: c.status, prefix: '{"filler":"' });
      const huge = await measure(box, c.args(), browserEnv);
      expect(huge.exitCode).toBe(1);
      const e = errorOf(huge);
      expect(e.code).toBe("SERVER");
      expect(e.message).toContain(c.names);
      expect(e.message).toContain("larger than 4 MiB");
      expect(huge.maxRSS).toBeLessThan(small.maxRSS + HEADROOM);
    });
  }

  test("a list is not bounded: 5 MiB of dnszones are listed", async () => {
    sb = sandbox();
    await datum.signIn(sb, "ada");
    const items = Array.from({ length: 5 * 1024 }, (_, i) => ({
      apiVersion: "dns.networking.miloapis.com/v1alpha1",
      kind: "DNSZone",
      metadata: { name: `zone-${i}`, namespace: "default", annotations: { pad: "x".repeat(1000) } },
    }));
    const body = JSON.stringify({ apiVersion: "dns.networking.miloapis.com/v1alpha1", kind: "DNSZoneList", metadata: {}, items });
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    datum.api.faults.add({ method: "GET", path: /\/dnszones(\?|$)/, times: 1, action: { status: 200, body, contentType: "application/json" } });
    const r = await sb.run(["get", "dnszones", "-o", "name", "-v", "9"]);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toContain('"name":"zone-5119"');
    expect(leakedPiece(r.stderr, datum.idp.issuedSecrets)).toBeUndefined();
    expect(r.stdout.trim().split("\n").length).toBe(5 * 1024);
  });
});

describe("an ID token issued in the future", () => {
  test("an hour ahead of this machine's clock: refused, naming the clock; nothing saved", async () => {
    sb = sandbox();
    datum.idp.clockSkewSeconds = 3600;
    const r = await measure(sb, login(), browserEnv);
    expect(r.exitCode).toBe(1);
    const e = errorOf(r);
    expect(e.code).toBe("AUTH_REQUIRED");
    expect(e.message).toMatch(/^the identity provider's ID token failed verification: it was issued 3\d{3} s in the future by this machine's clock/);
    expect(e.hint).toContain("clock is behind the identity provider's");
    expect(existsSync(join(sb.configDir, "credentials.json"))).toBe(false);
  });
});
