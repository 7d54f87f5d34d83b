// `datumctl version` against a live server, and the HTTP behaviours every command shares:
// -v logging with secrets redacted, server warnings, --request-timeout, Ctrl-C.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import pkg from "../package.json" with { type: "json" };
import { BINARY, type Sandbox, sandbox } from "./support/cli";
import { writeSignedInConfig } from "./support/config";

const SERVER_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.4-datum", platform: "linux/amd64" };
const SECRET = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNlY3JldA";

let hang: { arrived: () => void } | undefined;
const requests: { path: string; userAgent: string | null }[] = [];
let warning: string | undefined;
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    requests.push({ path: new URL(req.url).pathname, userAgent: req.headers.get("user-agent") });
    if (hang) {
      hang.arrived();
      return new Promise<Response>(() => {});
    }
    const headers: Record<string, string> = { "content-type": "application/json", "set-cookie": `session=${SECRET}` };
    if (warning) headers.warning = warning;
    return new Response(JSON.stringify({ ...SERVER_VERSION, token: SECRET }), { headers });
  },
});
const base = `http://127.0.0.1:${server.port}`;

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
  writeSignedInConfig(sb.configDir, base);
});
afterEach(() => {
  requests.length = 0;
  warning = undefined;
  hang = undefined;
});
afterAll(() => {
  server.stop(true);
  sb.cleanup();
});

describe("version", () => {
  test("signed out: the client version only, no error", async () => {
    const out = sandbox();
    try {
      const r = await out.run(["version"]);
      expect(r).toEqual({ exitCode: 0, stdout: `Client Version: v${pkg.version}\n`, stderr: "" });
    } finally {
      out.cleanup();
    }
  });

  test("signed in: the server's /version too, with datumctl's User-Agent", async () => {
    const r = await sb.run(["version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Client Version: v${pkg.version}\nServer Version: v1.32.4-datum\n`);
    expect(requests.map((q) => q.path)).toEqual(["/version"]);
    expect(requests[0]!.userAgent).toBe(`datumctl/v${pkg.version}`);
  });

  test("-o json has kubectl's shape", async () => {
    const r = await sb.run(["version", "-o", "json"]);
    const v = JSON.parse(r.stdout);
    expect(Object.keys(v)).toEqual(["clientVersion", "serverVersion"]);
    expect(v.clientVersion.gitVersion).toBe(`v${pkg.version}`);
    expect(v.clientVersion.platform).toMatch(/^(linux|darwin|windows)\/(amd64|arm64)$/);
    expect(v.clientVersion.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(v.serverVersion.gitVersion).toBe("v1.32.4-datum");
  });

  test("-o yaml", async () => {
    const r = await sb.run(["version", "-o", "yaml", "--client"]);
    const YAML = await import("yaml");
    expect(YAML.parse(r.stdout).clientVersion.gitVersion).toBe(`v${pkg.version}`);
    expect(requests.length).toBe(0);
  });

  test("an unreachable server is not an error", async () => {
    const off = sandbox();
    try {
      writeSignedInConfig(off.configDir, "http://127.0.0.1:1");
      const r = await off.run(["version"]);
      expect(r).toEqual({ exitCode: 0, stdout: `Client Version: v${pkg.version}\n`, stderr: "" });
    } finally {
      off.cleanup();
    }
  });
});

describe("-v logging", () => {
  test("level 6 logs one line per request, nothing secret", async () => {
    const r = await sb.run(["version", "-v", "6"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^GET ${base}/version 200 OK in \\d+ milliseconds$`, "m"));
    expect(r.stderr).not.toContain("Response Headers");
  });

  test("levels 8 and 9 add headers and bodies with secrets redacted", async () => {
    const r = await sb.run(["version", "--v=9"]);
    expect(r.stderr).toContain("Response Headers:");
    expect(r.stderr).toContain("Response Body:");
    expect(r.stderr).toContain("v1.32.4-datum");
    expect(r.stderr).toContain("set-cookie: <redacted>");
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stdout).not.toContain(SECRET);
  });
});

describe("server warnings", () => {
  test("are printed on stderr as kubectl prints them", async () => {
    warning = '299 - "organization acme is over its quota"';
    const r = await sb.run(["version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("Warning: organization acme is over its quota\n");
  });

  test("fail the command with --warnings-as-errors", async () => {
    warning = '299 - "deprecated API"';
    const r = await sb.run(["version", "--warnings-as-errors", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    const [first, second] = r.stderr.trim().split("\n");
    expect(first).toBe("Warning: deprecated API");
    expect(JSON.parse(second!).error.code).toBe("SERVER");
  });
});

describe("interrupts and timeouts", () => {
  test("Ctrl-C prints Aborted. and exits 130", async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    hang = { arrived };
    const proc = Bun.spawn([BINARY, "version"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
    await inFlight;
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(await new Response(proc.stderr).text()).toBe("Aborted.\n");
    expect(await new Response(proc.stdout).text()).toBe("");
  });

  test("Ctrl-C in json mode is the INTERRUPTED envelope", async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    hang = { arrived };
    const proc = Bun.spawn([BINARY, "version", "--error-format=json"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
    await inFlight;
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(JSON.parse(await new Response(proc.stderr).text()).error.code).toBe("INTERRUPTED");
  });

  test("--request-timeout bounds a hung server (version still prints the client part)", async () => {
    hang = { arrived: () => {} };
    const r = await sb.run(["version", "--request-timeout=200ms", "-v", "1"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Client Version: v${pkg.version}\n`);
    expect(r.stderr).toContain("timed out after 0.2s");
  });
});
