// Logout leaves no noise (issue 14, item 8): update-kubeconfig records the kubeconfig entries it
// writes (~/.datumctl/kubeconfig-entries.json); logout lists the ones still pointing at the
// session and removes exactly those with --kubeconfig-cleanup or a "y" at a terminal; a gone
// session's get-token says one line with the way back; doctor checks only the sessions' hosts.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";
import { onTerminal } from "./support/terminal";

const V1 = "client.authentication.k8s.io/v1";

let datum: LocalDatum;
let sb: Sandbox;
let session: string;

beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  sb?.cleanup();
  await datum?.close();
});
beforeEach(async () => {
  sb?.cleanup();
  sb = sandbox();
  session = await datum.signIn(sb, "ada");
});

const kc = () => join(sb.home, "kubeconfig");
const read = (p: string) => readFileSync(p, "utf8");
const recordFile = () => join(sb.configDir, "kubeconfig-entries.json");
const run = (args: string[], env: Record<string, string> = {}): Promise<RunResult> => sb.run(args, { env: { KUBECONFIG: kc(), ...env } });

/** Someone else's entries, each with comments, that no logout may touch. */
const HEADER = "# my clusters, hand-written\napiVersion: v1\nkind: Config\n";
const THEIR_CLUSTER = "# the staging cluster\n- name: staging # keep\n  cluster:\n    server: https://staging.example:6443\n";
const THEIR_USER = "# a static token\n- name: someone-else\n  user:\n    token: not-a-real-token # ours, not datumctl's\n";
const THEIR_CONTEXT = "- name: staging\n  context:\n    cluster: staging\n    user: someone-else # keep this comment\n";

function writeTheirs(): void {
  writeFileSync(kc(), `${HEADER}clusters:\n${THEIR_CLUSTER}users:\n${THEIR_USER}contexts:\n${THEIR_CONTEXT}current-context: staging\n`, { mode: 0o600 });
}

async function updateKubeconfig(...scope: string[]): Promise<void> {
  const r = await run(["auth", "update-kubeconfig", ...scope]);
  expect(r.stderr).toMatch(/^(Updated|.* already up to date)/);
  expect(r.exitCode).toBe(0);
}

const user = () => `datum-${session}`;
const ours = () => [
  { file: kc(), section: "clusters", name: "datum-project-web", session },
  { file: kc(), section: "users", name: user(), session },
  { file: kc(), section: "contexts", name: "datum-project-web", session },
];

function expectTheirsIntact(text: string): void {
  expect(text.startsWith(HEADER)).toBe(true);
  for (const block of [THEIR_CLUSTER, THEIR_USER, THEIR_CONTEXT]) expect(text).toContain(block);
}

test("update-kubeconfig records which entries it wrote, in a file of its own (0600), not in the config", async () => {
  writeTheirs();
  await updateKubeconfig("--project", "web");
  expect(JSON.parse(read(recordFile())).entries).toEqual(ours());
  expect(statSync(recordFile()).mode & 0o777).toBe(0o600);
  expect(read(join(sb.configDir, "config"))).not.toContain("kubeconfig-entries");
  // Written again (same entries): still one record each.
  await updateKubeconfig("--project", "web");
  expect(JSON.parse(read(recordFile())).entries).toEqual(ours());
});

test("auth doctor checks the record's mode like our other files", async () => {
  await updateKubeconfig("--project", "web");
  expect((await run(["auth", "doctor"])).stdout).toContain(`✓ Record of kubeconfig entries ${recordFile()}: 0600`);
  chmodSync(recordFile(), 0o644);
  sb.looseModes = true;
  const r = await run(["auth", "doctor"]);
  expect(r.stdout).toContain(`! Record of kubeconfig entries ${recordFile()} is 0644; it should be open to you alone`);
  expect(r.stdout).toContain(`fix: chmod 600 ${recordFile()}`);
});

test("logout without a terminal lists the entries left behind and changes nothing", async () => {
  writeTheirs();
  await updateKubeconfig("--project", "web");
  const before = read(kc());
  const r = await run(["logout", "ada@example.com"]);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toContain(`note: ${kc()} still has cluster "datum-project-web" for session ${session}`);
  expect(r.stderr).toContain(`note: ${kc()} still has user "${user()}" for session ${session}`);
  expect(r.stderr).toContain(`note: ${kc()} still has context "datum-project-web" for session ${session}`);
  expect(r.stderr).toContain(`kubectl --kubeconfig ${kc()} config delete-user ${user()}`);
  expect(r.stderr).not.toContain("someone-else");
  expect(r.stderr).not.toContain('"staging"');
  expect(r.stderr).toContain("✓ Logged out ada@example.com.");
  expect(read(kc())).toBe(before);
});

const kubectl = await findKubectl();

test("logout --kubeconfig-cleanup removes exactly our entries; a context the user repointed stays; kubectl still reads the file", async () => {
  writeTheirs();
  await updateKubeconfig("--organization", "acme");
  await updateKubeconfig("--project", "web");
  // The user points the organization's context at their own user: no longer ours.
  const doc = YAML.parseDocument(read(kc()));
  const text = read(kc());
  const orgContext = `- name: datum-organization-acme\n  context:\n    cluster: datum-organization-acme\n    user: ${user()}\n`;
  expect(text).toContain(orgContext);
  writeFileSync(kc(), text.replace(orgContext, orgContext.replace(`user: ${user()}`, "user: someone-else")));
  expect(doc.get("current-context")).toBe("datum-project-web");

  const r = await run(["logout", "ada@example.com", "--kubeconfig-cleanup"]);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toContain(`✓ Removed user "${user()}", context "datum-project-web", cluster "datum-project-web" from ${kc()}`);
  const after = read(kc());
  expectTheirsIntact(after);
  const cfg = YAML.parse(after);
  expect(cfg.users.map((u: { name: string }) => u.name)).toEqual(["someone-else"]);
  expect(cfg.contexts.map((c: { name: string }) => c.name)).toEqual(["staging", "datum-organization-acme"]);
  // The cluster the repointed context uses stays; ours for web goes.
  expect(cfg.clusters.map((c: { name: string }) => c.name)).toEqual(["staging", "datum-organization-acme"]);
  // It named a removed context: unset. Nothing else is.
  expect(cfg["current-context"]).toBe("");
  expect(JSON.parse(read(recordFile())).entries).toEqual([
    { file: kc(), section: "clusters", name: "datum-organization-acme", session },
    { file: kc(), section: "contexts", name: "datum-organization-acme", session },
  ]);
  if (!kubectl) return;
  const view = Bun.spawnSync([kubectl, "config", "get-contexts", "-o", "name"], { env: { ...sb.env, KUBECONFIG: kc() } });
  expect(view.stderr.toString()).toBe("");
  expect(view.exitCode).toBe(0);
  expect(view.stdout.toString().trim().split("\n").sort()).toEqual(["datum-organization-acme", "staging"]);
});

test("entries written before the record existed are found by scanning KUBECONFIG; a current-context elsewhere stays", async () => {
  writeTheirs();
  await updateKubeconfig("--project", "web");
  rmSync(recordFile());
  writeFileSync(kc(), read(kc()).replace("current-context: datum-project-web", "current-context: staging"));
  const r = await run(["logout", "ada@example.com", "--kubeconfig-cleanup"]);
  expect(r.exitCode).toBe(0);
  const after = read(kc());
  expect(after).toBe(`${HEADER}clusters:\n${THEIR_CLUSTER}users:\n${THEIR_USER}contexts:\n${THEIR_CONTEXT}current-context: staging\n`);
});

for (const [answer, removes] of [
  ["y", true],
  ["", false],
] as const) {
  test(`at a terminal, logout asks and ${JSON.stringify(answer)} ${removes ? "removes them" : "keeps them"}`, async () => {
    writeTheirs();
    await updateKubeconfig("--project", "web");
    const before = read(kc());
    const term = onTerminal(["logout", "ada@example.com"], { env: { ...sb.env, KUBECONFIG: kc() }, cwd: sb.home });
    try {
      await term.shows(/\[y\/N\]: /);
      // Nothing removed before the answer.
      expect(read(kc())).toContain(user());
      term.type(`${answer}\r`);
      expect(await term.proc.exited, term.screen).toBe(0);
    } finally {
      term.close();
    }
    const screen = term.screen;
    expect(screen).toContain("✓ Logged out ada@example.com.");
    if (!removes) {
      expect(read(kc())).toBe(before);
      return;
    }
    expect(screen).toContain(`Removed user "${user()}"`);
    expect(read(kc())).toBe(`${HEADER}clusters:\n${THEIR_CLUSTER}users:\n${THEIR_USER}contexts:\n${THEIR_CONTEXT}current-context: ""\n`);
  }, 30_000);
}

describe("after logout, kubectl running datumctl as its exec plugin", () => {
  test("get-token prints one line with the way back, whatever KUBERNETES_EXEC_INFO says", async () => {
    await updateKubeconfig("--project", "web");
    expect((await run(["logout", "ada@example.com"])).exitCode).toBe(0);
    const line = `error: session ${session} is not signed in; run 'datumctl login' to sign in.\n`;
    for (const info of [undefined, JSON.stringify({ kind: "ExecCredential", apiVersion: V1, spec: { interactive: true } })]) {
      const r = await run(["auth", "get-token", `--output=${V1}`, `--session=${session}`], info ? { KUBERNETES_EXEC_INFO: info } : {});
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(line);
    }
    if (!kubectl) return;
    const k = Bun.spawnSync([kubectl, "get", "namespaces"], { env: { ...sb.env, KUBECONFIG: kc() } });
    expect(k.exitCode).toBe(1);
    // What datumctl adds to kubectl's own lines is that one line, however often kubectl retries.
    const ourLines = k.stderr
      .toString()
      .split("\n")
      .filter((l) => l.startsWith("error:"));
    expect(ourLines.length).toBeGreaterThan(0);
    expect(new Set(ourLines)).toEqual(new Set([line.trimEnd()]));
  });
});

describe("auth doctor's network checks", () => {
  test("with no session it says so and contacts nobody; with sessions it checks their hosts", async () => {
    // Anything doctor tried to reach off loopback would go through this proxy.
    const seen: string[] = [];
    const proxy = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(s, d) {
          seen.push(d.toString().split("\r\n")[0]!);
          s.end();
        },
      },
    });
    try {
      const env = { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, HTTP_PROXY: `http://127.0.0.1:${proxy.port}` };
      const signedIn = await run(["auth", "doctor"], env);
      const issuer = new URL(datum.idp.issuer).origin;
      expect(signedIn.stdout).toContain(`✓ IdP ${issuer} (${session}) reachable`);
      expect(signedIn.stdout).toContain(`✓ API ${datum.api.url} (${session}) reachable`);
      expect((await run(["logout", "ada@example.com"])).exitCode).toBe(0);
      const none = await run(["auth", "doctor"], env);
      expect(none.stdout).toContain("✓ No sessions: no auth or API host to check");
      expect(none.stdout).not.toContain("datum.net");
      expect(seen).toEqual([]);
    } finally {
      proxy.stop(true);
    }
  });
});
