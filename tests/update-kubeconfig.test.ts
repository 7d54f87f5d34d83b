// `datumctl auth update-kubeconfig` through the built binary, and the real kubectl using what
// it wrote: every request kubectl makes is authenticated by `datumctl auth get-token` as its
// exec credential plugin, against the local IdP and HTTPS control plane.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { HEADLESS_BROWSER } from "./support/browser";
import { writeSignedInConfig } from "./support/config";
import { BINARY, ROOT, type RunResult, type Sandbox, sandbox } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const kubectl = await findKubectl();
const withKubectl = kubectl ? test : test.skip;
if (!kubectl) test.skip("kubectl end-to-end tests (no kubectl found; see the warning above)", () => {});

let datum: LocalDatum;
let sb: Sandbox;

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  await datum?.close();
});
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const apiHost = () => new URL(datum.api.url).host;
const session = (who: string) => `${who}@example.com@${apiHost()}`;
const webServer = () => `${datum.api.url}${datum.api.projectPath("web")}`;
const kubeconfigPath = () => join(sb.home, "kubeconfig");
const read = (p: string) => readFileSync(p, "utf8");
const parse = (p: string) => YAML.parse(read(p));

async function login(who: "ada" | "bob"): Promise<void> {
  const r = await sb.run(datum.loginArgs("--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: who } });
  expect(r.stderr).toContain(`(${who}@example.com)`);
  expect(r.exitCode).toBe(0);
}

function updateKubeconfig(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return sb.run(["auth", "update-kubeconfig", ...args], { env: { KUBECONFIG: kubeconfigPath(), ...env } });
}

/** Runs a program (not the sandbox's binary) with the sandbox's environment. */
async function spawn(cmd: string[], env: Record<string, string> = {}, cwd = sb.home): Promise<RunResult> {
  const proc = Bun.spawn(cmd, { env: { ...sb.env, ...env }, cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

/**
 * The real kubectl with the sandbox's kubeconfig. Its environment reaches the exec plugin, so
 * DATUMCTL_CONFIG_DIR and the file credential store point `datumctl auth get-token` at the
 * sandbox's session; HOME and KUBECACHEDIR keep kubectl's caches in the sandbox.
 */
async function k(args: string[], opts: { kubeconfig?: string; stdin?: string } = {}): Promise<RunResult> {
  const proc = Bun.spawn([kubectl!, ...args], {
    env: {
      PATH: "/usr/bin:/bin",
      HOME: sb.home,
      KUBECONFIG: opts.kubeconfig ?? kubeconfigPath(),
      KUBECACHEDIR: join(sb.home, "kube-cache"),
      DATUMCTL_CONFIG_DIR: sb.configDir,
      DATUMCTL_CREDENTIAL_STORE: "file",
    },
    stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

const zone = (name: string, domain: string) =>
  YAML.stringify({
    apiVersion: "dns.networking.miloapis.com/v1alpha1",
    kind: "DNSZone",
    metadata: { name, namespace: "default" },
    spec: { domainName: domain, dnsZoneClassName: "datum-external-global-dns" },
  });

/** Every request since the last clear carried a bearer token, and the kubeconfig holds none. */
function expectPluginAuthenticated(kubeconfig = kubeconfigPath()): void {
  expect(read(kubeconfig)).not.toMatch(/\btoken:/);
  const requests = datum.api.requests;
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) expect(r.headers.authorization).toBe("Bearer <redacted>");
  // What get-token cached on its first run, for kubectl's later runs.
  expect(readdirSync(join(sb.configDir, "cache", "tokens")).length).toBeGreaterThan(0);
}

describe("kubectl through the kubeconfig entry", () => {
  withKubectl("get, apply, whoami and can-i, with datumctl auth get-token as the exec plugin", async () => {
    await login("ada");
    const r = await updateKubeconfig(["--project", "web", "--exec-interactive-mode", "Never"]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`Updated ${kubeconfigPath()}: context datum-project-web (user datum-${session("ada")}, server ${webServer()})\n`);
    expect(r.exitCode).toBe(0);

    const cfg = parse(kubeconfigPath());
    expect(cfg["current-context"]).toBe("datum-project-web");
    expect(cfg.clusters[0].cluster.server).toBe(webServer());
    expect(Buffer.from(cfg.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(datum.api.caPem);
    expect(cfg.users[0].user.exec).toMatchObject({
      command: BINARY,
      args: ["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${session("ada")}`],
      interactiveMode: "Never",
      provideClusterInfo: false,
    });

    datum.api.clearRequests();
    const get = await k(["get", "dnszones"]);
    expect(get.stderr).toBe("");
    expect(get.exitCode).toBe(0);
    expect(
      get.stdout
        .split("\n")
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
    ).toContain("example-com");

    const apply = await k(["apply", "-f", "-"], { stdin: zone("from-kubectl", "kubectl.example") });
    expect(apply.stderr).toBe("");
    expect(apply.stdout).toBe("dnszone.dns.networking.miloapis.com/from-kubectl created\n");
    expect((await k(["get", "dnszone", "from-kubectl", "-o", "jsonpath={.spec.domainName}"])).stdout).toBe("kubectl.example");

    const whoami = await k(["auth", "whoami"]);
    expect(whoami.exitCode).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+ada@example\.com/);
    expect((await k(["auth", "can-i", "create", "dnszones"])).stdout).toBe("yes\n");
    expectPluginAuthenticated();
    // They all reached the project's control plane.
    expect(new Set(datum.api.requests.map((q) => q.plane && `${q.plane.kind}/${q.plane.id}`))).toEqual(new Set(["project/web"]));
  });

  withKubectl("the default interactive mode, IfAvailable, works without a terminal", async () => {
    await login("ada");
    expect((await updateKubeconfig(["--project", "web"])).exitCode).toBe(0);
    expect(parse(kubeconfigPath()).users[0].user.exec.interactiveMode).toBe("IfAvailable");
    datum.api.clearRequests();
    const r = await k(["get", "dnszones", "-o", "name"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("dnszone.dns.networking.miloapis.com/example-com\n");
    expectPluginAuthenticated();
  });

  withKubectl("two sessions: one user entry each, and the second login does not overwrite the first", async () => {
    await login("ada");
    expect((await updateKubeconfig(["--project", "web"])).exitCode).toBe(0);
    await login("bob");
    const r = await updateKubeconfig(["--organization", "acme"]);
    expect(r.stderr).toContain(`context datum-organization-acme (user datum-${session("bob")},`);
    const cfg = parse(kubeconfigPath());
    expect(cfg.users.map((u: { name: string }) => u.name)).toEqual([`datum-${session("ada")}`, `datum-${session("bob")}`]);
    expect(cfg.contexts.map((c: { name: string; context: { user: string } }) => [c.name, c.context.user])).toEqual([
      ["datum-project-web", `datum-${session("ada")}`],
      ["datum-organization-acme", `datum-${session("bob")}`],
    ]);
    // Each context signs in as its own session, whichever is active in datumctl.
    expect((await k(["auth", "whoami"])).stdout).toMatch(/Username\s+bob@example\.com/);
    expect((await k(["--context", "datum-project-web", "auth", "whoami"])).stdout).toMatch(/Username\s+ada@example\.com/);
    expect((await k(["--context", "datum-project-web", "auth", "can-i", "create", "dnszones"])).stdout).toBe("yes\n");
    // logout names the entry it leaves behind.
    const out = await sb.run(["logout", "bob@example.com"], { env: { KUBECONFIG: kubeconfigPath() } });
    expect(out.stderr).toContain(`${kubeconfigPath()} still has user "datum-${session("bob")}" for session ${session("bob")}`);
  });
});

describe("where it writes", () => {
  withKubectl("KUBECONFIG=a:b writes to the file kubectl would, and leaves the other byte-identical", async () => {
    await login("ada");
    const a = join(sb.home, "a.yaml");
    const b = join(sb.home, "b.yaml");
    const aText =
      "apiVersion: v1\nkind: Config\n# mine\nclusters:\n- name: elsewhere\n  cluster:\n    server: https://elsewhere.invalid\ncurrent-context: elsewhere\n";
    const bText = "apiVersion: v1\nkind: Config\nusers:\n- name: other\n  user:\n    token: not-for-datum\n";
    writeFileSync(a, aText);
    writeFileSync(b, bText);
    const r = await updateKubeconfig(["--project", "web"], { KUBECONFIG: `${a}:${b}` });
    expect(r.stderr).toStartWith(`Updated ${a}: `);
    expect(read(b)).toBe(bText);
    expect(read(a)).toStartWith(
      "apiVersion: v1\nkind: Config\n# mine\nclusters:\n- name: elsewhere\n  cluster:\n    server: https://elsewhere.invalid\n- name: datum-project-web\n",
    );
    expect(existsSync(join(sb.home, ".kube"))).toBe(false);
    const get = await k(["get", "dnszones", "-o", "name"], { kubeconfig: `${a}:${b}` });
    expect(get.stderr).toBe("");
    expect(get.stdout).toContain("example-com");
  });

  test("without KUBECONFIG or --kubeconfig: ~/.kube/config; --kubeconfig: that file", async () => {
    await login("ada");
    const r = await sb.run(["auth", "update-kubeconfig", "--organization", "acme"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toStartWith(`Updated ${join(sb.home, ".kube", "config")}: context datum-organization-acme`);
    const own = join(sb.home, "datum-config");
    const r2 = await updateKubeconfig(["--project", "web", "--kubeconfig", own]);
    expect(r2.stderr).toStartWith(`Updated ${own}: context datum-project-web`);
    expect(existsSync(kubeconfigPath())).toBe(false);
  });

  withKubectl("a rich kubeconfig keeps its comments, extensions, other entries and preferences", async () => {
    await login("ada");
    const rich = `# Team kubeconfig. Do not remove this comment.
apiVersion: v1
kind: Config
preferences:
  colors: true
  extensions:
  - name: prefs.example.com
    extension: {theme: dark}
clusters:
  - name: prod   # the real one
    cluster:
      server: https://prod.invalid:6443
      extensions:
        - name: client.authentication.k8s.io/exec
          extension: {audience: "https://prod"}
users:
- name: alice
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /opt/other/bin/plugin
      args: [token,   --cluster, prod]
      interactiveMode: Never
contexts:
- context: {cluster: prod, user: alice, namespace: team}
  name: prod
current-context: prod
x-vendor: {keep: [1, 2, 3]}
`;
    writeFileSync(kubeconfigPath(), rich);
    const r = await updateKubeconfig(["--project", "web"]);
    expect(r.exitCode).toBe(0);
    const after = read(kubeconfigPath());
    // Every original line is still there, in order, except the current-context it switched.
    const kept = after.split("\n");
    let i = 0;
    for (const line of rich.split("\n")) {
      if (line === "current-context: prod") {
        expect(kept).toContain("current-context: datum-project-web");
        continue;
      }
      i = kept.indexOf(line, i);
      expect(i).toBeGreaterThanOrEqual(0);
      i++;
    }
    const before = YAML.parse(rich);
    const now = YAML.parse(after);
    expect(now.preferences).toEqual(before.preferences);
    expect(now["x-vendor"]).toEqual(before["x-vendor"]);
    expect(now.clusters[0]).toEqual(before.clusters[0]);
    expect(now.users[0]).toEqual(before.users[0]);
    expect(now.contexts[0]).toEqual(before.contexts[0]);
    expect((await k(["config", "get-contexts", "-o", "name"])).stdout).toBe("datum-project-web\nprod\n");
    expect((await k(["get", "dnszones", "-o", "name"])).stdout).toContain("example-com");
  });

  test("kubectl's <file>.lock makes it wait; it goes ahead once the lock is gone", async () => {
    await login("ada");
    writeFileSync(`${kubeconfigPath()}.lock`, "");
    const running = sb.start(["auth", "update-kubeconfig", "--project", "web"], { env: { KUBECONFIG: kubeconfigPath() } });
    await running.waitForStderr(/Waiting for .*kubeconfig\.lock/);
    expect(existsSync(kubeconfigPath())).toBe(false);
    unlinkSync(`${kubeconfigPath()}.lock`);
    const r = await running.result();
    expect(r.exitCode).toBe(0);
    expect(parse(kubeconfigPath())["current-context"]).toBe("datum-project-web");
  });

  test("eight concurrent runs on one file: the lock keeps every entry", async () => {
    writeSignedInConfig(sb.configDir, "https://api.datum.test");
    const ids = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
    const runs = await Promise.all(ids.map((id) => updateKubeconfig(["--project", id])));
    for (const r of runs) expect(r.exitCode).toBe(0);
    const cfg = parse(kubeconfigPath());
    expect(cfg.clusters.map((c: { name: string }) => c.name).sort()).toEqual(ids.map((id) => `datum-project-${id}`));
    expect(cfg.contexts.length).toBe(ids.length);
    expect(cfg.users.map((u: { name: string }) => u.name)).toEqual(["datum-ada@example.com@api.test"]);
    expect(existsSync(`${kubeconfigPath()}.lock`)).toBe(false);
  });

  test("a corrupt kubeconfig is refused, named, and left as it was", async () => {
    await login("ada");
    writeFileSync(kubeconfigPath(), "clusters: [oops\n");
    const r = await updateKubeconfig(["--project", "web", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.message).toStartWith(`${kubeconfigPath()} is not a valid kubeconfig`);
    expect(read(kubeconfigPath())).toBe("clusters: [oops\n");
  });
});

describe("what kubectl reads afterwards", () => {
  /** kubectl's own reading of the file: every entry, data fields included. */
  async function view(): Promise<{ clusters: unknown[]; users: unknown[]; contexts: unknown[]; "current-context": string }> {
    const r = await k(["config", "view", "--raw", "-o", "json"]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    return JSON.parse(r.stdout);
  }
  const execOf = (mode: string) => ({
    apiVersion: "client.authentication.k8s.io/v1",
    command: BINARY,
    args: ["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${session("ada")}`],
    env: null,
    interactiveMode: mode,
    provideClusterInfo: false,
    installHint: expect.stringContaining("brew install datum-cloud/tap/datumctl"),
  });

  withKubectl("an old Datum entry with a certificate-authority path, exec env and a client certificate is replaced whole", async () => {
    await login("ada");
    const caFile = join(sb.home, "old-ca.crt");
    writeFileSync(caFile, datum.api.caPem);
    writeFileSync(
      kubeconfigPath(),
      `apiVersion: v1
kind: Config
clusters:
- name: datum-project-web
  cluster:
    server: https://old.datum.invalid/control-plane
    certificate-authority: ${caFile}
users:
- name: datum-${session("ada")}
  user:
    client-certificate: ${join(sb.home, "client.crt")}
    client-key: ${join(sb.home, "client.key")}
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /old/bin/datumctl
      args: [auth, get-token]
      env:
      - name: DATUMCTL_STALE
        value: "1"
      interactiveMode: Never
contexts:
- name: datum-project-web
  context: {cluster: datum-project-web, user: datum-${session("ada")}}
current-context: datum-project-web
`,
    );
    const r = await updateKubeconfig(["--project", "web", "--exec-interactive-mode", "Never"]);
    expect(r.exitCode).toBe(0);
    const cfg = await view();
    expect(cfg.clusters).toEqual([
      { name: "datum-project-web", cluster: { server: webServer(), "certificate-authority-data": Buffer.from(datum.api.caPem).toString("base64") } },
    ]);
    expect(cfg.users).toEqual([{ name: `datum-${session("ada")}`, user: { exec: execOf("Never") } }]);
    expect(cfg.contexts).toEqual([{ name: "datum-project-web", context: { cluster: "datum-project-web", user: `datum-${session("ada")}` } }]);
    // kubectl accepts the whole file (it rejects a cluster with both kinds of CA) and signs in.
    datum.api.clearRequests();
    const get = await k(["get", "dnszones", "-o", "name"]);
    expect(get.stderr).toBe("");
    expect(get.stdout).toContain("dnszone.dns.networking.miloapis.com/example-com\n");
    expectPluginAuthenticated();
  });

  withKubectl("a kubeconfig with anchors, aliases and merge keys is updated; kubectl reads every other entry as before", async () => {
    await login("ada");
    const text = `apiVersion: v1
kind: Config
clusters:
- name: base
  cluster: &base
    server: https://base.example:6443
    insecure-skip-tls-verify: true
- name: staging
  cluster:
    <<: *base
    server: https://staging.example:6443
- name: datum-project-web
  cluster: *base
users:
- name: shared
  user: &shared
    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/shared-plugin, interactiveMode: Never}
- name: copy
  user: *shared
contexts:
- name: prod
  context: &prod {cluster: base, user: shared, namespace: team}
- name: prod-again
  context: *prod
- name: datum-project-web
  context: *prod
current-context: prod
`;
    writeFileSync(kubeconfigPath(), text);
    const r = await updateKubeconfig(["--project", "web"]);
    expect(r.stderr).toStartWith(`Updated ${kubeconfigPath()}: context datum-project-web`);
    expect(r.exitCode).toBe(0);
    const after = read(kubeconfigPath());
    for (const kept of [
      "  cluster: &base\n",
      "    <<: *base\n",
      "  user: &shared\n",
      "  user: *shared\n",
      "  context: &prod {cluster: base, user: shared, namespace: team}\n",
      "- name: prod-again\n  context: *prod\n",
    ]) {
      expect(after).toContain(kept);
    }
    const cfg = await view();
    const base = { server: "https://base.example:6443", "insecure-skip-tls-verify": true };
    expect(cfg.clusters).toEqual([
      { name: "base", cluster: base },
      { name: "datum-project-web", cluster: { server: webServer(), "certificate-authority-data": Buffer.from(datum.api.caPem).toString("base64") } },
      { name: "staging", cluster: { ...base, server: "https://staging.example:6443" } },
    ]);
    const shared = {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: "/bin/shared-plugin",
        args: null,
        env: null,
        interactiveMode: "Never",
        provideClusterInfo: false,
      },
    };
    expect(cfg.users).toEqual([
      { name: "copy", user: shared },
      { name: `datum-${session("ada")}`, user: { exec: execOf("IfAvailable") } },
      { name: "shared", user: shared },
    ]);
    const prod = { cluster: "base", user: "shared", namespace: "team" };
    expect(cfg.contexts).toEqual([
      { name: "datum-project-web", context: { cluster: "datum-project-web", user: `datum-${session("ada")}` } },
      { name: "prod", context: prod },
      { name: "prod-again", context: prod },
    ]);
    expect(cfg["current-context"]).toBe("datum-project-web");
    const get = await k(["get", "dnszones", "-o", "name"]);
    expect(get.stderr).toBe("");
    expect(get.stdout).toContain("example-com");
  });
});

describe("flags and sessions", () => {
  test("exactly one of --organization and --project; sign-in required; --session must exist", async () => {
    const none = await updateKubeconfig([]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe("error: one of --organization or --project is required\nPass exactly one of --organization <id> or --project <id>.\n");
    const both = await updateKubeconfig(["--project", "web", "--organization", "acme", "--error-format", "json"]);
    expect(both.exitCode).toBe(1);
    // The global flag parser (src/cli/globals.ts) refuses the pair before the command runs.
    expect(JSON.parse(both.stderr).error.code).toBe("SCOPE_CONFLICT");
    const wide = await updateKubeconfig(["--platform-wide", "--error-format", "json"]);
    expect(JSON.parse(wide.stderr).error.code).toBe("INVALID_INPUT");
    const signedOut = await updateKubeconfig(["--project", "web", "--error-format", "json"]);
    expect(JSON.parse(signedOut.stderr).error).toMatchObject({ code: "AUTH_REQUIRED", hint: expect.stringContaining("datumctl login") });
    await login("ada");
    const missing = await updateKubeconfig(["--project", "web", "--session", "nobody@example.com", "--error-format", "json"]);
    expect(JSON.parse(missing.stderr).error.code).toBe("SESSION_NOT_FOUND");
    expect(existsSync(kubeconfigPath())).toBe(false);
  });

  test("the scope flags name the target only: DATUM_* variables and the current context are ignored", async () => {
    await login("ada");
    const r = await updateKubeconfig(["--organization", "globex"], { DATUM_PROJECT: "web", DATUM_ORGANIZATION: "acme" });
    expect(r.exitCode).toBe(0);
    expect(parse(kubeconfigPath())["current-context"]).toBe("datum-organization-globex");
    expect(parse(kubeconfigPath()).clusters[0].cluster.server).toBe(`${datum.api.url}${datum.api.orgPath("globex")}`);
  });

  test("--hostname is normalised to an https URL and gets no CA of the session's host", async () => {
    await login("ada");
    const r = await updateKubeconfig(["--project", "web", "--hostname", "api.example.test"]);
    expect(r.exitCode).toBe(0);
    expect(parse(kubeconfigPath()).clusters[0].cluster).toEqual({
      server: "https://api.example.test/apis/resourcemanager.miloapis.com/v1alpha1/projects/web/control-plane",
    });
    const bad = await updateKubeconfig(["--project", "web", "--hostname", "http://api.example.test"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("refusing plain http");
  });
});

describe("the exec command path", () => {
  /** A Homebrew-like install: a versioned keg, and a stable symlink on PATH. */
  function install(version: string): { keg: string; link: string } {
    const keg = join(sb.home, "Cellar", "datumctl", version, "bin", "datumctl");
    mkdirSync(join(keg, ".."), { recursive: true });
    try {
      linkSync(BINARY, keg);
    } catch {
      copyFileSync(BINARY, keg);
    }
    const link = join(sb.home, "bin", "datumctl");
    mkdirSync(join(sb.home, "bin"), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(keg, link);
    return { keg, link };
  }

  withKubectl("run through a symlink, or by bare name on PATH: the symlink's path is written, and survives an upgrade", async () => {
    await login("ada");
    const { keg, link } = install("0.19.0");
    const args = ["auth", "update-kubeconfig", "--project", "web"];
    const viaLink = await spawn([link, ...args], { KUBECONFIG: kubeconfigPath() });
    expect(viaLink.stderr).toStartWith(`Updated ${kubeconfigPath()}`);
    expect(parse(kubeconfigPath()).users[0].user.exec.command).toBe(link);

    rmSync(kubeconfigPath());
    const path = `${join(sb.home, "bin")}:/usr/bin:/bin`;
    const viaPath = await spawn(["/bin/sh", "-c", `datumctl ${args.join(" ")}`], { KUBECONFIG: kubeconfigPath(), PATH: path });
    expect(viaPath.exitCode).toBe(0);
    expect(parse(kubeconfigPath()).users[0].user.exec.command).toBe(link);

    // Started by its versioned path: the stable PATH entry is written instead.
    rmSync(kubeconfigPath());
    const viaKeg = await spawn([keg, ...args], { KUBECONFIG: kubeconfigPath(), PATH: path });
    expect(viaKeg.exitCode).toBe(0);
    expect(parse(kubeconfigPath()).users[0].user.exec.command).toBe(link);

    // `brew upgrade`: a new keg, the link moved, the old keg gone. kubectl still finds datumctl.
    install("0.20.0");
    rmSync(join(sb.home, "Cellar", "datumctl", "0.19.0"), { recursive: true });
    const get = await k(["get", "dnszones", "-o", "name"]);
    expect(get.stderr).toBe("");
    expect(get.stdout).toContain("example-com");
  });

  test("run from source with bun: refused without --exec-command, and works with it", async () => {
    await login("ada");
    const bun = join(ROOT, "node_modules", ".bin", "bun");
    const args = [bun, "src/entry.ts", "auth", "update-kubeconfig", "--project", "web", "--error-format", "json"];
    const refused = await spawn(args, { KUBECONFIG: kubeconfigPath() }, ROOT);
    expect(refused.exitCode).toBe(1);
    const err = JSON.parse(refused.stderr).error;
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.hint).toContain("--exec-command");
    expect(existsSync(kubeconfigPath())).toBe(false);

    const ok = await spawn([...args, "--exec-command", "dist/datumctl"], { KUBECONFIG: kubeconfigPath() }, ROOT);
    expect(ok.stderr).toStartWith(`Updated ${kubeconfigPath()}`);
    expect(ok.exitCode).toBe(0);
    expect(parse(kubeconfigPath()).users[0].user.exec.command).toBe(BINARY);
  });
});
