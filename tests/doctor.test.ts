// `datumctl auth doctor` through the built binary: a signed-in sandbox with a kubeconfig
// entry from update-kubeconfig, against the local IdP and control plane, then broken one way
// at a time (a kubeconfig command that is gone, stale locks, a world-readable credentials
// file, an unreachable API). No secret may appear in anything it prints.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { BINARY, type RunResult, type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";
import { probeKeyring, storageChecks } from "../src/doctor/storage";
import type { Keyring } from "../src/store/keyring";

let datum: LocalDatum;
let sb: Sandbox;
/** Every doctor run's output, checked against the sandbox's secrets after each test. */
let outputs: { args: string[]; r: RunResult }[] = [];

const SECTIONS = ["Credential storage", "Files", "Locks", "Sessions", "Kubeconfig", "Network", "Proxy and TLS"];

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  await datum?.close();
});
beforeEach(() => {
  sb = sandbox();
  // These tests plant loose modes and stale locks on purpose.
  sb.looseModes = true;
  outputs = [];
});
afterEach(() => {
  const secrets = sandboxSecrets();
  for (const { args, r } of outputs) {
    for (const s of secrets) {
      if (r.stdout.includes(s) || r.stderr.includes(s)) throw new Error(`doctor ${args.join(" ")} printed a secret`);
    }
  }
  sb.cleanup();
});

const kubeconfigPath = () => join(sb.home, "kubeconfig");
const apiHost = () => new URL(datum.api.url).host;
const session = () => `ada@example.com@${apiHost()}`;
const user = () => `datum-${session()}`;

/** Access and refresh tokens as the sandbox stores them (at least one of each once signed in). */
function sandboxSecrets(): string[] {
  const found: string[] = [];
  try {
    const creds = JSON.parse(readFileSync(join(sb.configDir, "credentials.json"), "utf8")) as Record<string, Record<string, string>>;
    for (const blob of Object.values(creds["datumctl-auth"] ?? {})) {
      const t = (JSON.parse(blob) as { token?: { refresh_token?: string } }).token?.refresh_token;
      if (t) found.push(t);
    }
  } catch {
    // not signed in
  }
  const dir = join(sb.configDir, "cache", "tokens");
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    // none
  }
  for (const f of files) {
    const t = (JSON.parse(readFileSync(join(dir, f), "utf8")) as { access_token?: string }).access_token;
    if (t) found.push(t);
  }
  return found.filter((s) => s.length >= 16);
}

async function setUp(): Promise<void> {
  await datum.signIn(sb, "ada");
  const update = await sb.run(["auth", "update-kubeconfig", "--project", "web"], { env: { KUBECONFIG: kubeconfigPath() } });
  expect(update.exitCode).toBe(0);
  // Both kinds of secret exist, so the no-leak check after each test has teeth.
  expect(sandboxSecrets().length).toBeGreaterThanOrEqual(2);
}

async function doctor(...args: string[]): Promise<RunResult> {
  return doctorWith({}, ...args);
}

async function doctorWith(env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const full = ["auth", "doctor", ...args];
  const r = await sb.run(full, { env: { KUBECONFIG: kubeconfigPath(), ...env } });
  outputs.push({ args: full, r });
  return r;
}

interface JsonCheck {
  section: string;
  name: string;
  subject?: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix?: string;
}

async function doctorJSON(): Promise<{ r: RunResult; checks: JsonCheck[]; summary: { status: string; ok: number; warn: number; fail: number } }> {
  const r = await doctor("-o", "json");
  const parsed = JSON.parse(r.stdout);
  return { r, checks: parsed.checks, summary: parsed.summary };
}

/** The report's line for a problem and the fix line right under it. */
function problem(stdout: string, mark: "✗" | "!", needle: string): { line: string; fix: string } {
  const lines = stdout.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`  ${mark} `) && l.includes(needle));
  if (i < 0) throw new Error(`no "${mark}" line with ${needle} in:\n${stdout}`);
  const fix = lines[i + 1] ?? "";
  expect(fix).toMatch(/^ {6}fix: \S/);
  return { line: lines[i]!, fix: fix.replace(/^ {6}fix: /, "") };
}

function editYAML(path: string, change: (doc: any) => void): void {
  const doc = YAML.parse(readFileSync(path, "utf8"));
  change(doc);
  writeFileSync(path, YAML.stringify(doc));
}

describe("auth doctor", () => {
  test("a healthy setup: every section, no problem, exit 0", async () => {
    await setUp();
    const r = await doctor();
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const headings = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith(" "));
    expect(headings).toEqual([...SECTIONS, "No problems found."]);
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).not.toContain("fix:");
    // What each section found.
    expect(r.stdout).toContain("✓ Store: file");
    expect(r.stdout).toContain("(DATUMCTL_CREDENTIAL_STORE=file)");
    expect(r.stdout).toMatch(/✓ Credentials file .*credentials\.json: 0600/);
    expect(r.stdout).toContain("✓ No locks held, none left behind");
    expect(r.stdout).toMatch(
      new RegExp(
        `✓ Session ${session().replace(/[.]/g, "\\.")} \\(active\\): secrets in credentials\\.json, refresh token present; access token valid for \\d+m`,
      ),
    );
    expect(r.stdout).toContain(`✓ User ${user()} in ${kubeconfigPath()}: runs ${BINARY} (this install), interactiveMode IfAvailable, session ${session()}\n`);
    expect(r.stdout).toContain(`✓ IdP ${datum.idp.issuer} (${session()}) reachable: answered 200`);
    expect(r.stdout).toContain(`✓ API ${datum.api.url} (${session()}) reachable: answered 401`);
    expect(r.stdout).toMatch(/✓ Clock skew: within ±1s of the servers' Date headers \(127\.0\.0\.1:\d+ [+-]\d\.\ds, 127\.0\.0\.1:\d+ [+-]\d\.\ds\)/);
    expect(r.stdout).toContain("✓ Proxy: none");
    expect(r.stdout).toMatch(/✓ Session \S+: API CA \(certificate-authority-data\): 1 certificate, valid until \d{4}-\d\d-\d\d/);
  });

  test("a kubeconfig entry whose command no longer exists: flagged with the fix, exit 1; the fix works", async () => {
    await setUp();
    const gone = join(sb.home, "Cellar", "old", "bin", "datumctl");
    editYAML(kubeconfigPath(), (doc) => {
      doc.users[0].user.exec.command = gone;
    });
    const r = await doctor();
    expect(r.exitCode).toBe(1);
    const p = problem(r.stdout, "✗", `User ${user()} in ${kubeconfigPath()}`);
    expect(p.line).toContain(`its command ${gone} does not exist or is not executable`);
    expect(p.fix).toBe(`datumctl auth update-kubeconfig --project web --session ${session()}`);
    expect(r.stdout).toContain("1 problem to fix, 0 warnings.");

    // Running the fix repairs it.
    const fixed = await sb.run(p.fix.split(" ").slice(1), { env: { KUBECONFIG: kubeconfigPath() } });
    expect(fixed.exitCode).toBe(0);
    const again = await doctor();
    expect(again.stdout).toContain("No problems found.");
    expect(again.exitCode).toBe(0);
  });

  test("a kubeconfig entry without interactiveMode or with an unknown session", async () => {
    await setUp();
    editYAML(kubeconfigPath(), (doc) => {
      delete doc.users[0].user.exec.interactiveMode;
      doc.users[0].user.exec.args = doc.users[0].user.exec.args.map((a: string) => (a.startsWith("--session=") ? "--session=zoe@example.com@elsewhere" : a));
    });
    const r = await doctor();
    expect(r.exitCode).toBe(1);
    const p = problem(r.stdout, "✗", `User ${user()}`);
    expect(p.line).toContain("interactiveMode is not set, and kubectl refuses a v1 exec entry without it");
    expect(p.line).toContain("its session zoe@example.com@elsewhere is not signed in here");
    expect(p.fix).toStartWith("datumctl auth update-kubeconfig --project web --session zoe@example.com@elsewhere");
  });

  test("a kubeconfig whose Datum user is an alias is checked through it; a FIFO in KUBECONFIG is a failure, never a hang", async () => {
    await setUp();
    const ours = YAML.parse(readFileSync(kubeconfigPath(), "utf8"));
    const gone = join(sb.home, "gone", "datumctl");
    const exec = { ...ours.users[0].user.exec, command: gone };
    writeFileSync(
      kubeconfigPath(),
      `apiVersion: v1
kind: Config
clusters: ${JSON.stringify(ours.clusters)}
users:
- name: template
  user: &datum
    exec: ${JSON.stringify(exec)}
- name: ${user()}
  user: *datum
contexts: ${JSON.stringify(ours.contexts)}
current-context: datum-project-web
`,
    );
    const r = await doctor();
    expect(r.exitCode).toBe(1);
    expect(problem(r.stdout, "✗", `User ${user()} in ${kubeconfigPath()}`).line).toContain(`its command ${gone} does not exist or is not executable`);

    const fifo = join(sb.home, "fifo");
    const mk = Bun.spawnSync(["mkfifo", fifo]);
    expect(mk.exitCode).toBe(0);
    const withFifo = await doctorWith({ KUBECONFIG: `${kubeconfigPath()}:${fifo}` });
    expect(withFifo.exitCode).toBe(1);
    expect(problem(withFifo.stdout, "✗", fifo).line).toContain(`${fifo} is a FIFO (named pipe), not a kubeconfig file`);
  });

  test("stale locks: a leftover refresh lock is a warning, a leftover kubectl lock fails", async () => {
    await setUp();
    const digest = new Bun.CryptoHasher("sha256").update(session()).digest("hex").slice(0, 32);
    const refreshLock = join(sb.configDir, "cache", "locks", `refresh-${digest}.lock`);
    mkdirSync(refreshLock, { recursive: true });
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(refreshLock, hourAgo, hourAgo);

    let r = await doctor();
    expect(r.exitCode).toBe(0);
    let p = problem(r.stdout, "!", refreshLock);
    expect(p.line).toContain(`Token refresh lock of ${session()} ${refreshLock} is stale: last refreshed 1h00m ago`);
    expect(p.fix).toBe(`rm -r ${refreshLock}`);

    // kubectl's own lock file, left by a kubectl that crashed: kubectl config is stuck.
    const kubectlLock = `${kubeconfigPath()}.lock`;
    writeFileSync(kubectlLock, "");
    utimesSync(kubectlLock, hourAgo, hourAgo);
    r = await doctor();
    expect(r.exitCode).toBe(1);
    p = problem(r.stdout, "✗", kubectlLock);
    expect(p.line).toContain("is a kubectl lock file left behind 1h00m ago");
    expect(p.fix).toStartWith(`rm ${kubectlLock}`);

    // A lock being refreshed right now is held, not stale.
    const now = new Date();
    utimesSync(refreshLock, now, now);
    const held = (await doctor()).stdout;
    expect(held).toMatch(new RegExp(`✓ Token refresh lock of \\S+ ${refreshLock.replace(/[.]/g, "\\.")} is held right now`));
  });

  test("a world-readable credentials.json fails with the chmod to run", async () => {
    await setUp();
    const file = join(sb.configDir, "credentials.json");
    chmodSync(file, 0o644);
    const r = await doctor();
    expect(r.exitCode).toBe(1);
    const p = problem(r.stdout, "✗", file);
    expect(p.line).toBe(`  ✗ Credentials file ${file} is 0644, readable by its group and everyone else, and it holds secrets`);
    expect(p.fix).toBe(`chmod 600 ${file}`);
    chmodSync(file, 0o600);
    expect((await doctor()).exitCode).toBe(0);
  });

  test("an unreachable API server fails, naming the host", async () => {
    await setUp();
    editYAML(join(sb.configDir, "config"), (cfg) => {
      cfg.sessions[0].endpoint.server = "https://127.0.0.1:1";
    });
    const r = await doctor();
    expect(r.exitCode).toBe(1);
    const p = problem(r.stdout, "✗", "API https://127.0.0.1:1");
    expect(p.line).toContain(`(${session()}) unreachable: unable to connect to https://127.0.0.1:1/version`);
    expect(p.fix).toBe("Check that 127.0.0.1:1 is the right host and is reachable (DNS, VPN, firewall); behind a proxy, set HTTPS_PROXY");
    // The IdP is still fine.
    expect(r.stdout).toContain(`✓ IdP ${datum.idp.issuer}`);
  });

  test("-o json: a stable shape with every section, fixes on problems, and the summary", async () => {
    await setUp();
    let { r, checks, summary } = await doctorJSON();
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(new Set(checks.map((c) => c.section))).toEqual(new Set(SECTIONS));
    for (const c of checks) {
      expect(Object.keys(c).every((k) => ["section", "name", "subject", "status", "detail", "fix"].includes(k))).toBe(true);
      expect(["ok", "warn", "fail"]).toContain(c.status);
      expect(typeof c.detail).toBe("string");
      if (c.status !== "ok") expect(typeof c.fix).toBe("string");
    }
    const names = new Set(checks.map((c) => c.name));
    for (const n of ["credential-store", "keyring", "file-mode", "lock", "session", "kubeconfig-exec", "kuberc", "idp", "api", "clock-skew", "proxy", "ca"])
      expect(names).toContain(n);
    expect(summary).toEqual({ status: "ok", ok: checks.length, warn: 0, fail: 0 });
    expect(checks.find((c) => c.name === "session")!.subject).toBe(session());
    expect(checks.find((c) => c.name === "kubeconfig-exec")!.subject).toBe(`${kubeconfigPath()}#${user()}`);

    chmodSync(join(sb.configDir, "credentials.json"), 0o640);
    ({ r, checks, summary } = await doctorJSON());
    expect(r.exitCode).toBe(1);
    expect(summary.status).toBe("fail");
    expect(summary.fail).toBe(1);
    const bad = checks.find((c) => c.status === "fail")!;
    expect(bad).toEqual({
      section: "Files",
      name: "file-mode",
      subject: join(sb.configDir, "credentials.json"),
      status: "fail",
      detail: `Credentials file ${join(sb.configDir, "credentials.json")} is 0640, readable by its group, and it holds secrets`,
      fix: `chmod 600 ${join(sb.configDir, "credentials.json")}`,
    });
  });

  test("no secret in any output, at -v 9 too", async () => {
    await setUp();
    await doctor();
    await doctor("-o", "json");
    const verbose = await doctor("-v", "9");
    expect(verbose.stderr).toContain("/.well-known/openid-configuration");
    // The afterEach check compares every output with the tokens in the sandbox's files.
    expect(sandboxSecrets().length).toBeGreaterThanOrEqual(2);
  });

  test("a corrupt credentials.json is a failure in the report, not a stray warning", async () => {
    await setUp();
    const file = join(sb.configDir, "credentials.json");
    writeFileSync(file, "{not json", { mode: 0o600 });
    const r = await doctor();
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(1);
    expect(problem(r.stdout, "✗", "The credential store").fix).toBe(`mv ${file} ${file}.bak, then datumctl login`);
    const s = problem(r.stdout, "✗", `Session ${session()}`);
    expect(s.line).toContain("no stored credentials");
    // Without the stored blob, the issuer's scheme is unknown: the config keeps the bare host.
    expect(s.fix).toBe(`datumctl login --hostname ${new URL(datum.idp.issuer).host} --api-hostname ${apiHost()}`);
  });

  test("kubectl's kuberc credential plugin policy: DenyAll and an allowlist without datumctl fail", async () => {
    await setUp();
    const kuberc = join(sb.home, ".kube", "kuberc");
    mkdirSync(join(sb.home, ".kube"), { recursive: true });
    writeFileSync(kuberc, "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\ncredentialPluginPolicy: DenyAll\n");
    let r = await doctor();
    expect(r.exitCode).toBe(1);
    expect(problem(r.stdout, "✗", `kuberc ${kuberc}`).line).toContain("credentialPluginPolicy: DenyAll");

    writeFileSync(
      kuberc,
      "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\ncredentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- name: /usr/local/bin/other-login\n",
    );
    r = await doctor();
    expect(r.exitCode).toBe(1);
    const p = problem(r.stdout, "✗", `kuberc ${kuberc}`);
    expect(p.line).toContain(`${BINARY} is not listed`);
    expect(p.fix).toBe(`Add '- name: ${BINARY}' under credentialPluginAllowlist in ${kuberc}`);

    writeFileSync(
      kuberc,
      `apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\ncredentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- name: ${BINARY}\n`,
    );
    r = await doctor();
    expect(r.stdout).toContain(`✓ kuberc ${kuberc}: the credential plugin allowlist includes datumctl`);
    expect(r.exitCode).toBe(0);
  });

  test("signed out: a warning, no failure from the local state", async () => {
    // Datum Cloud's own hosts are probed then; a dead proxy keeps the test off the internet.
    const r = await doctorWith({ HTTPS_PROXY: "http://127.0.0.1:1" }, "-o", "json");
    const { checks } = JSON.parse(r.stdout) as { checks: JsonCheck[] };
    const s = checks.find((c) => c.name === "session")!;
    expect(s).toMatchObject({ status: "warn", fix: "datumctl login" });
    for (const c of checks.filter((c) => c.section !== "Network")) expect(c.status === "fail").toBe(false);
  });
});

describe("keyring probe (in-process, injected keyrings)", () => {
  const never: Keyring = { get: () => new Promise(() => {}), set: () => new Promise(() => {}), delete: () => new Promise(() => {}) };
  const failing: Keyring = {
    get: async () => {
      throw new Error("no D-Bus session");
    },
    set: async () => {},
    delete: async () => false,
  };
  const fine: Keyring = { get: async () => null, set: async () => {}, delete: async () => false };

  test("a working keyring: ok, with its latency", async () => {
    const p = await probeKeyring(fine, 1_000);
    expect(p.ok).toBe(true);
    const [store, keyring] = storageChecks("auto", p, "/c/credentials.json");
    expect(store!.detail).toStartWith("Store: the OS keyring (automatic: it answers)");
    expect(keyring).toMatchObject({ name: "keyring", status: "ok" });
    expect(keyring!.detail).toMatch(/^Keyring: answered in \d+ms$/);
  });

  test("a keyring that never answers is bounded; the fallback is a warning, forcing it a failure", async () => {
    const p = await probeKeyring(never, 50);
    expect(p).toMatchObject({ ok: false, reason: "no answer within 0.05s" });
    const auto = storageChecks("auto", p, "/c/credentials.json");
    expect(auto[0]!.detail).toBe("Store: file /c/credentials.json (automatic fallback: the OS keyring is unavailable)");
    expect(auto[1]).toMatchObject({ status: "warn" });
    expect(auto[1]!.fix).toContain("DATUMCTL_CREDENTIAL_STORE=file");
    const forced = storageChecks("keyring", await probeKeyring(failing), "/c/credentials.json");
    expect(forced[1]).toMatchObject({ status: "fail" });
    expect(forced[1]!.detail).toContain("(no D-Bus session)");
  });

  test("a slow keyring is a warning", () => {
    const [, keyring] = storageChecks("auto", { ok: true, ms: 2_500 }, "/c/credentials.json");
    expect(keyring).toMatchObject({
      status: "warn",
      detail: "Keyring: slow, answered in 2.5s; every login and token refresh waits on it (kubectl's cached get-token does not)",
    });
  });
});
