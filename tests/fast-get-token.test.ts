// kubectl's every command runs `datumctl auth get-token --output=… --session=…`. With a fresh
// token cached, src/fast-get-token.ts answers without loading the CLI; everything else goes to the
// full command. These tests hold the two to the same answers, check that every case the fast
// path must not answer (a token inside its margin, an unreadable or foreign cache file) still
// reaches the full command, and keep the fast path's import graph to the few small modules it needs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recognise } from "../src/fast-get-token";
import { tokenCachePath } from "../src/store/token-cache-read";
import { type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const V1 = "client.authentication.k8s.io/v1";
const V1BETA1 = "client.authentication.k8s.io/v1beta1";

describe("the argument shapes the fast path answers", () => {
  test("kubeconfig's own entry, and the usual spellings of the same two flags", () => {
    expect(recognise([`--output=${V1}`, "--session=s"])).toEqual({ output: V1, session: "s" });
    expect(recognise(["--output", V1BETA1, "--session", "s"])).toEqual({ output: V1BETA1, session: "s" });
    expect(recognise(["-o", "json", "--session=s"])).toEqual({ output: "json", session: "s" });
    expect(recognise(["--session=s"])).toEqual({ output: "token", session: "s" });
    // As with pflag, the last of a repeated flag wins.
    expect(recognise(["-o", "json", "--session=a", "--output=token", "--session=b"])).toEqual({ output: "token", session: "b" });
  });

  test("anything else goes to the full CLI", () => {
    for (const args of [
      [`--output=${V1}`], // no session: the active one is in the YAML config
      ["--session="],
      ["--session"],
      ["--output=yaml", "--session=s"],
      ["-o"],
      ["-ojson", "--session=s"],
      ["--session=s", "--help"],
      ["--session=s", "-v", "9"],
      ["--session=s", "--error-format=json"],
      ["--session=s", "--request-timeout=5s"],
      ["--session=s", "extra"],
      ["--session=s", "--"],
    ]) {
      expect(recognise(args), args.join(" ")).toBeUndefined();
    }
  });
});

describe("against a real sign-in", () => {
  let datum: LocalDatum;
  let sb: Sandbox;
  let session: string;
  let cacheFile: string;

  beforeAll(async () => {
    datum = await startLocalDatum();
    sb = sandbox();
    session = await datum.signIn(sb, "ada");
    cacheFile = tokenCachePath(sb.configDir, session);
    expect(readdirSync(join(sb.configDir, "cache", "tokens"))).toContain(cacheFile.split("/").at(-1)!);
  });
  afterAll(async () => {
    sb?.cleanup();
    await datum?.close();
  });

  const getToken = (extra: string[], env: Record<string, string | undefined> = {}) => sb.run(["auth", "get-token", ...extra, `--session=${session}`], { env });
  const cached = () => JSON.parse(readFileSync(cacheFile, "utf8"));
  const rewriteCache = (change: (t: Record<string, unknown>) => void) => {
    const t = cached();
    change(t);
    writeFileSync(cacheFile, JSON.stringify(t), { mode: 0o600 });
  };

  test("fast and full paths print the same bytes for every output and exec info", async () => {
    // `-v 0` changes nothing but is not a shape the fast path takes, so it runs the full command.
    expect(recognise(["-v", "0", `--session=${session}`])).toBeUndefined();
    const infos = [undefined, JSON.stringify({ apiVersion: V1BETA1, spec: { interactive: true } }), "{not json"];
    for (const output of ["token", V1, V1BETA1, "json"]) {
      for (const info of infos) {
        const env = { KUBERNETES_EXEC_INFO: info };
        const fast = await getToken([`--output=${output}`], env);
        const full = await getToken(["-v", "0", `--output=${output}`], env);
        expect([fast.exitCode, fast.stderr], `${output} ${info}`).toEqual([0, ""]);
        expect([full.exitCode, full.stderr]).toEqual([0, ""]);
        expect(fast.stdout).toBe(full.stdout);
      }
    }
    const raw = await getToken([]);
    expect(raw.stdout).toBe(cached().access_token); // the raw token, no trailing newline
  });

  test("a token inside its safety margin is refreshed, not handed out", async () => {
    datum.idp.resetCounters();
    const old = cached().access_token;
    // An hour-long token with 30 s left: inside its 61 s margin.
    rewriteCache((t) => {
      t.expiry = new Date(Date.now() + 30_000).toISOString();
      t.lifetime_seconds = 3600;
    });
    const r = await getToken([`--output=${V1}`]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status.token).not.toBe(old);
    expect(datum.idp.grants.refresh_token).toBe(1);
  });

  test("an empty cache file is reported once, and a new token is fetched", async () => {
    datum.idp.resetCounters();
    writeFileSync(cacheFile, "", { mode: 0o600 });
    const r = await getToken([`--output=${V1}`]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.trimEnd().split("\n")).toEqual([`warning: ignoring the token cache ${cacheFile}: it is not valid`]);
    expect(JSON.parse(r.stdout).kind).toBe("ExecCredential");
    expect(datum.idp.grants.refresh_token).toBe(1);
    expect(cached().session).toBe(session);
  });

  test("a cache file holding another session's token is never printed", async () => {
    datum.idp.resetCounters();
    rewriteCache((t) => {
      t.session = "mallory@example.com@elsewhere";
      t.access_token = "not-ada-s-token";
    });
    const r = await getToken([`--output=${V1}`]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("not-ada-s-token");
    expect(datum.idp.grants.refresh_token).toBe(1);
  });
});

describe("the fast path's import graph", () => {
  // Every module here is loaded, parsed and run on each kubectl command. Adding one is a
  // decision: measure it with `npm run bench` first.
  const ALLOWED = [
    "src/auth/access-token.ts",
    "src/auth/exec-credential.ts",
    "src/auth/lifetime.ts",
    "src/fast-get-token.ts",
    "src/store/paths.ts",
    "src/store/token-cache-read.ts",
  ];

  test("only the token cache, its lifetime rules and the printer: no CLI, YAML, OAuth or node: modules", async () => {
    const out = mkdtempSync(join(tmpdir(), "datumctl-graph-"));
    try {
      const built = await Bun.build({ entrypoints: [join(import.meta.dir, "../src/entry.ts")], outdir: out, target: "bun", format: "esm", splitting: true });
      expect(built.success, built.logs.join("\n")).toBe(true);
      const entry = readFileSync(join(out, "entry.js"), "utf8");
      // The first lazy import in the entry is the fast path's (the second is the full CLI).
      const fastChunk = entry.match(/"get-token"[^]*?import\("\.\/([\w.-]+\.js)"\)/)?.[1];
      expect(fastChunk, "cli.ts loads the fast path as a chunk of its own").toBeDefined();

      const modules = new Set<string>();
      const staticImports: string[] = [];
      const visit = (file: string, seen = new Set<string>()) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = readFileSync(join(out, file), "utf8");
        for (const m of text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)) modules.add(m[1]!);
        for (const m of text.matchAll(/^import\s*(?:\{[^}]*\}\s*from\s*)?"([^"]+)";?$/gm)) {
          if (m[1]!.startsWith("./")) visit(m[1]!.slice(2), seen);
          else staticImports.push(m[1]!);
        }
        // Nothing on this path loads more code later.
        expect(text.match(/\bimport\(/g), file).toBeNull();
      };
      visit(fastChunk!);
      expect([...modules].sort()).toEqual(ALLOWED);
      expect(staticImports).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
