// The OS keyring misbehaving. In-process: a keyring whose calls never return (a Secret Service
// that never replies), injected into the credential store with the production bound (3 s, not a
// test's shorter one): every operation falls back within it and the store stops waiting on the
// keyring. Through the binary: on this Linux box Bun.secrets fails at once (no libsecret), so
// with DATUMCTL_CREDENTIAL_STORE unset login and a get-token refresh fall back to
// credentials.json quickly, and with it set to `keyring` they fail with KEYRING_UNAVAILABLE
// and write nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CredentialStore, KEYRING_SERVICE } from "../../src/store/credentials";
import { KEYRING_TIMEOUT_MS } from "../../src/store/keyring";
import { HEADLESS_BROWSER } from "../support/browser";
import { type Sandbox, sandbox } from "../support/cli";
import { failingKeyring, hangingKeyring } from "../support/faults";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const dirs: string[] = [];
function configDir(): string {
  const d = mkdtempSync(join(tmpdir(), "datumctl-keyring-"));
  dirs.push(d);
  return join(d, ".datumctl");
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs op and says how long it took, in ms. */
async function timed<T>(op: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await op();
  return { value, ms: performance.now() - t };
}

/** Within the production bound, and not sooner than it (it did wait for the keyring). */
function expectBounded(ms: number): void {
  expect(ms).toBeGreaterThanOrEqual(KEYRING_TIMEOUT_MS - 50);
  expect(ms).toBeLessThan(KEYRING_TIMEOUT_MS + 1_500);
}

describe("a keyring call that never returns (in-process, the real 3 s bound)", () => {
  test("the bound is 3 s", () => {
    expect(KEYRING_TIMEOUT_MS).toBe(3_000);
  });

  test("set, get and delete each fall back within 3 s and the store stops calling the keyring; inside get-token the notice is deferred; in keyring mode it is KEYRING_UNAVAILABLE", async () => {
    // Five stores side by side, so the five waits overlap.
    const setup = (env: Record<string, string> = {}, deferNotices = false) => {
      const dir = configDir();
      const keyring = hangingKeyring();
      const warnings: string[] = [];
      const store = new CredentialStore({ configDir: dir, env, warn: (t) => warnings.push(t), keyring, deferNotices });
      return { dir, keyring, warnings, store };
    };
    const a = setup();
    const b = setup();
    const c = setup();
    const d = setup({}, true);
    const e = setup({ DATUMCTL_CREDENTIAL_STORE: "keyring" });
    // c has an entry in its file already (the keyring was down when it was written).
    await new CredentialStore({ configDir: c.dir, env: { DATUMCTL_CREDENTIAL_STORE: "file" }, warn: () => {} }).set("carol@auth.test", "carol-secret");

    const [set, get, del, deferred, forced] = await Promise.all([
      timed(() => a.store.set("ada@auth.test", "ada-secret")),
      timed(() => b.store.get("bob@auth.test")),
      timed(() => c.store.delete("carol@auth.test")),
      timed(() => d.store.set("dan@auth.test", "dan-secret")),
      timed(() =>
        e.store.set("eve@auth.test", "eve-secret").then(
          () => undefined,
          (err: unknown) => err as { code?: string; message?: string },
        ),
      ),
    ]);

    // set: lands in credentials.json, 0600, with one notice naming the file and the reason.
    expectBounded(set.ms);
    expect(set.value).toBe("file");
    const file = join(a.dir, "credentials.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ [KEYRING_SERVICE]: { "ada@auth.test": "ada-secret" } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(a.warnings).toHaveLength(1);
    expect(a.warnings[0]).toContain(file);
    expect(a.warnings[0]).toContain("no answer within 3s");
    // get: a key in neither place is null, not an error.
    expectBounded(get.ms);
    expect(get.value).toBeNull();
    expect(b.warnings).toEqual([]);
    // delete: the file's copy is gone.
    expectBounded(del.ms);
    expect(del.value).toBe(true);
    expect(JSON.parse(readFileSync(join(c.dir, "credentials.json"), "utf8"))).toEqual({ [KEYRING_SERVICE]: {} });

    // Once down, never waited on again in this process.
    const again = await timed(async () => [
      await a.store.get("ada@auth.test"),
      await a.store.set("ada@auth.test", "rotated"),
      await a.store.get("ada@auth.test"),
    ]);
    expect(again.value).toEqual(["ada-secret", "file", "rotated"]);
    expect(again.ms).toBeLessThan(500);
    expect(a.keyring.calls).toEqual(["set"]);
    expect(a.warnings).toHaveLength(1);

    // Inside get-token (kubectl owns stderr): the notice is saved for the next command, not printed.
    expectBounded(deferred.ms);
    expect(d.warnings).toEqual([]);
    expect(readFileSync(join(d.dir, "cache", "credential-store-notice"), "utf8")).toContain("no answer within 3s");

    // DATUMCTL_CREDENTIAL_STORE=keyring: no fallback, a coded error, nothing on disk.
    expectBounded(forced.ms);
    expect(forced.value?.code).toBe("KEYRING_UNAVAILABLE");
    expect(forced.value?.message).toContain("no answer within 3s");
    expect(existsSync(join(e.dir, "credentials.json"))).toBe(false);
  }, 15_000);

  test("a keyring that fails at once: the fallback is immediate, not after the bound", async () => {
    const dir = configDir();
    const warnings: string[] = [];
    const store = new CredentialStore({
      configDir: dir,
      env: {},
      warn: (t) => warnings.push(t),
      keyring: failingKeyring("The name org.freedesktop.secrets was not provided by any .service files"),
    });
    const { value, ms } = await timed(() => store.set("ada@auth.test", "ada-secret"));
    expect(value).toBe("file");
    expect(ms).toBeLessThan(1_000);
    expect(warnings[0]).toContain("org.freedesktop.secrets");
  });
});

describe("through the binary: Bun.secrets without libsecret fails, DATUMCTL_CREDENTIAL_STORE unset", () => {
  let datum: LocalDatum;
  let sb: Sandbox;
  const auto = { DATUMCTL_CREDENTIAL_STORE: undefined };
  beforeAll(async () => {
    datum = await startLocalDatum();
    sb = sandbox();
  });
  afterAll(async () => {
    sb?.cleanup();
    await datum?.close();
  });

  const login = (env: Record<string, string | undefined>, box = sb) =>
    box.run(datum.loginArgs("--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada", ...env } });

  test("login: signed in, the secret in credentials.json (0600), one warning that says where and why", async () => {
    const r = await login(auto);
    expect(r.exitCode, r.stderr).toBe(0);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toHaveLength(1);
    const file = join(sb.configDir, "credentials.json");
    expect(warnings[0]).toContain("system keyring unavailable");
    expect(warnings[0]).toContain(file);
    // Named as whoami, doctor and the kubeconfig name the session: by its API host, never the IdP's.
    const session = `ada@example.com@${new URL(datum.api.url).host}`;
    expect(warnings[0]).toContain(`storing credentials for ${session} in`);
    expect(warnings[0]).not.toContain(new URL(datum.idp.issuer).host);
    expect((await sb.run(["whoami", "-o", "json"])).stdout).toContain(`"session": "${session}"`);
    const entries = JSON.parse(readFileSync(file, "utf8"))[KEYRING_SERVICE];
    expect(Object.keys(entries)).toHaveLength(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("get-token refresh: the rotated refresh token goes to the file, quickly; stdout is the token alone, stderr empty", async () => {
    const file = join(sb.configDir, "credentials.json");
    const dir = join(sb.configDir, "cache", "tokens");
    const expire = () => {
      for (const f of readdirSync(dir)) {
        const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
        writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
      }
    };
    const refresh = async (env: Record<string, string | undefined>) => {
      expire();
      const t = performance.now();
      const r = await sb.run(["auth", "get-token"], { env });
      return { r, ms: performance.now() - t };
    };
    // The same refresh with the file store forced: what it costs without any keyring call.
    const baseline = await refresh({ DATUMCTL_CREDENTIAL_STORE: "file" });
    expect(baseline.r.exitCode, baseline.r.stderr).toBe(0);
    const before = readFileSync(file, "utf8");
    const refreshes = datum.idp.grants.refresh_token;
    const { r, ms } = await refresh(auto);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(datum.idp.grants.refresh_token).toBe(refreshes + 1);
    expect(readFileSync(file, "utf8")).not.toBe(before);
    // Failing fast: the keyring attempt costs well under the 3 s it would take to wait it out.
    expect(ms - baseline.ms).toBeLessThan(KEYRING_TIMEOUT_MS - 500);
  });

  test("DATUMCTL_CREDENTIAL_STORE=keyring: get-token fails with KEYRING_UNAVAILABLE on one line", async () => {
    const dir = join(sb.configDir, "cache", "tokens");
    for (const f of readdirSync(dir)) {
      const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
      writeFileSync(join(dir, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
    }
    const r = await sb.run(["auth", "get-token", "--error-format", "json"], { env: { DATUMCTL_CREDENTIAL_STORE: "keyring" } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "KEYRING_UNAVAILABLE", retryable: true });
    const human = await sb.run(["auth", "get-token"], { env: { DATUMCTL_CREDENTIAL_STORE: "keyring" } });
    expect(human.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(human.stderr).toMatch(/^error: the system keyring is unavailable/);
  });

  test("DATUMCTL_CREDENTIAL_STORE=keyring: login fails with KEYRING_UNAVAILABLE and saves no session", async () => {
    const fresh = sandbox();
    try {
      const r = await login({ DATUMCTL_CREDENTIAL_STORE: "keyring" }, fresh);
      const json = await fresh.run(["whoami", "--error-format", "json"]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("the system keyring is unavailable");
      expect(existsSync(join(fresh.configDir, "credentials.json"))).toBe(false);
      expect(JSON.parse(json.stderr).error.code).toBe("AUTH_REQUIRED");
    } finally {
      fresh.cleanup();
    }
  });
});
