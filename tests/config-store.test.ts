// The config store (~/.datumctl/config): shares the Go tool's v1beta1 file, keeps what it does
// not understand, writes atomically and privately under a cross-process lock, and never
// overwrites a file it cannot parse.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as YAML from "yaml";
import { DatumctlError } from "../src/errors";
import { ORPHANED_TEMP_AGE_MS } from "../src/store/atomic";
import { captureIO } from "../src/io";
import { CONFIG_API_VERSION, CONFIG_KIND, activeSession, currentContext, loadConfig, updateConfig } from "../src/store/config";
import { configDir as resolveConfigDir, configFile } from "../src/store/paths";

const FIXTURE = join(import.meta.dir, "fixtures", "go-config.yaml");
const WRITER = join(import.meta.dir, "support", "store-writer.ts");
const PROD = "maya@datum.net@api.datum.net";
const STAGING = "maya@datum.net@api.staging.env.datum.net";

const mode = (p: string) => statSync(p).mode & 0o777;

let home: string;
let dir: string;
let path: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "datumctl-config-"));
  dir = join(home, ".datumctl");
  path = configFile(dir);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function installGoConfig(): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  copyFileSync(FIXTURE, path);
  chmodSync(path, 0o600);
  return readFileSync(path, "utf8");
}

describe("where the config lives", () => {
  test("DATUMCTL_CONFIG_DIR moves it; otherwise it is ~/.datumctl under HOME", () => {
    expect(resolveConfigDir({ DATUMCTL_CONFIG_DIR: "/srv/ci/datumctl", HOME: "/home/maya" })).toBe("/srv/ci/datumctl");
    expect(resolveConfigDir({ HOME: "/home/maya" })).toBe(join("/home/maya", ".datumctl"));
    expect(configFile("/srv/ci/datumctl")).toBe(join("/srv/ci/datumctl", "config"));
  });
});

describe("reading", () => {
  test("a config written by the Go tool loads with its sessions, contexts and cache", async () => {
    installGoConfig();
    const io = captureIO();
    const cfg = await loadConfig(dir, io);

    expect(io.stderr).toBe("");
    expect(cfg.apiVersion).toBe(CONFIG_API_VERSION);
    expect(cfg.kind).toBe(CONFIG_KIND);
    expect(cfg.sessions?.map((s) => s.name)).toEqual([PROD, STAGING]);
    expect(cfg.sessions?.[1]?.endpoint).toEqual({
      "auth-hostname": "auth.staging.env.datum.net",
      server: "https://api.staging.env.datum.net",
      "tls-server-name": "api.staging.env.datum.net",
    });
    expect(cfg.contexts?.map((c) => c.name)).toEqual([`${PROD}/acme`, `${PROD}/acme/web`, `${STAGING}/acme-staging`, `${STAGING}/acme-staging/web-stg`]);
    expect(cfg.cache?.organizations?.map((o) => o.id)).toEqual(["acme", "acme-staging"]);
    expect(cfg.cache?.projects?.[0]).toEqual({ id: "web", "display-name": "Web", "org-id": "acme", session: PROD });
    expect(cfg.cache?.["last-refreshed"]).toBe("2026-07-16T12:00:00Z");

    expect(currentContext(cfg)).toMatchObject({ "organization-id": "acme", "project-id": "web", namespace: "default" });
    expect(activeSession(cfg)?.["user-key"]).toBe("maya@datum.net@auth.datum.net");
  });

  test("a missing or empty file reads as an empty config, silently", async () => {
    const io = captureIO();
    const missing = await loadConfig(dir, io);
    expect(missing).toMatchObject({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND });
    expect(missing.sessions ?? []).toEqual([]);

    mkdirSync(dir, { recursive: true });
    writeFileSync(path, "\n  \n");
    const empty = await loadConfig(dir, io);
    expect(empty.sessions ?? []).toEqual([]);
    expect(io.stderr).toBe("");
  });

  test("apiVersion and kind are filled in when a hand-written file leaves them out", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, `active-session: ${PROD}\n`);
    const cfg = await loadConfig(dir, captureIO());
    expect(cfg.apiVersion).toBe(CONFIG_API_VERSION);
    expect(cfg.kind).toBe(CONFIG_KIND);
    expect(cfg["active-session"]).toBe(PROD);
  });
});

describe("writing", () => {
  test("fields this version does not know survive a read-modify-write", async () => {
    const before = YAML.parse(installGoConfig());
    expect(before.preferences).toEqual({ color: "never", "default-output": "yaml" });
    expect(before.sessions[1]["login-method"]).toBe("device-code");

    await updateConfig(dir, (cfg) => {
      cfg["current-context"] = `${STAGING}/acme-staging`;
    });

    const after = YAML.parse(readFileSync(path, "utf8"));
    // Everything the Go tool wrote is still there, the one change included and nothing else.
    expect(after).toEqual({ ...before, "current-context": `${STAGING}/acme-staging` });
    expect(after.preferences).toEqual({ color: "never", "default-output": "yaml" });
    expect(after["auto-update"]).toBe(false);
    expect(after.sessions[1]["login-method"]).toBe("device-code");
    expect(after.sessions[1].endpoint["tls-server-name"]).toBe("api.staging.env.datum.net");

    // And the rewritten file loads again as the same config.
    const io = captureIO();
    const reloaded = await loadConfig(dir, io);
    expect(io.stderr).toBe("");
    expect(reloaded).toEqual(after);
  });

  // The Go tool reads the file with YAML 1.1 rules: "on" or "No" written bare would come back
  // there as booleans, so an org called "on" would silently become "true".
  test("strings that YAML 1.1 (the Go tool) would read as booleans or numbers are written quoted", async () => {
    const tricky = ["yes", "No", "on", "OFF", "y", "N", "1_000"];
    await updateConfig(dir, (cfg) => {
      cfg.cache!.organizations = tricky.map((id) => ({ id, "display-name": id, session: PROD }));
    });
    const asGoReadsIt = YAML.parse(readFileSync(path, "utf8"), { version: "1.1" });
    expect(asGoReadsIt.cache.organizations).toEqual(tricky.map((id) => ({ id, "display-name": id, session: PROD })));
  });

  test("a file of only comments reads and updates as an empty config", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, "# nothing here yet\n");
    const io = captureIO();
    expect((await loadConfig(dir, io)).sessions).toBeUndefined();
    expect(io.stderr).toBe("");
    await updateConfig(dir, (cfg) => void (cfg["active-session"] = PROD));
    expect(YAML.parse(readFileSync(path, "utf8"))["active-session"]).toBe(PROD);
  });

  test("the first write creates the directory 0700 and the file 0600", async () => {
    const result = await updateConfig(dir, (cfg) => {
      cfg["active-session"] = PROD;
      return "done";
    });
    expect(result).toBe("done");
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    const written = YAML.parse(readFileSync(path, "utf8"));
    expect(written).toMatchObject({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, "active-session": PROD });
  });

  test("a looser existing file is replaced at 0600; the existing directory keeps its mode (it may not be ours)", async () => {
    installGoConfig();
    chmodSync(path, 0o644);
    chmodSync(dir, 0o755);
    await updateConfig(dir, (cfg) => {
      cfg["active-session"] = STAGING;
    });
    expect(mode(path)).toBe(0o600);
    expect(mode(dir)).toBe(0o755);
  });

  test("a write leaves no temp or lock files behind", async () => {
    installGoConfig();
    await updateConfig(dir, (cfg) => {
      cfg["active-session"] = STAGING;
    });
    await updateConfig(dir, (cfg) => {
      cfg["active-session"] = PROD;
    });
    expect(readdirSync(dir)).toEqual(["config"]);
  });

  test("a write removes the temp files that killed writers of the same file left, once surely orphaned", async () => {
    installGoConfig();
    const aged = new Date(Date.now() - ORPHANED_TEMP_AGE_MS - 1000);
    const temp = (name: string, old: boolean) => {
      writeFileSync(join(dir, name), "partial", { mode: 0o600 });
      if (old) utimesSync(join(dir, name), aged, aged);
      return name;
    };
    temp(".config.4242.0badf00d.tmp", true);
    temp(".config.77.deadbeef.tmp", true);
    const kept = [
      temp(".config.4243.cafef00d.tmp", false), // a writer still at work
      temp(".credentials.json.4242.0badf00d.tmp", true), // another file's: its own writes handle it
      temp(".config.backup.tmp", true), // not a name we give temp files
    ];
    await updateConfig(dir, (cfg) => {
      cfg["active-session"] = STAGING;
    });
    expect(readdirSync(dir).sort()).toEqual(["config", ...kept].sort());
  });

  test("a change that throws writes nothing", async () => {
    const original = installGoConfig();
    const boom = new Error("change failed");
    await expect(
      updateConfig(dir, (cfg) => {
        cfg.sessions = [];
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(readFileSync(path, "utf8")).toBe(original);
    expect(readdirSync(dir)).toEqual(["config"]);
  });
});

describe("a corrupt config", () => {
  const corruptions: [string, string][] = [
    ["broken YAML", "sessions:\n- name: [unclosed\n  user-key: x\n"],
    ["a YAML list instead of a mapping", "- name: a\n- name: b\n"],
    ["a scalar instead of a mapping", "just some text\n"],
    ["sessions that are not a list", `apiVersion: ${CONFIG_API_VERSION}\nsessions: ${PROD}\n`],
    ["contexts that are not a list", `apiVersion: ${CONFIG_API_VERSION}\ncontexts:\n  name: x\n`],
  ];

  for (const [what, text] of corruptions) {
    test(`${what}: reads warn, naming the file, and carry on as if empty`, async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, text, { mode: 0o600 });
      const io = captureIO();
      const cfg = await loadConfig(dir, io);
      expect(cfg.sessions ?? []).toEqual([]);
      expect(cfg.contexts ?? []).toEqual([]);
      expect(cfg["current-context"]).toBeUndefined();
      expect(io.stderr).toStartWith("warning: ");
      expect(io.stderr).toContain(path);
      expect(io.stdout).toBe("");
      expect(readFileSync(path, "utf8")).toBe(text);
    });

    test(`${what}: a write fails with INVALID_INPUT naming the file and how to move it aside, and leaves it alone`, async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, text, { mode: 0o600 });
      let called = false;
      const err = await updateConfig(dir, (cfg) => {
        called = true;
        cfg["active-session"] = PROD;
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatumctlError);
      const e = err as DatumctlError;
      expect(e.code).toBe("INVALID_INPUT");
      expect(e.message).toContain(path);
      expect(e.hint).toContain(`mv ${path} `);
      expect(called).toBe(false);
      expect(readFileSync(path, "utf8")).toBe(text);
      expect(readdirSync(dir)).toEqual(["config"]);
    });
  }
});

describe("concurrent writers", () => {
  test("8 processes each updating a different session: no update is lost", async () => {
    installGoConfig();
    const names = Array.from({ length: 8 }, (_, i) => `writer${i}@example.com@api.datum.net`);
    // Half the sessions exist already (updated in place), half are new (appended).
    await updateConfig(dir, (cfg) => {
      for (const name of names.slice(0, 4)) {
        cfg.sessions!.push({
          name,
          "user-key": `${name}-key`,
          "user-email": name,
          endpoint: { server: "https://api.datum.net", "auth-hostname": "auth.datum.net" },
        });
      }
    });

    const procs = names.map((name) =>
      Bun.spawn([process.execPath, WRITER, "config-session", dir, name], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "" } }),
    );
    const results = await Promise.all(
      procs.map(async (p) => ({ code: await p.exited, stdout: await new Response(p.stdout).text(), stderr: await new Response(p.stderr).text() })),
    );
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(results.map((r) => r.stdout.trim())).toEqual([...Array(4).fill("updated"), ...Array(4).fill("added")]);

    const io = captureIO();
    const cfg = await loadConfig(dir, io);
    expect(io.stderr).toBe("");
    expect(cfg.sessions?.map((s) => s.name).sort()).toEqual([PROD, STAGING, ...names].sort());
    for (const name of names) {
      expect(cfg.sessions?.find((s) => s.name === name)?.["last-context"]).toBe(`${name}/org-of-${name}`);
    }
    // The Go tool's own entries and unknown fields came through all eight rewrites.
    expect(cfg.preferences).toEqual({ color: "never", "default-output": "yaml" });
    expect(cfg.sessions?.find((s) => s.name === STAGING)?.["login-method"]).toBe("device-code");
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["config"]);
  });
});
