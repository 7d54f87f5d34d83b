// The access-token cache: one private JSON file per session under cache/tokens/, read by
// `auth get-token` on every kubectl call. A bad file is reported and treated as absent, and a
// file that belongs to another session is never handed out.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { tokenCacheDir } from "../src/store/paths";
import { type CachedToken, deleteCachedToken, readCachedToken, tokenCachePath, writeCachedToken } from "../src/store/token-cache";

const PROD = "maya@datum.net@api.datum.net";
const STAGING = "maya@datum.net@api.staging.env.datum.net";

const mode = (p: string) => statSync(p).mode & 0o777;

let home: string;
let dir: string;
let warnings: string[];
const warn = (t: string) => void warnings.push(t);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "datumctl-tokens-"));
  dir = join(home, ".datumctl");
  warnings = [];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const token = (session: string, access: string): CachedToken => ({
  session,
  access_token: access,
  token_type: "Bearer",
  expiry: "2026-07-16T19:24:09Z",
});

describe("token cache", () => {
  test("a written token reads back, from a 0600 file in a 0700 cache/tokens directory", () => {
    const t = { ...token(PROD, "access-prod"), id_token: "kept-as-is" };
    writeCachedToken(dir, t);

    const path = tokenCachePath(dir, PROD);
    expect(dirname(path)).toBe(tokenCacheDir(dir));
    expect(tokenCacheDir(dir)).toBe(join(dir, "cache", "tokens"));
    expect(mode(path)).toBe(0o600);
    expect(mode(tokenCacheDir(dir))).toBe(0o700);
    expect(mode(join(dir, "cache"))).toBe(0o700);
    expect(mode(dir)).toBe(0o700);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(t);
    expect(readdirSync(tokenCacheDir(dir))).toEqual([path.slice(tokenCacheDir(dir).length + 1)]);

    expect(readCachedToken(dir, PROD, warn)).toEqual(t);
    expect(warnings).toEqual([]);
  });

  test("each session has its own file, and a rewrite replaces only that session's token", () => {
    writeCachedToken(dir, token(PROD, "access-prod-1"));
    writeCachedToken(dir, token(STAGING, "access-stg-1"));
    expect(tokenCachePath(dir, PROD)).not.toBe(tokenCachePath(dir, STAGING));

    writeCachedToken(dir, token(PROD, "access-prod-2"));
    expect(readCachedToken(dir, PROD, warn)?.access_token).toBe("access-prod-2");
    expect(readCachedToken(dir, STAGING, warn)?.access_token).toBe("access-stg-1");
    // Atomic replacement leaves no temp files next to the two tokens.
    expect(readdirSync(tokenCacheDir(dir))).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  test("every session name gets a file name of its own that any file system takes", () => {
    const names = [PROD, "ada+ci@example.com@127.0.0.1:8443", "we*ird/../name", "é@ü.example", "x".repeat(300), "lone \ud800 surrogate"];
    const files = names.map((n) => tokenCachePath(dir, n).slice(tokenCacheDir(dir).length + 1));
    expect(new Set(files).size).toBe(names.length);
    for (const f of files) {
      expect(f).toMatch(/^[A-Za-z0-9%._!~'()@-]+\.json$/);
      expect(f.length).toBeLessThanOrEqual(205);
    }
    expect(files[0]).toBe("maya%40datum.net%40api.datum.net.json");
    for (const [i, n] of names.entries()) {
      writeCachedToken(dir, token(n, `access-${i}`));
      expect(readCachedToken(dir, n, warn)?.access_token).toBe(`access-${i}`);
    }
    expect(warnings).toEqual([]);
  });

  test("no file: absent, silently", () => {
    expect(readCachedToken(dir, PROD, warn)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test("a file that holds another session's token is never returned", () => {
    writeCachedToken(dir, token(STAGING, "access-stg"));
    mkdirSync(tokenCacheDir(dir), { recursive: true });
    // As if the file had been copied, or two session names hashed to the same file name.
    copyFileSync(tokenCachePath(dir, STAGING), tokenCachePath(dir, PROD));

    expect(readCachedToken(dir, PROD, warn)).toBeUndefined();
    expect(readCachedToken(dir, STAGING, warn)?.access_token).toBe("access-stg");
  });

  const corruptions: [string, string][] = [
    ["truncated JSON", `{"session":"${PROD}","access_token":"abc`],
    ["not JSON at all", "\u0000\u0001garbage"],
    ["an empty file", ""],
    ["JSON null", "null"],
    ["no access_token", JSON.stringify({ session: PROD, expiry: "2026-07-16T19:24:09Z" })],
    ["no expiry", JSON.stringify({ session: PROD, access_token: "abc" })],
    ["no session", JSON.stringify({ access_token: "abc", expiry: "2026-07-16T19:24:09Z" })],
  ];
  for (const [what, text] of corruptions) {
    test(`a corrupt file (${what}) is reported, naming it, and treated as absent`, () => {
      const path = tokenCachePath(dir, PROD);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, text, { mode: 0o600 });
      expect(readCachedToken(dir, PROD, warn)).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(path);

      // The next login's write replaces it.
      writeCachedToken(dir, token(PROD, "fresh"));
      expect(readCachedToken(dir, PROD, warn)?.access_token).toBe("fresh");
      expect(warnings).toHaveLength(1);
    });
  }

  test("delete removes only that session's token, and deleting an absent one is fine", () => {
    writeCachedToken(dir, token(PROD, "access-prod"));
    writeCachedToken(dir, token(STAGING, "access-stg"));
    deleteCachedToken(dir, PROD);
    expect(existsSync(tokenCachePath(dir, PROD))).toBe(false);
    expect(readCachedToken(dir, PROD, warn)).toBeUndefined();
    expect(readCachedToken(dir, STAGING, warn)?.access_token).toBe("access-stg");
    expect(() => deleteCachedToken(dir, PROD)).not.toThrow();
    expect(warnings).toEqual([]);
  });
});
