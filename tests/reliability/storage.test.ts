// Where datumctl keeps its files, when that place is not a private, writable directory: a
// shared one (1777, as /tmp is, or group-writable) is refused and left exactly as it was; one the
// Go tool left at 0755 is used with a warning and not chmod-ed; a full disk (tmpfs) or a
// read-only config dir (a read-only bind mount) refuses a token refresh before the refresh
// token is spent, says so as STORAGE, and leaves the session working once the disk is fixed;
// `auth doctor` reports both. And `logout --all` takes the corrupt credentials files datumctl
// moved aside, which still hold refresh tokens. Mounts need root, as these tests run; every
// mount is undone in afterEach.
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { HEADLESS_BROWSER } from "../support/browser";
import type { RunResult } from "../support/cli";
import { expireCachedToken, findUnder, modeOf, storedRefreshToken, tokenFile } from "../support/session-files";
import { localDatumPerTest } from "../support/local-datum";

const t = localDatumPerTest();
const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0).reverse()) sh("umount", m);
});

function sh(...cmd: string[]): void {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
}

function mountTmpfs(dir: string, size: string): void {
  sh("mount", "-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir);
  mounts.push(dir);
}

function mountReadOnly(dir: string): void {
  sh("mount", "--bind", dir, dir);
  mounts.push(dir);
  sh("mount", "-o", "remount,ro,bind", dir);
}

function unmount(dir: string): void {
  sh("umount", dir);
  mounts.splice(mounts.lastIndexOf(dir), 1);
}

/** Writes into dir until its file system says ENOSPC; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, "filler");
  const fd = openSync(path, "w", 0o600);
  const chunk = new Uint8Array(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  return path;
}

const login = (env: Record<string, string> = {}) =>
  t.sb.run(t.datum.loginArgs("--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada", ...env } });
const getToken = (session: string) => t.sb.run(["--error-format", "json", "auth", "get-token", `--session=${session}`]);

function errorOf(r: RunResult): { code: string; message: string; hint?: string } {
  return JSON.parse(r.stderr).error;
}

async function doctorCheck(name: string): Promise<{ status: string; detail: string; fix?: string }> {
  const r = await t.sb.run(["auth", "doctor", "-o", "json"]);
  const { checks } = JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string; fix?: string }[] };
  return checks.find((c) => c.name === name)!;
}

describe("the config directory", () => {
  for (const mode of [0o1777, 0o770]) {
    test(`an existing directory that others may write to (${mode.toString(8)}) is refused, and left exactly as it was`, async () => {
      t.sb.looseModes = true;
      const shared = join(t.sb.home, "shared");
      mkdirSync(shared);
      chmodSync(shared, mode);
      const r = await login({ DATUMCTL_CONFIG_DIR: shared });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`error: refusing to keep datumctl's files in ${shared}: it is ${mode.toString(8).padStart(4, "0")}, writable by others`);
      expect(r.stderr).toContain("Point DATUMCTL_CONFIG_DIR at a directory of your own");
      expect(modeOf(shared)).toBe(mode);
      expect(readdirSync(shared)).toEqual([]);
    }, 30_000);
  }

  test("a directory under it that others may write to is refused too, before anything is written there", async () => {
    const session = await t.datum.signIn(t.sb);
    expireCachedToken(t.sb);
    t.sb.looseModes = true;
    const tokens = join(t.sb.configDir, "cache", "tokens");
    const before = readFileSync(join(tokens, readdirSync(tokens)[0]!), "utf8");
    chmodSync(tokens, 0o777);
    const r = await getToken(session);
    expect(r.exitCode).toBe(1);
    expect(errorOf(r)).toMatchObject({ code: "STORAGE" });
    expect(errorOf(r).message).toContain(`${tokens}: it is 0777, writable by others`);
    expect(t.datum.idp.grants.refresh_token).toBe(0);
    expect(modeOf(tokens)).toBe(0o777);
    expect(readFileSync(join(tokens, readdirSync(tokens)[0]!), "utf8")).toBe(before);
  }, 30_000);

  test("an existing one at 0755 (as the Go tool leaves ~/.datumctl) is used, not chmod-ed, with one warning", async () => {
    t.sb.looseModes = true;
    mkdirSync(t.sb.configDir);
    chmodSync(t.sb.configDir, 0o755);
    const r = await login();
    expect(r.exitCode, r.stderr).toBe(0);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toEqual([
      `warning: ${t.sb.configDir} is 0755: others can look inside (datumctl leaves modes it did not set alone); chmod 700 ${t.sb.configDir} to keep it private`,
    ]);
    expect(modeOf(t.sb.configDir)).toBe(0o755);
    // What datumctl made itself is private.
    expect(modeOf(join(t.sb.configDir, "cache")).toString(8)).toBe("700");
    expect(modeOf(join(t.sb.configDir, "cache", "tokens")).toString(8)).toBe("700");
  }, 30_000);
});

describe("a full disk", () => {
  test("a refresh is refused before the refresh token is spent (STORAGE); once there is room the session works", async () => {
    mkdirSync(t.sb.configDir, { mode: 0o700 });
    mountTmpfs(t.sb.configDir, "2m");
    const session = await t.datum.signIn(t.sb);
    const credentials = join(t.sb.configDir, "credentials.json");
    const stored = readFileSync(credentials, "utf8");
    expireCachedToken(t.sb);
    const filler = fill(t.sb.configDir);

    const r = await getToken(session);
    expect(r.exitCode).toBe(1);
    const err = errorOf(r);
    expect(err.code).toBe("STORAGE");
    expect(err.message).toContain(`not refreshing session ${session}, as its new tokens could not be saved`);
    expect(err.message).toContain(`no space left on device writing ${tokenFile(t.sb)}`);
    // get-token folds the hint into the message (kubectl shows only that).
    expect(err.message).toContain("The stored session is unchanged.");
    expect(t.datum.idp.grants.refresh_token).toBe(0);
    expect(readFileSync(credentials, "utf8")).toBe(stored);
    expect(findUnder(t.sb.configDir, ".tmp")).toEqual([]);
    expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
    const check = await doctorCheck("writable");
    expect(check.status).toBe("fail");
    expect(check.detail).toContain(`The disk holding ${t.sb.configDir} is full`);

    unlinkSync(filler);
    const again = await getToken(session);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(t.datum.idp.grants.refresh_token).toBe(1);
    expect((await t.datum.idp.verifyAccessToken(again.stdout.trim()))?.sub).toBe("ada");
    expect(storedRefreshToken(t.sb)).not.toBe(JSON.parse(Object.values(JSON.parse(stored)["datumctl-auth"])[0] as string).token.refresh_token);
  }, 30_000);
});

describe("a read-only config directory", () => {
  test("a refresh says the directory is read-only (STORAGE), not that another datumctl holds the lock; doctor says so too", async () => {
    const session = await t.datum.signIn(t.sb);
    const stored = readFileSync(join(t.sb.configDir, "credentials.json"), "utf8");
    expireCachedToken(t.sb);
    mountReadOnly(t.sb.configDir);

    const r = await getToken(session);
    expect(r.exitCode).toBe(1);
    const err = errorOf(r);
    expect(err.code).toBe("STORAGE");
    expect(err.message).toContain("read-only file system");
    expect(err.message).not.toContain("timed out");
    expect(t.datum.idp.grants.refresh_token).toBe(0);
    const check = await doctorCheck("writable");
    expect(check).toMatchObject({ status: "fail" });
    expect(check.detail).toContain(`${t.sb.configDir} is on a read-only file system`);

    unmount(t.sb.configDir);
    expect(readFileSync(join(t.sb.configDir, "credentials.json"), "utf8")).toBe(stored);
    const again = await getToken(session);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(t.datum.idp.grants.refresh_token).toBe(1);
  }, 30_000);
});

describe("corrupt credentials moved aside", () => {
  test("logout --all removes them too: no refresh token is left anywhere", async () => {
    await t.datum.signIn(t.sb, "ada");
    const credentials = join(t.sb.configDir, "credentials.json");
    const refreshToken = storedRefreshToken(t.sb);
    // Truncated mid-write by something else: corrupt, yet the refresh token is all there.
    const text = readFileSync(credentials, "utf8");
    writeFileSync(credentials, text.slice(0, text.lastIndexOf("}") - 1));
    const bob = await login({ DATUMCTL_TEST_LOGIN: "bob" });
    expect(bob.exitCode, bob.stderr).toBe(0);
    expect(bob.stderr).toContain("was not valid JSON; moved it to");
    const aside = readdirSync(t.sb.configDir).filter((n) => n.startsWith("credentials.json.corrupt-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(t.sb.configDir, aside[0]!), "utf8")).toContain(refreshToken);

    const r = await t.sb.run(["logout", "--all"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readdirSync(t.sb.configDir).filter((n) => n.includes(".corrupt-"))).toEqual([]);
    const files = findUnder(t.sb.configDir, "").filter((f) => statSync(f).isFile());
    for (const f of files) expect(readFileSync(f, "utf8")).not.toContain(refreshToken);
  }, 30_000);
});
