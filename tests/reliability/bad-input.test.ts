// A corpus of bad input across commands: flags and arguments, manifests, the server's 4xx and
// 5xx and garbage bodies, TLS failures, unreachable hosts and proxies, timeouts, and a failing
// IdP during a refresh. Each case runs twice (human and --error-format json) against a signed-in
// sandbox, and each run must give a clear error:
//   - exit 1 (diff: 2), nothing on stdout;
//   - human: `error: <message>` and at most a hint line, or kubectl's own wording for server
//     errors (`Error from server (Reason): …`, `The X "y" is invalid:` and its causes) — and no
//     stack trace, no "internal error", no runtime jargon meant for developers;
//   - json: exactly one line on stderr, with the stable code the case names (never INTERNAL);
//   - and no file under the sandbox's home changed (config, credentials, token cache, caches,
//     kubeconfigs), except where a case says why (a 401 refreshes the token, as kubectl does).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorCode } from "../../src/errors";
import { type RunResult, type Sandbox, sandbox } from "../support/cli";
import { type ConnectProxy, type FaultRule, type FileState, closedPort, snapshotTree, startConnectProxy } from "../support/faults";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

let datum: LocalDatum;
let sb: Sandbox;
let proxy: ConnectProxy;
let deadPort: number;
/** The signed-in state every case starts from. */
let configText: string;
let tokenFiles: Record<string, string>;
let certificateChanged = false;

const dir = (...p: string[]) => join(sb.home, ...p);
const tokensDir = () => join(sb.configDir, "cache", "tokens");

beforeAll(async () => {
  datum = await startLocalDatum();
  proxy = await startConnectProxy({ "api.datum.test": "127.0.0.1" });
  deadPort = await closedPort();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  // Warm every cache the cases touch, and make one refresh, so that a failing command has no
  // reason to write anything.
  for (const args of [
    ["get", "projects", "--organization", "acme"],
    ["get", "dnszones"],
    ["api-resources"],
    ["explain", "dnszones.spec"],
    ["auth", "can-i", "get", "dnszones"],
    ["auth", "whoami"],
    ["describe", "dnszones"],
  ]) {
    const r = await sb.run(args);
    expect(r.exitCode, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  }
  expireToken();
  expect((await sb.run(["auth", "get-token"])).exitCode).toBe(0);
  tokenFiles = Object.fromEntries(readdirSync(tokensDir()).map((f) => [f, readFileSync(join(tokensDir(), f), "utf8")]));
  // The user's own files some cases point at.
  mkdirSync(dir("emptydir"));
  writeFileSync(dir("bad.yaml"), "apiVersion: v1\nkind: [DNSZone\nmetadata: }\n");
  writeFileSync(dir("nokind.yaml"), "apiVersion: dns.networking.miloapis.com/v1alpha1\nmetadata:\n  name: z1\n");
  writeFileSync(dir("gizmo.yaml"), "apiVersion: gizmos.example.com/v1\nkind: Gizmo\nmetadata:\n  name: g1\n");
  writeFileSync(dir("badspec.yaml"), zone("z1", "12", { domainName: 12 }));
  writeFileSync(dir("existing.yaml"), zone("existing", "existing.example.com"));
  writeFileSync(dir("not-json.json"), "{ this is not json");
  const created = await sb.run(["create", "-f", dir("existing.yaml")]);
  expect(created.exitCode, created.stderr).toBe(0);
  configText = readFileSync(join(sb.configDir, "config"), "utf8");
});

afterAll(async () => {
  sb?.cleanup();
  await proxy?.close();
  await datum?.close();
});

function zone(name: string, domain: string, spec?: Record<string, unknown>): string {
  const s = spec ?? { domainName: domain, dnsZoneClassName: "datum-external-global-dns" };
  return `apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSZone\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${Object.entries(s)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join("\n")}\n`;
}

function expireToken(): void {
  for (const f of readdirSync(tokensDir())) {
    const t = JSON.parse(readFileSync(join(tokensDir(), f), "utf8"));
    writeFileSync(join(tokensDir(), f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
  }
}

/** Point the session at another API server (restored after the case). */
function serverAt(url: string): () => void {
  return () => writeFileSync(join(sb.configDir, "config"), configText.replaceAll(`server: ${datum.api.url}`, `server: ${url}`));
}

const apiFault = (rule: FaultRule) => () => void datum.api.faults.add(rule);
/** An IdP fault met by the refresh that an expired token forces. */
const idpFault = (rule: FaultRule) => () => {
  datum.idp.faults.add({ path: "/token", ...rule });
  expireToken();
};
const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
const html = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
const apiHostPort = () => `api.datum.test:${new URL(datum.api.url).port}`;

interface Case {
  name: string;
  args: string[];
  code: ErrorCode;
  /** Exit status (1 unless said). */
  exit?: number;
  /** Extra environment (a function when it depends on what setup did). */
  env?: Record<string, string | undefined> | (() => Record<string, string | undefined>);
  stdin?: string;
  /** Puts the fault in place before the files are snapshotted; everything is put back after. */
  setup?: () => void | Promise<void>;
  /** Files (paths relative to the home, by prefix) this case may rewrite, and why. */
  mayChange?: { paths: string[]; why: string };
}

const ZONE_LIST = /\/dnszones(\?|$)/;

const CASES: Record<string, Case[]> = {
  "flags and arguments": [
    { name: "an unknown command", args: ["frobnicate"], code: "UNKNOWN_COMMAND" },
    { name: "an unknown subcommand", args: ["auth", "frobnicate"], code: "UNKNOWN_COMMAND" },
    { name: "an unknown flag", args: ["get", "dnszones", "--frobnicate"], code: "INVALID_INPUT" },
    { name: "a flag without its value", args: ["get", "dnszones", "-o"], code: "INVALID_INPUT" },
    { name: "an unknown output format", args: ["get", "dnszones", "-o", "yamlish"], code: "INVALID_INPUT" },
    { name: "a --request-timeout that is not a duration", args: ["get", "dnszones", "--request-timeout", "soon"], code: "INVALID_INPUT" },
    { name: "a --request-timeout beyond what a Go duration holds", args: ["get", "dnszones", "--request-timeout", "9999999h"], code: "INVALID_INPUT" },
    { name: "a negative --request-timeout", args: ["get", "dnszones", "--request-timeout", "-1"], code: "INVALID_INPUT" },
    { name: "a login --timeout that is not a duration", args: ["login", "--timeout", "later"], code: "INVALID_INPUT" },
    { name: "-v that is not a number", args: ["version", "-v", "loud"], code: "INVALID_INPUT" },
    { name: "two scope flags", args: ["get", "projects", "--project", "web", "--organization", "acme"], code: "SCOPE_CONFLICT" },
    { name: "get-token -o of an unknown kind", args: ["auth", "get-token", "-o", "bogus"], code: "INVALID_INPUT" },
    { name: "update-kubeconfig with no scope", args: ["auth", "update-kubeconfig"], code: "INVALID_INPUT" },
    {
      name: "update-kubeconfig with an unknown interactive mode",
      args: ["auth", "update-kubeconfig", "--project", "web", "--exec-interactive-mode", "Sometimes"],
      code: "INVALID_INPUT",
    },
    { name: "update-kubeconfig with a malformed project id", args: ["auth", "update-kubeconfig", "--project", "Not_A_Name"], code: "INVALID_INPUT" },
    { name: "ctx use of a context that does not exist", args: ["ctx", "use", "nosuchorg"], code: "NOT_FOUND" },
    { name: "auth switch to nobody", args: ["auth", "switch", "nobody@example.com"], code: "SESSION_NOT_FOUND" },
    { name: "get-token for a session that does not exist", args: ["auth", "get-token", "--session", "nobody@api.example"], code: "SESSION_NOT_FOUND" },
    { name: "completion for an unknown shell", args: ["completion", "tcsh"], code: "INVALID_INPUT" },
    { name: "get with no type", args: ["get"], code: "INVALID_INPUT" },
    { name: "a jsonpath that does not parse", args: ["get", "dnszones", "-o", "jsonpath={.items["], code: "INVALID_INPUT" },
    { name: "a go-template that does not parse", args: ["get", "dnszones", "-o", "go-template={{.items"], code: "INVALID_INPUT" },
    { name: "a --sort-by that does not parse", args: ["get", "dnszones", "--sort-by", "{.metadata.name"], code: "INVALID_INPUT" },
    { name: "a label selector the server cannot parse", args: ["get", "dnszones", "-l", "!!!bad"], code: "INVALID_INPUT" },
    {
      name: "a resource type the server does not have",
      args: ["get", "gizmos"],
      code: "NOT_FOUND",
      mayChange: { paths: [".datumctl/cache/discovery/"], why: "a miss refreshes the discovery cache once, as kubectl does" },
    },
    { name: "can-i without a verb and resource", args: ["auth", "can-i"], code: "INVALID_INPUT" },
    {
      name: "DATUMCTL_CREDENTIAL_STORE of an unknown kind",
      args: ["logout", "ada@example.com"],
      env: { DATUMCTL_CREDENTIAL_STORE: "vault" },
      code: "INVALID_INPUT",
    },
    { name: "login to a non-https host", args: ["login", "--hostname", "ftp://auth.example.com"], code: "INVALID_INPUT" },
    { name: "login with a key file that is not there", args: ["login", "--credentials", "/nonexistent/key.json"], code: "INVALID_INPUT" },
    { name: "login with a key file that is not JSON", args: ["login", "--credentials", "not-json.json"], code: "INVALID_INPUT" },
  ],
  manifests: [
    { name: "apply -f of a file that is not there", args: ["apply", "-f", "/nonexistent/zone.yaml"], code: "INVALID_INPUT" },
    { name: "apply -f of YAML that does not parse", args: ["apply", "-f", "bad.yaml"], code: "INVALID_INPUT" },
    { name: "create -f of a manifest without kind", args: ["create", "-f", "nokind.yaml"], code: "INVALID_INPUT" },
    { name: "apply -f - of binary garbage", args: ["apply", "-f", "-"], stdin: "\u0000\u0001\u00ff\u00fe garbage \u0007", code: "INVALID_INPUT" },
    {
      name: "apply -f of a kind the server does not serve",
      args: ["apply", "-f", "gizmo.yaml"],
      code: "NOT_FOUND",
      mayChange: { paths: [".datumctl/cache/discovery/"], why: "a miss refreshes the discovery cache once" },
    },
    { name: "describe -f of a directory without manifests", args: ["describe", "-f", "emptydir"], code: "INVALID_INPUT" },
    { name: "diff -f of YAML that does not parse (exit 2)", args: ["diff", "-f", "bad.yaml"], code: "INVALID_INPUT", exit: 2 },
    { name: "apply -f of a manifest the server finds invalid (422)", args: ["apply", "-f", "badspec.yaml"], code: "INVALID_INPUT" },
    { name: "create -f of an object that exists (409)", args: ["create", "-f", "existing.yaml"], code: "CONFLICT" },
    { name: "delete with nothing to delete", args: ["delete"], code: "INVALID_INPUT" },
  ],
  "the server's answers": [
    { name: "get of a name that does not exist (404)", args: ["get", "dnszone", "nope"], code: "NOT_FOUND" },
    { name: "delete of a name that does not exist (404)", args: ["delete", "dnszone", "nope"], code: "NOT_FOUND" },
    {
      name: "403 with a Status",
      args: ["get", "dnszones"],
      setup: apiFault({
        path: ZONE_LIST,
        action: {
          status: 403,
          body: status(403, "Forbidden", 'dnszones is forbidden: User "ada@example.com" cannot list resource "dnszones"'),
          contentType: "application/json",
        },
      }),
      code: "FORBIDDEN",
    },
    {
      name: "401 on every request",
      args: ["get", "dnszones"],
      setup: apiFault({ action: { status: 401, body: status(401, "Unauthorized", "Unauthorized"), contentType: "application/json" } }),
      code: "AUTH_REQUIRED",
      mayChange: {
        paths: [".datumctl/cache/tokens/", ".datumctl/credentials.json"],
        why: "a refused token is refreshed once and the request retried, as kubectl does",
      },
    },
    {
      name: "429 with Retry-After",
      args: ["get", "dnszones"],
      setup: apiFault({ path: ZONE_LIST, action: { status: 429, body: "Too many requests, please try again later.", headers: { "Retry-After": "1" } } }),
      code: "SERVER",
    },
    {
      name: "500 with an HTML page",
      args: ["get", "dnszones"],
      setup: apiFault({ action: { status: 500, body: html("500 Internal Server Error"), contentType: "text/html" } }),
      code: "SERVER",
    },
    {
      name: "503 with a Status",
      args: ["describe", "dnszones"],
      setup: apiFault({
        path: ZONE_LIST,
        action: {
          status: 503,
          body: status(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
          contentType: "application/json",
        },
      }),
      code: "SERVER",
    },
    {
      name: "502 with an empty body",
      args: ["get", "projects", "--organization", "acme"],
      setup: apiFault({ action: { status: 502, body: "" } }),
      code: "SERVER",
    },
    {
      name: "200 with an HTML page instead of a list (a captive portal)",
      args: ["get", "dnszones"],
      setup: apiFault({ path: ZONE_LIST, action: { status: 200, body: html("Sign in to the Wi-Fi"), contentType: "text/html" } }),
      code: "SERVER",
    },
    {
      name: "200 with truncated JSON",
      args: ["get", "dnszones", "-o", "json"],
      setup: apiFault({
        path: ZONE_LIST,
        action: {
          status: 200,
          body: '{"kind":"DNSZoneList","apiVersion":"dns.networking.miloapis.com/v1alpha1","items":[{"metadata":{"name":"a',
          contentType: "application/json",
        },
      }),
      code: "SERVER",
    },
    {
      name: "200 with a list whose items are not a list",
      args: ["get", "dnszones", "-o", "json"],
      setup: apiFault({
        path: ZONE_LIST,
        action: {
          status: 200,
          body: '{"kind":"DNSZoneList","apiVersion":"dns.networking.miloapis.com/v1alpha1","items":"none"}',
          contentType: "application/json",
        },
      }),
      code: "SERVER",
    },
    {
      name: "200 with a server-side table that is not one",
      args: ["get", "dnszones"],
      setup: apiFault({
        path: ZONE_LIST,
        action: { status: 200, body: '{"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":{},"rows":7}', contentType: "application/json" },
      }),
      code: "SERVER",
    },
    {
      name: "auth whoami with a body that is not JSON",
      args: ["auth", "whoami"],
      setup: apiFault({ path: /selfsubjectreviews/, action: { status: 201, body: "{", contentType: "application/json" } }),
      code: "SERVER",
    },
    {
      name: "api-resources with discovery that is not JSON",
      args: ["api-resources"],
      setup: apiFault({ action: { status: 200, body: "\u0000\u0000 not json", contentType: "application/json" } }),
      code: "SERVER",
    },
    {
      name: "ctx --refresh with the API failing",
      args: ["ctx", "--refresh"],
      setup: apiFault({ action: { status: 500, body: "upstream connect error" } }),
      code: "SERVER",
    },
    {
      name: "can-i with the review failing",
      args: ["auth", "can-i", "get", "dnszones"],
      setup: apiFault({ path: /selfsubjectaccessreviews/, action: { status: 500, body: "the authorizer is unavailable" } }),
      code: "SERVER",
    },
    {
      name: "explain with the OpenAPI document failing",
      args: ["explain", "dnszones.spec"],
      setup: apiFault({ path: /\/openapi\//, action: { status: 500, body: "openapi unavailable" } }),
      code: "SERVER",
    },
    {
      name: "apply with the server failing",
      args: ["apply", "-f", "-"],
      stdin: zone("z9", "z9.example.com"),
      setup: apiFault({ path: /dnszones/, action: { status: 500, body: "boom" } }),
      code: "SERVER",
    },
  ],
  "network, TLS and time": [
    { name: "the connection reset", args: ["get", "dnszones"], setup: apiFault({ action: { reset: true } }), code: "NETWORK" },
    {
      name: "a hung response with --request-timeout 1s",
      args: ["get", "dnszones", "--request-timeout", "1s"],
      setup: apiFault({ path: ZONE_LIST, action: { hang: true } }),
      code: "TIMEOUT",
    },
    {
      name: "a slow response with --request-timeout 1s",
      args: ["api-resources", "--request-timeout", "1s"],
      setup: apiFault({ action: { delayMs: 2_500 } }),
      code: "TIMEOUT",
    },
    {
      name: "a body that stalls half-way with --request-timeout 1s",
      args: ["get", "dnszones", "--request-timeout", "1s"],
      setup: apiFault({ path: ZONE_LIST, action: { stallBody: '{"kind":"DNSZoneList","items":[{"metadata":' } }),
      code: "TIMEOUT",
    },
    { name: "a certificate from an unknown CA", args: ["get", "dnszones"], setup: () => useCertificate("untrusted"), code: "TLS" },
    { name: "a certificate for another host", args: ["get", "dnszones"], setup: () => useCertificate("wrong-host"), code: "TLS" },
    { name: "an expired certificate", args: ["get", "dnszones"], setup: () => useCertificate("expired"), code: "TLS" },
    { name: "nothing listening on the API's port", args: ["get", "dnszones"], setup: () => serverAt(`https://127.0.0.1:${deadPort}`)(), code: "NETWORK" },
    { name: "an API host that does not resolve", args: ["get", "dnszones"], setup: () => serverAt("https://api.nonexistent.invalid")(), code: "NETWORK" },
    {
      name: "an HTTPS_PROXY with nothing listening",
      args: ["get", "dnszones"],
      setup: () => serverAt(`https://${apiHostPort()}`)(),
      env: () => ({ HTTPS_PROXY: `http://127.0.0.1:${deadPort}` }),
      code: "NETWORK",
    },
    {
      name: "an HTTPS_PROXY that refuses the tunnel (403)",
      args: ["get", "dnszones"],
      setup: () => {
        serverAt(`https://${apiHostPort()}`)();
        proxy.refuse = 403;
      },
      env: () => ({ HTTPS_PROXY: proxy.url }),
      code: "NETWORK",
    },
  ],
  "the IdP during a refresh": [
    {
      name: "the token endpoint answers 500 with HTML",
      args: ["auth", "get-token"],
      setup: idpFault({ action: { status: 500, body: html("Internal Server Error"), contentType: "text/html" } }),
      code: "SERVER",
    },
    {
      name: "the token endpoint answers 200 with garbage",
      args: ["auth", "get-token"],
      setup: idpFault({ action: { status: 200, body: "garbage", contentType: "application/json" } }),
      code: "SERVER",
    },
    {
      name: "the token endpoint hangs, --request-timeout 1s",
      args: ["auth", "get-token", "--request-timeout", "1s"],
      setup: idpFault({ action: { hang: true } }),
      code: "TIMEOUT",
    },
    { name: "the token endpoint resets the connection", args: ["auth", "get-token"], setup: idpFault({ action: { reset: true } }), code: "NETWORK" },
    {
      name: "the token endpoint stalls half-way through its body, --request-timeout 1s",
      args: ["auth", "get-token", "--request-timeout", "1s"],
      setup: idpFault({ action: { stallBody: '{"access_token":"', contentType: "application/json" } }),
      code: "TIMEOUT",
    },
    {
      name: "get when the refresh it needs fails (503)",
      args: ["get", "dnszones"],
      setup: idpFault({ action: { status: 503, body: "down for maintenance" } }),
      code: "SERVER",
    },
  ],
};

async function useCertificate(name: "untrusted" | "wrong-host" | "expired"): Promise<void> {
  certificateChanged = true;
  await datum.api.useCertificate(name);
}

/** Put everything back as it was before the case. */
async function restore(): Promise<void> {
  datum.api.faults.clear();
  datum.idp.faults.clear();
  proxy.refuse = undefined;
  if (certificateChanged) {
    certificateChanged = false;
    await datum.api.useCertificate("server");
  }
  await Promise.all([datum.api.faults.idle(), datum.idp.settled()]);
  writeFileSync(join(sb.configDir, "config"), configText);
  for (const [f, text] of Object.entries(tokenFiles)) writeFileSync(join(tokensDir(), f), text);
}

/** Runtime messages meant for developers, not for someone at a terminal. */
const JARGON =
  /fetch\(\)|JSON Parse error|Spread syntax|is not a function|is not iterable|Cannot read propert|undefined is not an object|"response"|\bat <anonymous>/;
const STACK = /^\s+at\s.+(:\d+|\))$/m;

function expectClearError(c: Case, human: RunResult, json: RunResult): void {
  const exit = c.exit ?? 1;
  // --error-format json: one line, the stable code.
  expect(json.exitCode).toBe(exit);
  expect(json.stdout).toBe("");
  const lines = json.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  const { error } = JSON.parse(lines[0]!) as { error: { code: string; message: string; hint?: string; retryable: boolean } };
  expect(error.code).toBe(c.code);
  expect(typeof error.retryable).toBe("boolean");
  expect(error.message.length).toBeGreaterThan(0);
  // human: the message and at most a hint, or kubectl's wording.
  expect(human.exitCode).toBe(exit);
  expect(human.stdout).toBe("");
  const text = human.stderr.trimEnd();
  expect(text).not.toMatch(STACK);
  expect(text).not.toMatch(/internal error/i);
  expect(text).not.toMatch(JARGON);
  // The two runs are separate processes: a command that makes requests side by side (discovery
  // asks /api and /apis at once) may report either URL, so URLs are not compared.
  const same = (a: string, b: string) => a.replace(/https?:\/\/\S+/g, "<url>") === b.replace(/https?:\/\/\S+/g, "<url>");
  const hint = error.hint ? `\n${error.hint}` : "";
  // kubectl's wording for a server error carries the same message (which may span lines, as
  // kubectl's own do) after `Error from server (Reason): `.
  const kubectlServerError = text.startsWith("Error from server (") && same(text.replace(/^Error from server \([^)]+\): /, ""), `${error.message}${hint}`);
  const kubectlInvalid = /^The [\w.]+ "[^"]+" is invalid: ?\n(\* [^\n]+\n?)+$/.test(text);
  const ours = same(text, `error: ${error.message}${hint}`) || same(text, `${error.message}${hint}`);
  if (!ours && !kubectlServerError && !kubectlInvalid) {
    throw new Error(`not a clear error (the message and at most a hint line):\n${text}\n--- json: ${json.stderr}`);
  }
}

function changedFiles(before: Record<string, FileState>, after: Record<string, FileState>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

for (const [group, cases] of Object.entries(CASES)) {
  describe(group, () => {
    for (const c of cases) {
      test(`${c.name}: ${c.code}, exit ${c.exit ?? 1}, no file changed`, async () => {
        try {
          await c.setup?.();
          const env = typeof c.env === "function" ? c.env() : c.env;
          const before = snapshotTree(sb.home);
          const run = (extra: string[]) => sb.run([...c.args, ...extra], { env, stdin: c.stdin, cwd: sb.home });
          const [human, json] = await Promise.all([run([]), run(["--error-format", "json"])]);
          // Whatever the servers were still doing for these runs is over.
          await Promise.all([datum.api.faults.idle(), datum.idp.settled()]);
          const changed = changedFiles(before, snapshotTree(sb.home)).filter((f) => !c.mayChange?.paths.some((p) => f.startsWith(p)));
          expectClearError(c, human, json);
          expect(changed).toEqual([]);
        } finally {
          await restore();
        }
      }, 15_000);
    }
  });
}

test("the corpus has at least 40 cases", () => {
  expect(Object.values(CASES).flat().length).toBeGreaterThanOrEqual(40);
});
