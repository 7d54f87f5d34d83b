// KUBERNETES_EXEC_INFO as kubectl (and other client-go callers, Lens, IDEs, scripts) may or may
// not set it: absent, empty, malformed, v1beta1, v1 with each interactive value. get-token must
// always answer with a well-formed ExecCredential in the version asked for (falling back to
// --output), on the cached path and the refresh path alike; and when the session is gone it must
// fail fast, on one line, without opening a browser or reading stdin, whatever `interactive` says.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { BINARY, type Sandbox, sandbox } from "../support/cli";
import { findKubectl } from "../support/kubectl";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const V1 = "client.authentication.k8s.io/v1";
const V1BETA1 = "client.authentication.k8s.io/v1beta1";

let datum: LocalDatum;
let sb: Sandbox;
let session: string;

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  session = await datum.signIn(sb, "ada");
});
afterAll(async () => {
  sb?.cleanup();
  await datum?.close();
});

const info = (apiVersion: string, spec?: unknown) => JSON.stringify({ kind: "ExecCredential", apiVersion, ...(spec === undefined ? {} : { spec }) });
const cluster = {
  server: "https://127.0.0.1:1/apis/resourcemanager.miloapis.com/v1alpha1/projects/web/control-plane",
  "certificate-authority-data": "AAAA",
  config: { audience: "https://api.datum.test" },
};

/** [name, KUBERNETES_EXEC_INFO (undefined: not set), the apiVersion expected back with -o v1] */
const CASES: [string, string | undefined, string][] = [
  ["absent", undefined, V1],
  ["empty", "", V1],
  ["malformed JSON", "{not json", V1],
  ["JSON null", "null", V1],
  ["a JSON array", "[]", V1],
  ["a JSON string", '"client.authentication.k8s.io/v1beta1"', V1],
  ["apiVersion not a string", '{"apiVersion":42,"spec":{"interactive":"yes"}}', V1],
  ["an unknown apiVersion", info("client.authentication.k8s.io/v2", { interactive: false }), V1],
  ["spec not an object", JSON.stringify({ kind: "ExecCredential", apiVersion: V1, spec: "interactive" }), V1],
  ["v1beta1", info(V1BETA1, { interactive: false }), V1BETA1],
  ["v1beta1 without spec", info(V1BETA1), V1BETA1],
  ["v1, interactive false", info(V1, { interactive: false }), V1],
  ["v1, interactive true", info(V1, { interactive: true }), V1],
  ["v1, no spec", info(V1), V1],
  ["v1, interactive false, with cluster info", info(V1, { interactive: false, cluster }), V1],
  ["v1, interactive true, with cluster info", info(V1, { interactive: true, cluster }), V1],
];

function expireCachedToken(): void {
  const dir = join(sb.configDir, "cache", "tokens");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
    t.expiry = new Date(Date.now() - 1000).toISOString();
    writeFileSync(join(dir, f), JSON.stringify(t));
  }
}

async function getToken(execInfo: string | undefined, output = V1) {
  return sb.run(["auth", "get-token", `--output=${output}`, `--session=${session}`], { env: { KUBERNETES_EXEC_INFO: execInfo } });
}

function expectCredential(stdout: string, apiVersion: string): { token: string; expirationTimestamp: string } {
  const cred = JSON.parse(stdout);
  expect(cred.kind).toBe("ExecCredential");
  expect(cred.apiVersion).toBe(apiVersion);
  expect(typeof cred.status.token).toBe("string");
  expect(cred.status.token.length).toBeGreaterThan(20);
  expect(cred.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(Date.parse(cred.status.expirationTimestamp)).toBeGreaterThan(Date.now());
  return cred.status;
}

describe("KUBERNETES_EXEC_INFO, cached token", () => {
  for (const [name, execInfo, expected] of CASES) {
    test(`${name}: an ExecCredential ${expected.split("/")[1]}, nothing on stderr`, async () => {
      const r = await getToken(execInfo);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expectCredential(r.stdout, expected);
    });
  }

  test("absent or malformed with --output v1beta1: v1beta1 (the flag decides)", async () => {
    for (const execInfo of [undefined, "", "{not json"]) {
      const r = await getToken(execInfo, V1BETA1);
      expect(r.exitCode, r.stderr).toBe(0);
      expectCredential(r.stdout, V1BETA1);
    }
  });

  test("-o token and -o json ignore it: the raw token, or datumctl's own JSON", async () => {
    for (const execInfo of [info(V1, { interactive: true }), "{not json"]) {
      const raw = await sb.run(["auth", "get-token"], { env: { KUBERNETES_EXEC_INFO: execInfo } });
      expect(raw.exitCode).toBe(0);
      expect(raw.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const json = await sb.run(["auth", "get-token", "-o", "json"], { env: { KUBERNETES_EXEC_INFO: execInfo } });
      expect(JSON.parse(json.stdout).token).toBe(raw.stdout);
    }
  });
});

describe("KUBERNETES_EXEC_INFO, expired token (the refresh path)", () => {
  for (const [name, execInfo, expected] of CASES.filter(([n]) =>
    ["absent", "empty", "malformed JSON", "v1beta1", "v1, interactive true", "v1, interactive false, with cluster info"].includes(n),
  )) {
    test(`${name}: refreshed, an ExecCredential ${expected.split("/")[1]}, nothing on stderr`, async () => {
      expireCachedToken();
      const before = datum.idp.grants.refresh_token;
      const r = await getToken(execInfo);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expectCredential(r.stdout, expected);
      expect(datum.idp.grants.refresh_token).toBe(before + 1);
    });
  }
});

describe("a session that is gone, whatever `interactive` says", () => {
  let gone: Sandbox;
  let marker: string;
  beforeAll(async () => {
    gone = sandbox();
    await datum.signIn(gone, "bob");
    await datum.idp.revokeGrantsOf("bob");
    const dir = join(gone.configDir, "cache", "tokens");
    for (const f of readdirSync(dir)) {
      const t = JSON.parse(readFileSync(join(dir, f), "utf8"));
      t.expiry = new Date(Date.now() - 1000).toISOString();
      writeFileSync(join(dir, f), JSON.stringify(t));
    }
    // A browser that leaves a mark if anyone opens it.
    marker = join(gone.home, "browser-was-opened");
    writeFileSync(join(gone.home, "browser.sh"), `#!/bin/sh\necho "$@" > ${marker}\n`, { mode: 0o755 });
  });
  afterAll(() => gone?.cleanup());

  for (const [name, execInfo] of CASES.filter(([n]) =>
    ["absent", "malformed JSON", "v1beta1", "v1, interactive false", "v1, interactive true", "v1, interactive true, with cluster info"].includes(n),
  )) {
    test(`${name}: exit 1 within seconds, one line naming 'datumctl login', no browser, stdin untouched`, async () => {
      // stdin is a pipe this test never writes to or closes: reading it would hang the run.
      const proc = Bun.spawn([BINARY, "auth", "get-token", `--output=${V1}`], {
        env: { ...gone.env, BROWSER: join(gone.home, "browser.sh"), ...(execInfo === undefined ? {} : { KUBERNETES_EXEC_INFO: execInfo }) },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
      const t = performance.now();
      const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      const took = performance.now() - t;
      proc.stdin.end();
      expect(exitCode).toBe(1);
      expect(stdout).toBe("");
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^error: .*datumctl login/);
      expect(existsSync(marker)).toBe(false);
      expect(took).toBeLessThan(5_000);
    });
  }
});

const kubectl = await findKubectl();
describe.skipIf(!kubectl)("through the real kubectl", () => {
  /** A kubeconfig with datumctl as the exec plugin, in the given exec apiVersion. */
  function kubeconfig(apiVersion: string, interactiveMode?: string): string {
    const path = join(sb.home, `kubeconfig-${apiVersion.split("/")[1]}-${interactiveMode ?? "unset"}`);
    writeFileSync(
      path,
      YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "web",
            cluster: {
              server: `${datum.api.url}${datum.api.projectPath("web")}`,
              "certificate-authority-data": Buffer.from(datum.api.caPem).toString("base64"),
            },
          },
        ],
        users: [
          {
            name: "ada",
            user: {
              exec: {
                apiVersion,
                command: BINARY,
                // Asks for v1 whatever the kubeconfig's version: the plugin must answer in the one kubectl sent.
                args: ["auth", "get-token", `--output=${V1}`, `--session=${session}`],
                env: [
                  { name: "DATUMCTL_CONFIG_DIR", value: sb.configDir },
                  { name: "DATUMCTL_CREDENTIAL_STORE", value: "file" },
                ],
                ...(interactiveMode ? { interactiveMode } : {}),
                provideClusterInfo: true,
              },
            },
          },
        ],
        contexts: [{ name: "web", context: { cluster: "web", user: "ada", namespace: "default" } }],
        "current-context": "web",
      }),
    );
    return path;
  }

  async function whoami(path: string) {
    const proc = Bun.spawn([kubectl!, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: sb.home, KUBECONFIG: path, KUBECACHEDIR: join(sb.home, "kube-cache") },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, exitCode };
  }

  for (const [apiVersion, mode] of [
    [V1BETA1, undefined],
    [V1, "Never"],
    [V1, "IfAvailable"],
  ] as const) {
    test(`exec ${apiVersion.split("/")[1]}${mode ? `, interactiveMode ${mode}` : ""}: kubectl accepts the credential`, async () => {
      const r = await whoami(kubeconfig(apiVersion, mode));
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe("ada@example.com");
    });
  }
});
