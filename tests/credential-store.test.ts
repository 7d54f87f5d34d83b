// The credential store: secrets in the OS keyring (service "datumctl-auth") when it works,
// else ~/.datumctl/credentials.json in the Go tool's shape, with a one-line notice from the
// write that first lands there. The keyring is injected: working, failing, hanging, and the
// real Bun.secrets (which has no libsecret on a bare Linux box).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatumctlError } from "../src/errors";
import { CredentialStore, KEYRING_SERVICE, flushDeferredNotice, storeMode } from "../src/store/credentials";
import type { Keyring } from "../src/store/keyring";
import { credentialsFile } from "../src/store/paths";

const GO_FIXTURE = join(import.meta.dir, "fixtures", "go-credentials.json");
const WRITER = join(import.meta.dir, "support", "store-writer.ts");
const MAYA = "maya@datum.net@auth.datum.net";
const MAYA_STG = "maya@datum.net@auth.staging.env.datum.net";
const TIMEOUT_MS = 200;

const mode = (p: string) => statSync(p).mode & 0o777;
const readJSON = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Record<string, Record<string, string>>;

/** An in-memory keyring that records every call. */
class FakeKeyring implements Keyring {
  readonly entries = new Map<string, string>();
  readonly calls: string[] = [];
  get(service: string, key: string) {
    this.calls.push(`get ${service} ${key}`);
    return Promise.resolve(this.entries.get(`${service}/${key}`) ?? null);
  }
  set(service: string, key: string, value: string) {
    this.calls.push(`set ${service} ${key}`);
    this.entries.set(`${service}/${key}`, value);
    return Promise.resolve();
  }
  delete(service: string, key: string) {
    this.calls.push(`delete ${service} ${key}`);
    return Promise.resolve(this.entries.delete(`${service}/${key}`));
  }
}

/** A keyring that is there but refuses every call (locked, no D-Bus, …). */
const failingKeyring = (): Keyring & { calls: number } => {
  const k = {
    calls: 0,
    get: () => (k.calls++, Promise.reject(new Error("org.freedesktop.DBus.Error.ServiceUnknown"))),
    set: () => (k.calls++, Promise.reject(new Error("org.freedesktop.DBus.Error.ServiceUnknown"))),
    delete: () => (k.calls++, Promise.reject(new Error("org.freedesktop.DBus.Error.ServiceUnknown"))),
  };
  return k;
};

/** A keyring whose calls never answer. */
const hangingKeyring = (): Keyring => ({
  get: () => new Promise<string | null>(() => {}),
  set: () => new Promise<void>(() => {}),
  delete: () => new Promise<boolean>(() => {}),
});

let home: string;
let dir: string;
let file: string;
let warnings: string[];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "datumctl-creds-"));
  dir = join(home, ".datumctl");
  file = credentialsFile(dir);
  warnings = [];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function store(keyring: Keyring | undefined, env: Record<string, string> = {}, extra: { deferNotices?: boolean; warnings?: string[] } = {}) {
  const sink = extra.warnings ?? warnings;
  return new CredentialStore({
    configDir: dir,
    env,
    warn: (t) => void sink.push(t),
    keyring,
    keyringTimeoutMs: TIMEOUT_MS,
    deferNotices: extra.deferNotices,
  });
}

function writeCredentials(data: unknown) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, typeof data === "string" ? data : JSON.stringify(data, null, 2), { mode: 0o600 });
}

function expectOneNoticeNaming(list: string[], key: string) {
  expect(list).toHaveLength(1);
  expect(list[0]).toContain(file);
  expect(list[0]).toContain(key);
  expect(list[0]).not.toContain("\n");
}

describe("with a working keyring", () => {
  test("a secret goes to the keyring under service datumctl-auth; no file, no warning", async () => {
    const k = new FakeKeyring();
    const s = store(k);
    expect(await s.set(MAYA, "blob-1")).toBe("keyring");
    expect(k.entries.get(`datumctl-auth/${MAYA}`)).toBe("blob-1");
    expect(KEYRING_SERVICE).toBe("datumctl-auth");
    expect(await s.get(MAYA)).toBe("blob-1");
    expect(await s.locate(MAYA)).toBe("keyring");
    expect(existsSync(file)).toBe(false);
    expect(warnings).toEqual([]);
  });

  test("a key that is not there is null, not a keyring failure: the next write still uses the keyring", async () => {
    const k = new FakeKeyring();
    const s = store(k);
    expect(await s.get(MAYA)).toBeNull();
    expect(await s.locate(MAYA)).toBeUndefined();
    expect(await s.set(MAYA, "blob-1")).toBe("keyring");
    expect(existsSync(file)).toBe(false);
    expect(warnings).toEqual([]);
  });

  test("delete removes the secret from the keyring and says whether it existed", async () => {
    const k = new FakeKeyring();
    const s = store(k);
    await s.set(MAYA, "blob-1");
    expect(await s.delete(MAYA)).toBe(true);
    expect(k.entries.size).toBe(0);
    expect(await s.get(MAYA)).toBeNull();
    expect(await s.delete(MAYA)).toBe(false);
  });
});

describe("falling back to credentials.json", () => {
  test("a failing keyring: the write lands in the file (Go shape, 0600, dir 0700) with one notice naming it", async () => {
    const s = store(failingKeyring());
    expect(await s.set(MAYA, "blob-1")).toBe("file");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-1" } });
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expectOneNoticeNaming(warnings, MAYA);
    // Pretty-printed like the Go tool's file.
    expect(readFileSync(file, "utf8")).toContain(`\n  "datumctl-auth": {\n    "${MAYA}": "blob-1"\n  }`);
    expect(readdirSync(dir).sort()).toEqual(["credentials.json"]);
  });

  test("a hanging keyring: each call gives up after keyringTimeoutMs and the write lands in the file", async () => {
    const s = store(hangingKeyring());
    expect(await s.set(MAYA, "blob-1")).toBe("file");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-1" } });
    expectOneNoticeNaming(warnings, MAYA);

    // A fresh process (new store) with the same hanging keyring: the read is answered from the
    // file; a read of a key that is nowhere gives up on the keyring and returns null.
    const warnings2: string[] = [];
    const s2 = store(hangingKeyring(), {}, { warnings: warnings2 });
    expect(await s2.get(MAYA)).toBe("blob-1");
    expect(await s2.get(MAYA_STG)).toBeNull();
    expect(warnings2).toEqual([]);
  });

  test("reads never print the notice, whatever the keyring does", async () => {
    writeCredentials({ "datumctl-auth": { [MAYA]: "blob-1" } });
    for (const k of [failingKeyring(), hangingKeyring(), new FakeKeyring()]) {
      const s = store(k);
      expect(await s.get(MAYA)).toBe("blob-1");
      expect(await s.get(MAYA_STG)).toBeNull();
      expect(await s.locate(MAYA)).toBe("file");
    }
    expect(warnings).toEqual([]);
  });

  test("rewriting an entry that is already in the file prints nothing more", async () => {
    const s = store(failingKeyring());
    await s.set(MAYA, "blob-1");
    await s.set(MAYA, "blob-2");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-2" } });
    expect(warnings).toHaveLength(1);

    const later: string[] = [];
    await store(failingKeyring(), {}, { warnings: later }).set(MAYA, "blob-3");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-3" } });
    expect(later).toEqual([]);
  });

  test("once the keyring has failed, this process stops calling it", async () => {
    const k = failingKeyring();
    const s = store(k);
    await s.set(MAYA, "blob-1");
    const after = k.calls;
    await s.set(MAYA_STG, "blob-2");
    expect(await s.get("someone-else@auth.datum.net")).toBeNull();
    expect(k.calls).toBe(after);
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-1", [MAYA_STG]: "blob-2" } });
  });

  test("other services' and other keys' entries are preserved by writes and deletes", async () => {
    writeCredentials({ "some-other-tool": { token: "theirs" }, "datumctl-auth": { active_user: MAYA, [MAYA]: "blob-1" } });
    const s = store(failingKeyring());
    await s.set(MAYA_STG, "blob-stg");
    expect(readJSON(file)).toEqual({
      "some-other-tool": { token: "theirs" },
      "datumctl-auth": { active_user: MAYA, [MAYA]: "blob-1", [MAYA_STG]: "blob-stg" },
    });
    expect(await s.delete(MAYA)).toBe(true);
    expect(readJSON(file)).toEqual({ "some-other-tool": { token: "theirs" }, "datumctl-auth": { active_user: MAYA, [MAYA_STG]: "blob-stg" } });
    expect(await s.delete(MAYA)).toBe(false);
    expect(mode(file)).toBe(0o600);
  });

  test("a file written by the Go tool is read as is, and a write keeps every Go entry", async () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    copyFileSync(GO_FIXTURE, file);
    chmodSync(file, 0o600);
    const goData = readJSON(GO_FIXTURE);

    const s = store(failingKeyring());
    const blob = await s.get(MAYA);
    expect(blob).toBe(goData["datumctl-auth"]![MAYA]!);
    expect(JSON.parse(blob!)).toMatchObject({ hostname: "auth.datum.net", user_email: "maya@datum.net", token: { refresh_token: "prod-refresh-token-1" } });
    expect(await s.get("active_user")).toBe(MAYA);
    expect(JSON.parse((await s.get("known_users"))!)).toEqual([MAYA, MAYA_STG]);

    await s.set("ci-bot@example.iam.datum.net@auth.datum.net", "blob-ci");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { ...goData["datumctl-auth"], "ci-bot@example.iam.datum.net@auth.datum.net": "blob-ci" } });
  });
});

describe("moving back to the keyring", () => {
  test("a later write that finds the keyring working moves the secret there and out of the file", async () => {
    writeCredentials({ "some-other-tool": { token: "theirs" } });
    await store(failingKeyring()).set(MAYA, "blob-1");
    await store(failingKeyring()).set(MAYA_STG, "blob-stg");
    expect(readJSON(file)["datumctl-auth"]).toEqual({ [MAYA]: "blob-1", [MAYA_STG]: "blob-stg" });

    const k = new FakeKeyring();
    const later: string[] = [];
    const s = store(k, {}, { warnings: later });
    expect(await s.set(MAYA, "blob-2")).toBe("keyring");
    expect(k.entries.get(`datumctl-auth/${MAYA}`)).toBe("blob-2");
    // The plain-text copy is gone; the other key and the other service are untouched.
    expect(readJSON(file)).toEqual({ "some-other-tool": { token: "theirs" }, "datumctl-auth": { [MAYA_STG]: "blob-stg" } });
    expect(await s.get(MAYA)).toBe("blob-2");
    expect(await s.locate(MAYA)).toBe("keyring");
    expect(later).toEqual([]);
    expect(mode(file)).toBe(0o600);
  });
});

describe("deferred notices (auth get-token)", () => {
  test("the notice is saved instead of printed, then printed exactly once by flushDeferredNotice", async () => {
    const s = store(failingKeyring(), {}, { deferNotices: true });
    expect(await s.set(MAYA, "blob-1")).toBe("file");
    expect(warnings).toEqual([]);
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-1" } });

    const shown: string[] = [];
    flushDeferredNotice(dir, (t) => void shown.push(t));
    expectOneNoticeNaming(shown, MAYA);
    expect(shown[0]).toMatch(/keyring/);

    const again: string[] = [];
    flushDeferredNotice(dir, (t) => void again.push(t));
    expect(again).toEqual([]);
  });

  test("with nothing deferred, flushDeferredNotice prints nothing", () => {
    const shown: string[] = [];
    flushDeferredNotice(dir, (t) => void shown.push(t));
    expect(shown).toEqual([]);
  });
});

describe("DATUMCTL_CREDENTIAL_STORE", () => {
  test("unset, empty and auto mean auto; keyring and file force one; anything else is INVALID_INPUT", () => {
    expect(storeMode({})).toBe("auto");
    expect(storeMode({ DATUMCTL_CREDENTIAL_STORE: "" })).toBe("auto");
    expect(storeMode({ DATUMCTL_CREDENTIAL_STORE: "auto" })).toBe("auto");
    expect(storeMode({ DATUMCTL_CREDENTIAL_STORE: "keyring" })).toBe("keyring");
    expect(storeMode({ DATUMCTL_CREDENTIAL_STORE: "file" })).toBe("file");

    let err: unknown;
    try {
      store(new FakeKeyring(), { DATUMCTL_CREDENTIAL_STORE: "plaintext" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatumctlError);
    expect((err as DatumctlError).code).toBe("INVALID_INPUT");
    expect((err as DatumctlError).message).toContain("DATUMCTL_CREDENTIAL_STORE");
    expect((err as DatumctlError).message).toContain('"plaintext"');
    expect((err as DatumctlError).hint).toContain("keyring");
    expect((err as DatumctlError).hint).toContain("file");
  });

  test("file: secrets go to credentials.json and the keyring is never called", async () => {
    const k = new FakeKeyring();
    const s = store(k, { DATUMCTL_CREDENTIAL_STORE: "file" });
    expect(await s.set(MAYA, "blob-1")).toBe("file");
    expect(await s.get(MAYA)).toBe("blob-1");
    expect(await s.get(MAYA_STG)).toBeNull();
    expect(await s.locate(MAYA)).toBe("file");
    expect(await s.delete(MAYA)).toBe(true);
    expect(readJSON(file)).toEqual({ "datumctl-auth": {} });
    expect(k.calls).toEqual([]);
    expect(mode(file)).toBe(0o600);
  });

  test("keyring: a working keyring is used, and a copy left in the file is neither read nor kept", async () => {
    writeCredentials({ "datumctl-auth": { [MAYA]: "stale-file-copy" } });
    const k = new FakeKeyring();
    const s = store(k, { DATUMCTL_CREDENTIAL_STORE: "keyring" });
    expect(await s.get(MAYA)).toBeNull();
    expect(await s.set(MAYA, "blob-1")).toBe("keyring");
    expect(await s.get(MAYA)).toBe("blob-1");
    expect(readJSON(file)).toEqual({ "datumctl-auth": {} });
  });

  for (const [what, make] of [
    ["failing", failingKeyring],
    ["hanging", hangingKeyring],
  ] as const) {
    test(`keyring with a ${what} keyring: KEYRING_UNAVAILABLE, and nothing is written to disk`, async () => {
      const s = store(make(), { DATUMCTL_CREDENTIAL_STORE: "keyring" });
      const setErr = await s.set(MAYA, "blob-1").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(setErr).toBeInstanceOf(DatumctlError);
      expect((setErr as DatumctlError).code).toBe("KEYRING_UNAVAILABLE");
      expect((setErr as DatumctlError).message).toContain("keyring");

      const getErr = await store(make(), { DATUMCTL_CREDENTIAL_STORE: "keyring" })
        .get(MAYA)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((getErr as DatumctlError).code).toBe("KEYRING_UNAVAILABLE");
      expect(existsSync(file)).toBe(false);
      expect(warnings).toEqual([]);
    });
  }
});

describe("a corrupt credentials.json", () => {
  const corruptions: [string, string][] = [
    ["truncated JSON", `{\n  "datumctl-auth": {\n    "${MAYA}": "blob`],
    ["a JSON array", `["${MAYA}"]\n`],
    ["a service that is not a map", `{"datumctl-auth": "${MAYA}"}\n`],
    ["a secret that is not a string", `{"datumctl-auth": {"${MAYA}": {"token": "x"}}}\n`],
  ];

  for (const [what, text] of corruptions) {
    test(`${what}: a read warns naming the file, reads it as empty, and leaves it alone`, async () => {
      writeCredentials(text);
      const s = store(failingKeyring());
      expect(await s.get(MAYA)).toBeNull();
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      for (const w of warnings) expect(w).toContain(file);
      expect(readFileSync(file, "utf8")).toBe(text);
      expect(readdirSync(dir)).toEqual(["credentials.json"]);
    });

    test(`${what}: a write moves it aside to credentials.json.corrupt-<time>, says so, and starts a new file`, async () => {
      writeCredentials(text);
      const s = store(failingKeyring());
      expect(await s.set(MAYA_STG, "blob-stg")).toBe("file");

      const aside = readdirSync(dir).filter((n) => n.startsWith("credentials.json.corrupt-"));
      expect(aside).toHaveLength(1);
      const asidePath = join(dir, aside[0]!);
      // Whatever was in the corrupt file is kept, byte for byte.
      expect(readFileSync(asidePath, "utf8")).toBe(text);
      expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA_STG]: "blob-stg" } });
      expect(mode(file)).toBe(0o600);

      const moved = warnings.filter((w) => w.includes(asidePath));
      expect(moved).toHaveLength(1);
      expect(moved[0]).toContain(file);
      expect(readdirSync(dir).sort()).toEqual(["credentials.json", aside[0]!].sort());
    });
  }
});

// The real keyring, through Bun.secrets. On a Linux box without libsecret it fails, which is
// exactly the "no keyring at all" case; where it works, these tests would touch a real keyring.
const realKeyringWorks = await Promise.race([
  Bun.secrets.get({ service: "datumctl-test-probe", name: "probe" }).then(
    () => true,
    () => false,
  ),
  new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000).unref()),
]);
if (realKeyringWorks) {
  console.warn("credential-store.test.ts: Bun.secrets works on this machine, so the missing-keyring tests are skipped");
}

describe("the real keyring, missing (Bun.secrets without libsecret)", () => {
  test.skipIf(realKeyringWorks)("auto: the write falls back to credentials.json with one notice naming it", async () => {
    const s = new CredentialStore({ configDir: dir, env: {}, warn: (t) => void warnings.push(t) });
    expect(await s.set(MAYA, "blob-1")).toBe("file");
    expect(readJSON(file)).toEqual({ "datumctl-auth": { [MAYA]: "blob-1" } });
    expect(mode(file)).toBe(0o600);
    expectOneNoticeNaming(warnings, MAYA);
    expect(await s.get(MAYA)).toBe("blob-1");
    expect(warnings).toHaveLength(1);
  });

  test.skipIf(realKeyringWorks)("DATUMCTL_CREDENTIAL_STORE=keyring: KEYRING_UNAVAILABLE", async () => {
    const s = new CredentialStore({ configDir: dir, env: { DATUMCTL_CREDENTIAL_STORE: "keyring" }, warn: (t) => void warnings.push(t) });
    const err = await s.set(MAYA, "blob-1").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as DatumctlError).code).toBe("KEYRING_UNAVAILABLE");
    expect(existsSync(file)).toBe(false);
  });
});

describe("concurrent writers", () => {
  for (const writerMode of ["credential-file", "credential-fallback"] as const) {
    test(`${writerMode}: 8 processes each setting a different key: none is lost`, async () => {
      writeCredentials({ "some-other-tool": { token: "theirs" }, "datumctl-auth": { active_user: MAYA } });
      const keys = Array.from({ length: 8 }, (_, i) => `writer${i}@example.com@auth.datum.net`);
      const procs = keys.map((key) =>
        Bun.spawn([process.execPath, WRITER, writerMode, dir, key], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "" } }),
      );
      const results = await Promise.all(
        procs.map(async (p) => ({ code: await p.exited, stdout: await new Response(p.stdout).text(), stderr: await new Response(p.stderr).text() })),
      );
      for (const [i, r] of results.entries()) {
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toBe("file");
        if (writerMode === "credential-file") {
          expect(r.stderr).toBe("");
        } else {
          // Each process's key was new to the file, so each printed its one notice.
          expect(r.stderr.trim().split("\n")).toHaveLength(1);
          expect(r.stderr).toContain(file);
          expect(r.stderr).toContain(keys[i]!);
        }
      }
      const expected: Record<string, string> = { active_user: MAYA };
      for (const key of keys) expected[key] = `secret-for-${key}`;
      expect(readJSON(file)).toEqual({ "some-other-tool": { token: "theirs" }, "datumctl-auth": expected });
      expect(mode(file)).toBe(0o600);
      expect(readdirSync(dir)).toEqual(["credentials.json"]);
    });
  }
});
