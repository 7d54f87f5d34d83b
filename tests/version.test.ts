// `datumctl version` against the local Datum (IdP and control plane) and kubectl 1.32 on the
// same server, and the HTTP behaviours every command shares, seen through it: -v logging with
// secrets redacted, server warnings, --request-timeout, Ctrl-C.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import pkg from "../package.json" with { type: "json" };
import { BINARY, type Sandbox, sandbox } from "./support/cli";
import { VERSION } from "./support/control-plane/routes";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const SECRET = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNlY3JldA";
const CLIENT_LINE = `Client Version: v${pkg.version}\n`;

let datum: LocalDatum;
let sb: Sandbox;
let kubeDir: string;
let kubectl: ((args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>) | undefined;

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  kubeDir = mkdtempSync(join(tmpdir(), "datumctl-version-kubectl-"));
  const binary = await findKubectl();
  if (!binary) return console.warn("version.test.ts: no kubectl here; checking datumctl's own output only");
  const config = join(kubeDir, "web.yaml");
  writeFileSync(config, datum.tokenKubeconfig(datum.api.projectPath("web"), "ada", await datum.idp.mintAccessToken("ada", 3600)));
  kubectl = async (args) => {
    const proc = Bun.spawn([binary, ...args], { env: { PATH: process.env.PATH ?? "", HOME: kubeDir, KUBECONFIG: config }, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { code, stdout, stderr };
  };
});
afterEach(() => {
  datum.api.faults.clear();
  datum.api.clearRequests();
});
afterAll(async () => {
  sb.cleanup();
  rmSync(kubeDir, { recursive: true, force: true });
  await datum.close();
});

const versionPath = () => `${datum.api.projectPath("web")}/version`;
const versionRequests = () => datum.api.requests.filter((r) => r.path.endsWith("/version"));

describe("version", () => {
  test("signed out: the client version only, no error, nothing sent", async () => {
    const out = sandbox();
    datum.api.clearRequests();
    try {
      const r = await out.run(["version"]);
      expect(r).toEqual({ exitCode: 0, stdout: CLIENT_LINE, stderr: "" });
      expect(datum.api.requests).toEqual([]);
    } finally {
      out.cleanup();
    }
  });

  test("signed in: the scope's /version, asked with the session's token and datumctl's User-Agent", async () => {
    const r = await sb.run(["version"]);
    expect(r).toEqual({ exitCode: 0, stdout: `${CLIENT_LINE}Server Version: ${VERSION.gitVersion}\n`, stderr: "" });
    const [req, ...more] = versionRequests();
    expect(more).toEqual([]);
    expect(req!.path).toBe(versionPath());
    expect(req!.status).toBe(200);
    expect(req!.headers.authorization).toBe("Bearer <redacted>");
    expect(req!.headers["user-agent"]).toBe(`datumctl/v${pkg.version}`);
  });

  test("the scope flags pick the control plane", async () => {
    expect((await sb.run(["version", "--organization", "acme"])).exitCode).toBe(0);
    expect(versionRequests().map((q) => q.path)).toEqual([`${datum.api.orgPath("acme")}/version`]);
  });

  test("the Server Version line is kubectl's", async () => {
    if (!kubectl) return;
    const k = await kubectl(["version"]);
    expect(k.code).toBe(0);
    const serverLine = (s: string) => s.split("\n").find((l) => l.startsWith("Server Version:"));
    expect(serverLine((await sb.run(["version"])).stdout)).toBe(serverLine(k.stdout)!);
  });

  test("-o json carries serverVersion as kubectl's does, key for key", async () => {
    const r = await sb.run(["version", "-o", "json"]);
    expect(r.exitCode).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(Object.keys(v)).toEqual(["clientVersion", "serverVersion"]);
    expect(v.clientVersion.gitVersion).toBe(`v${pkg.version}`);
    expect(v.clientVersion.platform).toMatch(/^(linux|darwin|windows)\/(amd64|arm64)$/);
    expect(v.clientVersion.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(v.serverVersion).toEqual(VERSION);
    if (kubectl) {
      const theirs = JSON.parse((await kubectl(["version", "-o", "json"])).stdout).serverVersion;
      expect(Object.entries(v.serverVersion)).toEqual(Object.entries(theirs));
      // the same text too, as kubectl indents it
      const block = (s: string) => s.slice(s.indexOf('"serverVersion"'), s.indexOf("}", s.indexOf('"serverVersion"')) + 1);
      expect(block(r.stdout)).toBe(block((await kubectl(["version", "-o", "json"])).stdout));
    }
  });

  test("-o yaml carries serverVersion too", async () => {
    const r = await sb.run(["version", "-o", "yaml"]);
    expect(r.exitCode).toBe(0);
    const v = YAML.parse(r.stdout);
    expect(v.clientVersion.gitVersion).toBe(`v${pkg.version}`);
    expect(v.serverVersion).toEqual(VERSION);
    if (kubectl) expect(v.serverVersion).toEqual(YAML.parse((await kubectl(["version", "-o", "yaml"])).stdout).serverVersion);
  });

  test("--client never connects", async () => {
    datum.api.clearRequests();
    for (const args of [["--client"], ["--client", "-o", "yaml"], ["--client", "-o", "json", "--project", "web"]]) {
      const r = await sb.run(["version", ...args]);
      expect({ args, exitCode: r.exitCode, stderr: r.stderr }).toEqual({ args, exitCode: 0, stderr: "" });
      expect(r.stdout).toContain(`v${pkg.version}`);
      expect(r.stdout).not.toContain("serverVersion");
    }
    expect(datum.api.requests).toEqual([]);
  });

  test("a server that refuses the token: the client line, then the error, exit 1, as kubectl", async () => {
    const unauthorized = JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    datum.api.faults.add({ path: versionPath(), action: { status: 401, body: unauthorized, contentType: "application/json" } });
    const r = await sb.run(["version"]);
    expect(r).toEqual({ exitCode: 1, stdout: CLIENT_LINE, stderr: "Error from server (Unauthorized): Unauthorized\nRun 'datumctl login' to sign in again.\n" });
    if (kubectl) {
      const k = await kubectl(["version"]);
      expect(k.code).toBe(1);
      expect(k.stdout).not.toContain("Server Version");
    }
  });

  test("an unreachable server: -o json still prints the client part, then the error, exit 1", async () => {
    datum.api.faults.add({ path: versionPath(), action: { reset: true } });
    const r = await sb.run(["version", "-o", "json", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(["clientVersion"]);
    expect(JSON.parse(r.stderr).error.code).toBe("NETWORK");
  });

  test("an answer that is not a version is the server's error", async () => {
    datum.api.faults.add({ path: versionPath(), action: { status: 200, body: "[1,2]", contentType: "application/json" } });
    const r = await sb.run(["version", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(CLIENT_LINE);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "SERVER", message: expect.stringContaining("is not a version") });
  });
});

describe("-v logging", () => {
  test("level 6 logs one line per request, nothing secret", async () => {
    const r = await sb.run(["version", "-v", "6"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^GET ${datum.api.url}${versionPath()} 200 OK in \\d+ milliseconds$`, "m"));
    expect(r.stderr).not.toContain("Response Headers");
  });

  test("levels 8 and 9 add headers and bodies with secrets redacted", async () => {
    datum.api.faults.add({
      path: versionPath(),
      action: {
        status: 200,
        body: JSON.stringify({ ...VERSION, token: SECRET }),
        contentType: "application/json",
        headers: { "set-cookie": `session=${SECRET}` },
      },
    });
    const r = await sb.run(["version", "--v=9"]);
    expect(r.stderr).toContain("Response Headers:");
    expect(r.stderr).toContain("Response Body:");
    expect(r.stderr).toContain(VERSION.gitVersion);
    expect(r.stderr).toContain("set-cookie: <redacted>");
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stdout).not.toContain(SECRET);
  });
});

describe("server warnings", () => {
  const warnWith = (text: string) =>
    datum.api.faults.add({
      path: versionPath(),
      action: { status: 200, body: JSON.stringify(VERSION), contentType: "application/json", headers: { warning: `299 - "${text}"` } },
    });

  test("are printed on stderr as kubectl prints them", async () => {
    warnWith("organization acme is over its quota");
    const r = await sb.run(["version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("Warning: organization acme is over its quota\n");
  });

  test("fail the command with --warnings-as-errors", async () => {
    warnWith("deprecated API");
    const r = await sb.run(["version", "--warnings-as-errors", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    const [first, second] = r.stderr.trim().split("\n");
    expect(first).toBe("Warning: deprecated API");
    expect(JSON.parse(second!).error.code).toBe("SERVER");
  });
});

describe("interrupts and timeouts", () => {
  test("Ctrl-C prints Aborted. and exits 130", async () => {
    datum.api.faults.add({ path: versionPath(), action: { hang: true } });
    const inFlight = datum.api.faults.nextRequest(versionPath());
    const proc = Bun.spawn([BINARY, "version"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
    await inFlight;
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(await new Response(proc.stderr).text()).toBe("Aborted.\n");
    expect(await new Response(proc.stdout).text()).toBe("");
  });

  test("Ctrl-C in json mode is the INTERRUPTED envelope", async () => {
    datum.api.faults.add({ path: versionPath(), action: { hang: true } });
    const inFlight = datum.api.faults.nextRequest(versionPath());
    const proc = Bun.spawn([BINARY, "version", "--error-format=json"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
    await inFlight;
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(JSON.parse(await new Response(proc.stderr).text()).error.code).toBe("INTERRUPTED");
  });

  test("--request-timeout bounds a hung server: the client part, then the timeout, exit 1", async () => {
    datum.api.faults.add({ path: versionPath(), action: { hang: true } });
    const r = await sb.run(["version", "--request-timeout=200ms"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(CLIENT_LINE);
    expect(r.stderr).toContain("timed out after 0.2s");
  });
});
