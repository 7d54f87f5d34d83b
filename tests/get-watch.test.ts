// `datumctl get -w` against kubectl 1.32 on the same local server: how a watch ends (the
// --request-timeout deadline, the server closing the stream or dropping the connection) and a
// server that answers watches with plain objects instead of Tables. kubectl ends its watch
// quietly with exit 0 in every one of these cases; so does datumctl, printing what kubectl prints.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, WatchEnd } from "./support/control-plane/index";
import { startFixedDatum } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import type { LocalDatum } from "./support/local-datum";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let datum: LocalDatum;
let sb: Sandbox;
let kubectl: ((args: string[]) => { proc: Bun.Subprocess<"ignore", "pipe", "pipe">; result: Promise<Ran> }) | undefined;
let kubeDir: string;

beforeAll(async () => {
  datum = await startFixedDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  kubeDir = mkdtempSync(join(tmpdir(), "datumctl-watch-kubectl-"));
  const binary = await findKubectl();
  if (!binary) return console.warn("get-watch.test.ts: no kubectl here; checking datumctl's own output only");
  const config = join(kubeDir, "web.yaml");
  writeFileSync(config, datum.tokenKubeconfig(datum.api.projectPath("web"), "ada", await datum.idp.mintAccessToken("ada", 3600)));
  kubectl = (args) => {
    const proc = Bun.spawn([binary, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: kubeDir, KUBECONFIG: config, KUBECACHEDIR: join(kubeDir, "cache") },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const result = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(([stdout, stderr, code]) => ({
      code,
      stdout,
      stderr,
    }));
    return { proc, result };
  };
});
afterAll(async () => {
  sb.cleanup();
  rmSync(kubeDir, { recursive: true, force: true });
  await datum.close();
});

const web = () => datum.api.projectPath("web");
const isWatch = (r: LoggedRequest) => r.method === "GET" && (r.query.watch === "1" || r.query.watch === "true");

/** A change every open watch of dnszones sees: a label on example-com. */
function touchExampleCom(value: string): void {
  const zone = datum.api.get(web(), "dnszones", "example-com", "default")!;
  datum.api.put(web(), { ...zone, metadata: { ...zone.metadata, labels: { ...zone.metadata.labels, touched: value } } });
}

/**
 * Starts a watch, waits until the server holds it open, makes one change (unless `change` is
 * undefined), then ends every watch as `end` says.
 */
async function watchThenEnd(start: () => Promise<Ran>, end: WatchEnd, change: string | undefined): Promise<Ran> {
  const watching = datum.api.whenRequested(isWatch);
  const result = start();
  await watching;
  if (change !== undefined) touchExampleCom(change);
  datum.api.endWatches(end);
  return result;
}

const ours = (args: string[]) => async (): Promise<Ran> => {
  const r = await sb.run(args);
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
};
const theirs = (args: string[]) => () => kubectl!(args).result;

describe("get -w ends as kubectl's does", () => {
  test("--request-timeout 2s: the initial table, then exit 0 without a word", async () => {
    const r = await ours(["get", "dnszones", "-w", "--request-timeout", "2s"])();
    expect(r).toEqual({
      code: 0,
      stdout:
        "NAME               ACCEPTED   PROGRAMMED   RECORDS\nexample-com        True       True         3\nshop-example-com   True       False        1\n",
      stderr: "",
    });
    if (kubectl) {
      const k = await theirs(["get", "dnszones", "-w", "--request-timeout", "2s"])();
      expect({ code: k.code, stdout: k.stdout }).toEqual({ code: 0, stdout: r.stdout });
    }
  });

  for (const end of ["close", "reset"] as const) {
    test(`a server that ${end === "close" ? "closes the stream" : "drops the connection"} mid-watch: the rows so far, exit 0`, async () => {
      // An event written just before a dropped connection can be lost on the way (Bun's fetch
      // gives up the body's last bytes on a reset), so the reset comes without a change.
      const change = end === "close" ? "mid-watch" : undefined;
      for (const args of [
        ["get", "dnszones", "-w"],
        ["get", "dnszones", "-w", "--output-watch-events"],
      ]) {
        const r = await watchThenEnd(ours(args), end, change);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
        // example-com's row from the list, then its row for the change
        expect(r.stdout.split("\n").filter((l) => l.split(/\s+/).includes("example-com"))).toHaveLength(change ? 2 : 1);
        if (kubectl) {
          const k = await watchThenEnd(theirs(args), end, change);
          expect({ args, code: k.code, stdout: k.stdout }).toEqual({ args, code: 0, stdout: r.stdout });
        }
      }
    });
  }

  test("-o json, yaml and name: the list's objects, then the changes, as kubectl prints them", async () => {
    // Two runs see two changes: everything but the resourceVersions is the same.
    const sameRv = (s: string) => s.replace(/("?resourceVersion"?: ?"?)\d+/g, "$1<rv>");
    for (const args of [
      ["get", "dnszones", "-w", "-o", "name"],
      ["get", "dnszones", "-w", "-o", "json"],
      ["get", "dnszones", "-w", "-o", "yaml"],
      ["get", "dnszones", "-w", "-o", "json", "--output-watch-events"],
      ["get", "dnszones", "-w", "-o", "yaml", "--output-watch-events"],
    ]) {
      const r = await watchThenEnd(ours(args), "close", "objects");
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
      expect(r.stdout.split("example-com").length - 1).toBeGreaterThanOrEqual(3); // two zones listed, one change
      if (kubectl) {
        const k = await watchThenEnd(theirs(args), "close", "objects");
        expect({ args, code: k.code, stdout: sameRv(k.stdout) }).toEqual({ args, code: 0, stdout: sameRv(r.stdout) });
      }
    }
  });

  test("-v 1 says why the watch ended", async () => {
    const r = await watchThenEnd(ours(["get", "dnszones", "-w", "-v", "1"]), "reset", undefined);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^The watch ended: .*the connection was (reset|closed)/m);
  });
});

describe("a server that answers watches with plain objects instead of Tables", () => {
  beforeAll(() => {
    datum.api.knobs.plainWatchEvents = true;
  });
  afterAll(() => {
    datum.api.knobs.plainWatchEvents = false;
  });

  for (const args of [
    ["get", "dnszones", "-w"],
    ["get", "dnszones", "-w", "--output-watch-events", "-A"],
    ["get", "dnszones", "-w", "--no-headers", "-L", "env"],
    ["get", "dnszones", "--watch-only", "--show-labels"],
  ]) {
    test(`${args.slice(2).join(" ")}: no crash, kubectl's NAME and AGE columns for the changes`, async () => {
      // The same label value for both runs, so --show-labels prints the same.
      const r = await watchThenEnd(ours(args), "close", "plain");
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      const lines = r.stdout.trimEnd().split("\n");
      const last = lines.at(-1)!.trim().split(/\s+/);
      expect(last).toContain("example-com");
      expect(last.some((cell) => /^\d+d$/.test(cell))).toBe(true); // AGE, as days
      if (!args.includes("--no-headers")) expect(lines.at(-2)).toMatch(/^(EVENT +)?(NAMESPACE +)?NAME +AGE\b/);
      if (kubectl) {
        const k = await watchThenEnd(theirs(args), "close", "plain");
        expect({ code: k.code, stdout: k.stdout }).toEqual({ code: 0, stdout: r.stdout });
      }
    });
  }
});

describe("a watch stream that is not one", () => {
  test("garbage in place of events is the server's error, not a bug", async () => {
    datum.api.faults.add({
      path: /watch=1/,
      times: 1,
      action: { status: 200, body: "<html>proxy says hi</html>\n", contentType: "application/json;stream=watch" },
    });
    const r = await sb.run(["get", "dnszones", "-w", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "SERVER", message: expect.stringContaining("something other than a watch event") });
  });
});
