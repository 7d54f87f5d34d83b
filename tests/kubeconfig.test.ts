// Writing kubeconfig entries in-process (src/kubeconfig/): kubectl's KUBECONFIG-list rules,
// edits that leave every other byte alone, file modes, kubectl's `<file>.lock`, corrupt files
// refused, and the exec command path chosen from how datumctl was started.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  utimesSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import type { Runtime } from "../src/runtime";
import { DEFAULT_GLOBALS } from "../src/cli/globals";
import { DatumctlError } from "../src/errors";
import { captureIO, type CapturedIO } from "../src/io";
import { execCommand, type Invocation } from "../src/kubeconfig/exec-command";
import { kubeconfigUsersOf } from "../src/kubeconfig/session-users";
import { describeUpdate, INSTALL_HINT, type UpdateKubeconfigOptions, updateKubeconfig } from "../src/kubeconfig/update";

const ADA = "ada@example.com@api.datum.test";
const BOB = "bob@example.com@api.datum.test";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");
const WEB_SERVER = "https://api.datum.test/apis/resourcemanager.miloapis.com/v1alpha1/projects/web/control-plane";

let home: string;
let io: CapturedIO;
let binary: string;

const mode = (p: string) => statSync(p).mode & 0o777;
const read = (p: string) => readFileSync(p, "utf8");
const parse = (p: string) => YAML.parse(read(p));

function writeConfig(current: string = ADA, endpoint: Record<string, unknown> = { "certificate-authority-data": CA }) {
  const dir = join(home, ".datumctl");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const session = (name: string, email: string) => ({
    name,
    "user-key": `${email}@auth.datum.test`,
    "user-email": email,
    endpoint: { server: "https://api.datum.test", "auth-hostname": "auth.datum.test", ...endpoint },
  });
  const cfg = {
    apiVersion: "datumctl.config.datum.net/v1beta1",
    kind: "DatumctlConfig",
    "active-session": current,
    sessions: [session(ADA, "ada@example.com"), session(BOB, "bob@example.com")],
    contexts: [],
  };
  writeFileSync(join(dir, "config"), YAML.stringify(cfg), { mode: 0o600 });
}

function rt(env: Record<string, string> = {}): Runtime {
  return { io, globals: DEFAULT_GLOBALS, env: { HOME: home, PATH: "/usr/bin:/bin", ...env }, configDir: join(home, ".datumctl"), serverWarnings: 0 };
}

/** As if the compiled binary `binary` had been started by that path. */
const compiled = (argv0 = binary): Invocation => ({ argv0, execPath: realpathSync(binary), main: "/$bunfs/root/datumctl", cwd: home });

function update(env: Record<string, string> = {}, opts: Partial<UpdateKubeconfigOptions> = {}) {
  return updateKubeconfig(rt(env), { scope: { kind: "project", id: "web" }, invocation: compiled(), ...opts });
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "datumctl-kubeconfig-"));
  io = captureIO();
  binary = join(home, "opt", "datumctl");
  mkdirSync(join(home, "opt"));
  writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
  writeConfig();
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("a new kubeconfig", () => {
  test("~/.kube/config is created 0600 in a 0700 directory, with exactly the entries kubectl needs", async () => {
    const r = await update();
    const path = join(home, ".kube", "config");
    expect(r.files).toEqual([path]);
    expect(r.changed).toBe(true);
    expect(mode(path)).toBe(0o600);
    expect(mode(join(home, ".kube"))).toBe(0o700);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(parse(path)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "datum-project-web", cluster: { server: WEB_SERVER, "certificate-authority-data": CA } }],
      users: [
        {
          name: `datum-${ADA}`,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1",
              command: binary,
              args: ["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${ADA}`],
              interactiveMode: "IfAvailable",
              provideClusterInfo: false,
              installHint: INSTALL_HINT,
            },
          },
        },
      ],
      contexts: [{ name: "datum-project-web", context: { cluster: "datum-project-web", user: `datum-${ADA}` } }],
      "current-context": "datum-project-web",
    });
    expect(INSTALL_HINT).toContain("brew install datum-cloud/tap/datumctl");
    expect(INSTALL_HINT.split("\n").length).toBeGreaterThan(1);
    expect(describeUpdate(r)).toBe(`Updated ${path}: context datum-project-web (user datum-${ADA}, server ${WEB_SERVER})\n`);
    expect(io.stdout).toBe("");
  });

  test("an organization, interactive mode, another session and a custom host", async () => {
    const kc = join(home, "kc");
    const r = await update(
      {},
      { scope: { kind: "organization", id: "acme" }, kubeconfig: kc, interactiveMode: "Never", session: BOB, hostname: "api.other.test:8443" },
    );
    const server = "https://api.other.test:8443/apis/resourcemanager.miloapis.com/v1alpha1/organizations/acme/control-plane";
    expect(r.server).toBe(server);
    const cfg = parse(kc);
    // The session's CA belongs to its own host, not to another one.
    expect(cfg.clusters).toEqual([{ name: "datum-organization-acme", cluster: { server } }]);
    expect(cfg.users[0].name).toBe(`datum-${BOB}`);
    expect(cfg.users[0].user.exec.interactiveMode).toBe("Never");
    expect(cfg.users[0].user.exec.args.at(-1)).toBe(`--session=${BOB}`);
    expect(cfg["current-context"]).toBe("datum-organization-acme");
  });

  test("the session's tls-server-name and insecure-skip-tls-verify are carried over", async () => {
    writeConfig(ADA, { "tls-server-name": "api.internal", "insecure-skip-tls-verify": true });
    await update();
    expect(parse(join(home, ".kube", "config")).clusters[0].cluster).toEqual({
      server: WEB_SERVER,
      "insecure-skip-tls-verify": true,
      "tls-server-name": "api.internal",
    });
  });

  test("a --kubeconfig in a new directory; ~ is the runtime's HOME", async () => {
    const r = await update({}, { kubeconfig: "~/deep/er/kc" });
    expect(r.files).toEqual([join(home, "deep", "er", "kc")]);
    expect(mode(join(home, "deep", "er", "kc"))).toBe(0o600);
  });
});

describe("errors", () => {
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(DatumctlError);
      return { code: (e as DatumctlError).code, message: (e as DatumctlError).message, hint: (e as DatumctlError).hint };
    }
    throw new Error("expected an error");
  };

  test("no session, an unknown session, a bad ID", async () => {
    rmSync(join(home, ".datumctl", "config"));
    expect(await code(update())).toMatchObject({ code: "AUTH_REQUIRED", hint: expect.stringContaining("datumctl login") });
    writeConfig();
    expect((await code(update({}, { session: "nobody@example.com" }))).code).toBe("SESSION_NOT_FOUND");
    expect((await code(update({}, { scope: { kind: "project", id: "Web/../x" } }))).code).toBe("INVALID_INPUT");
    expect(existsSync(join(home, ".kube"))).toBe(false);
  });

  test("--session takes a session name or its email", async () => {
    await update({}, { session: "bob@example.com" });
    expect(parse(join(home, ".kube", "config")).users[0].name).toBe(`datum-${BOB}`);
  });
});

describe("KUBECONFIG lists (kubectl's rules)", () => {
  test("no file exists: everything goes to the last one; the others are not created", async () => {
    const [a, b] = [join(home, "a"), join(home, "b")];
    const r = await update({ KUBECONFIG: `${a}:${b}` });
    expect(r.files).toEqual([b]);
    expect(existsSync(a)).toBe(false);
    expect(parse(b)["current-context"]).toBe("datum-project-web");
  });

  test("new entries go to the first file that exists; an existing one stays in the file that holds it", async () => {
    const [a, b, c] = [join(home, "a"), join(home, "b"), join(home, "c")];
    const bText = `apiVersion: v1
kind: Config
users:
- name: datum-${ADA}
  user:
    token: old
- name: someone
  user:
    token: t
current-context: other
`;
    writeFileSync(b, bText);
    writeFileSync(c, "apiVersion: v1\nkind: Config\nclusters: []\n");
    const cBefore = read(c);
    const r = await update({ KUBECONFIG: `${a}:${b}:${c}` });
    expect(existsSync(a)).toBe(false);
    // b exists: new cluster and context land there; its user entry is rewritten in place; and
    // b sets current-context, so that is where it changes.
    expect(r.files).toEqual([b]);
    const cfg = parse(b);
    expect(cfg.users.map((u: { name: string }) => u.name)).toEqual([`datum-${ADA}`, "someone"]);
    expect(cfg.users[0].user.token).toBeUndefined();
    expect(cfg.users[0].user.exec.command).toBe(binary);
    expect(cfg.clusters[0].name).toBe("datum-project-web");
    expect(cfg["current-context"]).toBe("datum-project-web");
    expect(read(c)).toBe(cBefore);
  });

  test("an entry defined in a later file is updated there; current-context goes to the first file that sets one", async () => {
    const [a, b] = [join(home, "a"), join(home, "b")];
    const aText = "apiVersion: v1\nkind: Config\nclusters:\n- name: mine\n  cluster:\n    server: https://mine\n";
    const bText = `apiVersion: v1
kind: Config
clusters:
- name: datum-project-web
  cluster:
    server: https://stale.example
    proxy-url: http://proxy.example:3128
current-context: mine
`;
    writeFileSync(a, aText);
    writeFileSync(b, bText);
    const r = await update({ KUBECONFIG: `${a}:${b}` });
    expect(r.files.sort()).toEqual([a, b].sort());
    const ca = parse(a);
    const cb = parse(b);
    // The cluster was b's: replaced there, whole (an entry datumctl owns keeps no old field).
    expect(cb.clusters).toEqual([{ name: "datum-project-web", cluster: { server: WEB_SERVER, "certificate-authority-data": CA } }]);
    expect(cb["current-context"]).toBe("datum-project-web");
    expect(cb.users).toBeUndefined();
    // User and context were new: the first existing file.
    expect(ca.users.map((u: { name: string }) => u.name)).toEqual([`datum-${ADA}`]);
    expect(ca.contexts.map((c: { name: string }) => c.name)).toEqual(["datum-project-web"]);
    expect(ca["current-context"]).toBeUndefined();
    expect(read(a).startsWith(aText)).toBe(true);
  });

  test("no file sets current-context: it goes with the new entries", async () => {
    const [a, b] = [join(home, "a"), join(home, "b")];
    writeFileSync(a, "apiVersion: v1\nkind: Config\n");
    writeFileSync(b, "apiVersion: v1\nkind: Config\n");
    await update({ KUBECONFIG: `${a}:${b}` });
    expect(parse(a)["current-context"]).toBe("datum-project-web");
    expect(read(b)).toBe("apiVersion: v1\nkind: Config\n");
  });

  test("--kubeconfig wins over KUBECONFIG, whose files stay untouched", async () => {
    const a = join(home, "a");
    writeFileSync(a, "apiVersion: v1\nkind: Config\ncurrent-context: x\n");
    const kc = join(home, "explicit");
    const r = await update({ KUBECONFIG: a }, { kubeconfig: kc });
    expect(r.files).toEqual([kc]);
    expect(read(a)).toBe("apiVersion: v1\nkind: Config\ncurrent-context: x\n");
    expect(parse(kc)["current-context"]).toBe("datum-project-web");
  });
});

const RICH = `# Hand-written kubeconfig: keep these comments.
apiVersion: v1
kind: Config
preferences:
  colors: true   # aligned comment
  extensions:
    - name: prefs.example.com/theme
      extension: {theme: dark}
clusters:
  # Production, behind the VPN
  - name: prod
    cluster:
      server: "https://prod.example.com:6443"
      certificate-authority-data: QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=
      extensions:
        - name: client.authentication.k8s.io/exec
          extension: {audience: "https://prod", other: [1,2]}
  - name: datum-project-web   # an old Go datumctl entry
    cluster: {server: api.datum.test/apis/old, x-unknown: keep-me}
  - name: dev
    cluster: {server: 'https://dev:443', insecure-skip-tls-verify: true}
users:
- name: alice
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name,   prod]
- name: datum-user
  user:
    exec: {command: datumctl, args: [auth, get-token]}
contexts:
- context: {cluster: prod, user: alice, namespace: default}
  name: prod
current-context: prod  # where I work
x-vendor-field:
  nested: [a, b]
  literal: |
    two
    lines
`;

const RICH_AFTER = `# Hand-written kubeconfig: keep these comments.
apiVersion: v1
kind: Config
preferences:
  colors: true   # aligned comment
  extensions:
    - name: prefs.example.com/theme
      extension: {theme: dark}
clusters:
  # Production, behind the VPN
  - name: prod
    cluster:
      server: "https://prod.example.com:6443"
      certificate-authority-data: QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=
      extensions:
        - name: client.authentication.k8s.io/exec
          extension: {audience: "https://prod", other: [1,2]}
  - name: datum-project-web # an old Go datumctl entry
    cluster:
      server: ${WEB_SERVER}
      certificate-authority-data: ${CA}
  - name: dev
    cluster: {server: 'https://dev:443', insecure-skip-tls-verify: true}
users:
- name: alice
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name,   prod]
- name: datum-user
  user:
    exec: {command: datumctl, args: [auth, get-token]}
- name: datum-${ADA}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: BINARY
      args:
        - auth
        - get-token
        - --output=client.authentication.k8s.io/v1
        - --session=${ADA}
      interactiveMode: IfAvailable
      provideClusterInfo: false
      installHint: |-
${INSTALL_HINT.split("\n")
  .map((l) => `        ${l}`)
  .join("\n")}
contexts:
- context: {cluster: prod, user: alice, namespace: default}
  name: prod
- name: datum-project-web
  context:
    cluster: datum-project-web
    user: datum-${ADA}
current-context: datum-project-web  # where I work
x-vendor-field:
  nested: [a, b]
  literal: |
    two
    lines
`;

describe("editing in place", () => {
  test("comments, extensions, other entries, preferences and unknown fields stay byte-for-byte; our entries are replaced whole", async () => {
    const kc = join(home, "config");
    writeFileSync(kc, RICH);
    await update({}, { kubeconfig: kc });
    expect(read(kc)).toBe(RICH_AFTER.replace("BINARY", binary));
    // Running it again changes nothing, not even the file.
    const before = statSync(kc).mtimeMs;
    const again = await update({}, { kubeconfig: kc });
    expect(again.changed).toBe(false);
    expect(describeUpdate(again)).toStartWith(`${kc} already up to date: context datum-project-web`);
    expect(read(kc)).toBe(RICH_AFTER.replace("BINARY", binary));
    expect(statSync(kc).mtimeMs).toBe(before);
  });

  test("a second session adds its own user; the first one's entry stays", async () => {
    const kc = join(home, "config");
    await update({}, { kubeconfig: kc });
    await update({}, { kubeconfig: kc, session: BOB, scope: { kind: "project", id: "data" } });
    const cfg = parse(kc);
    expect(cfg.users.map((u: { name: string }) => u.name)).toEqual([`datum-${ADA}`, `datum-${BOB}`]);
    expect(cfg.users[0].user.exec.args.at(-1)).toBe(`--session=${ADA}`);
    expect(cfg.users[1].user.exec.args.at(-1)).toBe(`--session=${BOB}`);
    expect(cfg.contexts.map((c: { name: string; context: { user: string } }) => [c.name, c.context.user])).toEqual([
      ["datum-project-web", `datum-${ADA}`],
      ["datum-project-data", `datum-${BOB}`],
    ]);
    expect(cfg["current-context"]).toBe("datum-project-data");
    // logout can name both.
    expect(kubeconfigUsersOf({ HOME: home, KUBECONFIG: kc }, new Set([ADA, BOB])).map((u) => u.user)).toEqual([`datum-${ADA}`, `datum-${BOB}`]);
  });

  test("the file's mode and its directory's mode are kept", async () => {
    const dir = join(home, "shared");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const kc = join(dir, "config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\n");
    chmodSync(kc, 0o640);
    await update({}, { kubeconfig: kc });
    expect(mode(kc)).toBe(0o640);
    expect(mode(dir)).toBe(0o755);
    expect(parse(kc)["current-context"]).toBe("datum-project-web");
  });

  test("a symlinked kubeconfig stays a symlink; its target is updated", async () => {
    const target = join(home, "dotfiles-kubeconfig");
    writeFileSync(target, "apiVersion: v1\nkind: Config\n", { mode: 0o644 });
    chmodSync(target, 0o644);
    mkdirSync(join(home, ".kube"));
    const link = join(home, ".kube", "config");
    symlinkSync(target, link);
    await update();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(parse(target)["current-context"]).toBe("datum-project-web");
    expect(mode(target)).toBe(0o644);
  });

  test("Windows line endings stay Windows line endings; a JSON kubeconfig stays JSON", async () => {
    const crlf = join(home, "crlf");
    writeFileSync(crlf, "apiVersion: v1\r\nkind: Config\r\nclusters:\r\n- name: a\r\n  cluster:\r\n    server: https://a\r\ncurrent-context: a\r\n");
    await update({}, { kubeconfig: crlf });
    const text = read(crlf);
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    expect(text).toStartWith(
      "apiVersion: v1\r\nkind: Config\r\nclusters:\r\n- name: a\r\n  cluster:\r\n    server: https://a\r\n- name: datum-project-web\r\n",
    );
    expect(YAML.parse(text)["current-context"]).toBe("datum-project-web");

    const json = join(home, "json");
    writeFileSync(json, JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], "current-context": "" }, null, 2) + "\n");
    await update({}, { kubeconfig: json });
    const cfg = JSON.parse(read(json));
    expect(cfg.clusters[0].name).toBe("datum-project-web");
    expect(cfg["current-context"]).toBe("datum-project-web");
  });

  test("layouts the splicer does not take on are written whole, meaning the same plus the edits", async () => {
    for (const text of [
      "apiVersion: v1\nclusters:\n-\n  name: datum-project-web\n  cluster:\n    server: https://old\n# keep me\n",
      "{apiVersion: v1, kind: Config, clusters: [{name: other, cluster: {server: 'https://o'}}]}\n",
    ]) {
      const kc = join(home, "odd");
      writeFileSync(kc, text);
      await update({}, { kubeconfig: kc });
      const before = YAML.parse(text);
      const after = parse(kc);
      expect(after.clusters.map((c: { name: string }) => c.name)).toEqual(
        before.clusters
          .map((c: { name: string }) => c.name)
          .concat(before.clusters.some((c: { name: string }) => c.name === "datum-project-web") ? [] : ["datum-project-web"]),
      );
      expect(after.clusters.find((c: { name: string }) => c.name === "datum-project-web").cluster.server).toBe(WEB_SERVER);
      expect(after["current-context"]).toBe("datum-project-web");
      expect(after.apiVersion).toBe("v1");
      if (text.includes("# keep me")) expect(read(kc)).toContain("# keep me");
    }
  });

  test("kubectl's own shape (null lists, empty current-context) is filled in place", async () => {
    const kc = join(home, "config");
    const kubectlEmpty = 'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n';
    writeFileSync(kc, kubectlEmpty);
    await update({}, { kubeconfig: kc });
    const text = read(kc);
    expect(text).toStartWith("apiVersion: v1\nclusters:\n- name: datum-project-web\n");
    expect(text).toContain("\ncurrent-context: datum-project-web\nkind: Config\npreferences: {}\nusers:\n- name: datum-");
  });
});

describe("entries datumctl owns are replaced whole", () => {
  test("an old entry's certificate-authority path, client certificate, token, exec env and namespace do not survive", async () => {
    const kc = join(home, "config");
    const others = `- name: other
  user:
    client-certificate: /etc/other/client.crt
    client-key: /etc/other/client.key
`;
    writeFileSync(
      kc,
      `apiVersion: v1
kind: Config
clusters:
- name: datum-project-web  # from the Go datumctl
  cluster:
    server: https://old.example
    certificate-authority: /etc/datum/ca.crt
    proxy-url: http://proxy.example:3128
users:
${others}- name: datum-${ADA}
  user:
    client-certificate: /etc/datum/client.crt
    client-key: /etc/datum/client.key
    token: stale-token
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: /old/datumctl
      env:
      - name: DATUMCTL_DEBUG
        value: "1"
contexts:
- name: datum-project-web
  context:
    cluster: datum-project-web
    user: datum-${ADA}
    namespace: stale
`,
    );
    await update({}, { kubeconfig: kc });
    const cfg = parse(kc);
    expect(cfg.clusters).toEqual([{ name: "datum-project-web", cluster: { server: WEB_SERVER, "certificate-authority-data": CA } }]);
    expect(cfg.users[1]).toEqual({
      name: `datum-${ADA}`,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1",
          command: binary,
          args: ["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${ADA}`],
          interactiveMode: "IfAvailable",
          provideClusterInfo: false,
          installHint: INSTALL_HINT,
        },
      },
    });
    expect(cfg.contexts).toEqual([{ name: "datum-project-web", context: { cluster: "datum-project-web", user: `datum-${ADA}` } }]);
    // What is not ours is byte-for-byte as it was; the comment on our entry's name line stays.
    expect(read(kc)).toContain(`users:\n${others}- name: datum-${ADA}\n`);
    expect(read(kc)).toContain("- name: datum-project-web # from the Go datumctl\n  cluster:\n    server: https://");
  });
});

describe("anchors, aliases and merge keys (kubectl reads them)", () => {
  const anchored = (ours: string) => `apiVersion: v1
kind: Config
clusters:
- name: base
  cluster: &base
    server: https://base.example
    certificate-authority-data: QUJD
- name: staging
  cluster:
    <<: *base
    server: https://staging.example
- name: datum-project-web
  cluster: *base
users:
- name: shared
  user: &shared-user
    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/shared-plugin, interactiveMode: Never}
- name: copy
  user: *shared-user
${ours}contexts:
- name: prod
  context: &ctx {cluster: base, user: shared, namespace: team}
- name: datum-project-web
  context: *ctx
current-context: prod
x-backup: *ours
`;
  const ours = `- &ours
  name: datum-${ADA}
  user:
    exec: {command: /old/datumctl}
`;

  test("read and updated: aliased entries of ours are written out plainly, every other anchor and alias stays", async () => {
    const kc = join(home, "config");
    const text = anchored(ours);
    writeFileSync(kc, text);
    const before = YAML.parse(text, { merge: true });
    await update({}, { kubeconfig: kc });
    const after = read(kc);
    const cfg = YAML.parse(after, { merge: true });
    // Every entry that is not ours means what it meant, merge keys and aliases included.
    expect(cfg.clusters.slice(0, 2)).toEqual(before.clusters.slice(0, 2));
    expect(cfg.clusters[1].cluster).toEqual({ server: "https://staging.example", "certificate-authority-data": "QUJD" });
    expect(cfg.users.slice(0, 2)).toEqual(before.users.slice(0, 2));
    expect(cfg.contexts[0]).toEqual(before.contexts[0]);
    // x-backup pointed into the entry we replaced: it keeps the old value, now written plainly.
    expect(cfg["x-backup"]).toEqual({ name: `datum-${ADA}`, user: { exec: { command: "/old/datumctl" } } });
    // Ours are new and plain.
    expect(cfg.clusters[2]).toEqual({ name: "datum-project-web", cluster: { server: WEB_SERVER, "certificate-authority-data": CA } });
    expect(cfg.users[2].user.exec.command).toBe(binary);
    expect(cfg.contexts[1]).toEqual({ name: "datum-project-web", context: { cluster: "datum-project-web", user: `datum-${ADA}` } });
    expect(cfg["current-context"]).toBe("datum-project-web");
    // The other anchors and aliases are still there, as written.
    for (const line of [
      "  cluster: &base\n",
      "    <<: *base\n",
      "  user: &shared-user\n",
      "  user: *shared-user\n",
      "  context: &ctx {cluster: base, user: shared, namespace: team}\n",
    ]) {
      expect(after).toContain(line);
    }
    expect(after).not.toContain("&ours");
    expect(after).not.toContain("cluster: *base");
    expect(after).not.toContain("context: *ctx");
    // Again: nothing to change.
    const again = await update({}, { kubeconfig: kc });
    expect(again.changed).toBe(false);
    expect(read(kc)).toBe(after);
  });

  test("a section that is an alias gets its own plain copy; the list it pointed at is left alone", async () => {
    const kc = join(home, "config");
    const text = `apiVersion: v1
kind: Config
x-template-clusters: &tc
- name: shared
  cluster: {server: https://shared.example}
clusters: *tc
`;
    writeFileSync(kc, text);
    await update({}, { kubeconfig: kc });
    const after = read(kc);
    expect(after).toStartWith(
      "apiVersion: v1\nkind: Config\nx-template-clusters: &tc\n- name: shared\n  cluster: {server: https://shared.example}\nclusters:\n",
    );
    const cfg = YAML.parse(after);
    expect(cfg["x-template-clusters"]).toEqual([{ name: "shared", cluster: { server: "https://shared.example" } }]);
    expect(cfg.clusters.map((c: { name: string }) => c.name)).toEqual(["shared", "datum-project-web"]);
  });

  test("an entry of ours that is an alias is replaced by a plain entry; its anchor stays where it is", async () => {
    const kc = join(home, "config");
    const head =
      "apiVersion: v1\nkind: Config\nx-saved: [&web {name: datum-project-web, cluster: {server: https://old.example}}]\nclusters:\n- name: other\n  cluster: {server: https://other.example}\n";
    writeFileSync(kc, `${head}- *web\n`);
    await update({}, { kubeconfig: kc });
    const after = read(kc);
    expect(after).toStartWith(`${head}- name: datum-project-web\n  cluster:\n    server: ${WEB_SERVER}\n`);
    const cfg = YAML.parse(after);
    expect(cfg["x-saved"]).toEqual([{ name: "datum-project-web", cluster: { server: "https://old.example" } }]);
    expect(cfg.clusters.map((c: { name: string }) => c.name)).toEqual(["other", "datum-project-web"]);
  });
});

describe("corrupt kubeconfigs are refused and left alone", () => {
  const cases: [string, string][] = [
    ["bad YAML", "apiVersion: v1\nclusters: [\n  - name: x\n"],
    ["not a mapping", "- just\n- a list\n"],
    ["users is not a list", "apiVersion: v1\nusers: oops\n"],
    ["an entry is not a mapping", "apiVersion: v1\nclusters:\n- just-a-string\n"],
    ["duplicate keys", "apiVersion: v1\napiVersion: v2\n"],
  ];
  for (const [what, text] of cases) {
    test(what, async () => {
      const kc = join(home, "config");
      writeFileSync(kc, text);
      const err = await update({}, { kubeconfig: kc }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatumctlError);
      expect((err as DatumctlError).code).toBe("INVALID_INPUT");
      expect((err as DatumctlError).message).toStartWith(`${kc} is not a valid kubeconfig: `);
      expect(read(kc)).toBe(text);
      expect(existsSync(`${kc}.lock`)).toBe(false);
    });
  }

  test("a corrupt file elsewhere in KUBECONFIG stops the update too", async () => {
    const [a, b] = [join(home, "a"), join(home, "b")];
    writeFileSync(a, "apiVersion: v1\nkind: Config\n");
    writeFileSync(b, "clusters: {{{\n");
    const err = await update({ KUBECONFIG: `${a}:${b}` }).catch((e: unknown) => e);
    expect((err as DatumctlError).message).toContain(b);
    expect(read(a)).toBe("apiVersion: v1\nkind: Config\n");
  });
});

describe("kubectl's lock: <file>.lock", () => {
  test("a held lock makes the update fail with TIMEOUT naming the lock; nothing is written", async () => {
    const kc = join(home, "config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\n");
    mkdirSync(`${kc}.lock`);
    const err = await update({}, { kubeconfig: kc, lock: { waitMs: 300 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatumctlError);
    expect((err as DatumctlError).code).toBe("TIMEOUT");
    expect((err as DatumctlError).message).toBe(`timed out waiting for ${kc}.lock: another program is editing ${kc}`);
    expect(read(kc)).toBe("apiVersion: v1\nkind: Config\n");
    expect(io.stderr).toContain(`Waiting for ${kc}.lock`);
  });

  test("the update waits for kubectl's lock file and goes ahead once it is gone", async () => {
    const kc = join(home, "config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\n");
    writeFileSync(`${kc}.lock`, "");
    let waiting!: () => void;
    const sawWait = new Promise<void>((r) => (waiting = r));
    const running = update({}, { kubeconfig: kc, lock: { onWait: () => waiting() } });
    await sawWait;
    expect(read(kc)).toBe("apiVersion: v1\nkind: Config\n");
    rmSync(`${kc}.lock`);
    const r = await running;
    expect(r.changed).toBe(true);
    expect(parse(kc)["current-context"]).toBe("datum-project-web");
    expect(existsSync(`${kc}.lock`)).toBe(false);
  });
});

describe("stale locks", () => {
  test("a lock directory left by a datumctl that died is taken over", async () => {
    const kc = join(home, "config");
    mkdirSync(`${kc}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${kc}.lock`, old, old);
    const r = await update({}, { kubeconfig: kc, lock: { waitMs: 300 } });
    expect(r.changed).toBe(true);
    expect(existsSync(`${kc}.lock`)).toBe(false);
  });

  test("an old lock file left by kubectl is never broken: kubectl does not expire its own either", async () => {
    const kc = join(home, "config");
    writeFileSync(`${kc}.lock`, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${kc}.lock`, old, old);
    const err = await update({}, { kubeconfig: kc, lock: { waitMs: 200 } }).catch((e: unknown) => e);
    expect((err as DatumctlError).code).toBe("TIMEOUT");
    expect((err as DatumctlError).hint).toBe(`If no kubectl or datumctl is running, remove ${kc}.lock and try again.`);
    expect(existsSync(kc)).toBe(false);
  });
});

describe("the exec command", () => {
  const env = () => ({ HOME: home, PATH: `${join(home, "bin")}:/usr/bin:/bin` });

  test("a symlink is written as the symlink, not its target; a bare name as its PATH entry", async () => {
    mkdirSync(join(home, "bin"));
    symlinkSync(binary, join(home, "bin", "datumctl"));
    const link = join(home, "bin", "datumctl");
    expect(execCommand(env(), compiled(link))).toEqual({ command: link });
    expect(execCommand(env(), compiled("./bin/datumctl"))).toEqual({ command: link });
    expect(execCommand(env(), compiled("datumctl"))).toEqual({ command: link });
  });

  test("a Homebrew Cellar path is swapped for the stable PATH entry", async () => {
    const keg = join(home, "Cellar", "datumctl", "0.19.0", "bin");
    mkdirSync(keg, { recursive: true });
    writeFileSync(join(keg, "datumctl"), "#!/bin/sh\n", { mode: 0o755 });
    mkdirSync(join(home, "bin"));
    symlinkSync(join(keg, "datumctl"), join(home, "bin", "datumctl"));
    const inv = { argv0: join(keg, "datumctl"), execPath: join(keg, "datumctl"), main: "/$bunfs/root/datumctl", cwd: home };
    expect(execCommand(env(), inv)).toEqual({ command: join(home, "bin", "datumctl") });
    // Nothing stable on PATH: the keg path, with a warning.
    const alone = execCommand({ HOME: home, PATH: "/usr/bin" }, inv);
    expect(alone.command).toBe(join(keg, "datumctl"));
    expect(alone.warning).toContain("brew upgrade");
  });

  test("an argv[0] that is not this binary falls back to the executable, with a warning", () => {
    const r = execCommand(env(), compiled("something-else"));
    expect(r.command).toBe(realpathSync(binary));
    expect(r.warning).toContain(`argv[0] is "something-else"`);
  });

  test("run from source under Bun: refused without --exec-command, which is then used", () => {
    const fromSource: Invocation = { argv0: "bun", execPath: process.execPath, main: join(import.meta.dir, "..", "src", "entry.ts"), cwd: home };
    let err: unknown;
    try {
      execCommand(env(), fromSource);
    } catch (e) {
      err = e;
    }
    expect((err as DatumctlError).code).toBe("INVALID_INPUT");
    expect((err as DatumctlError).hint).toContain("--exec-command");
    expect(execCommand(env(), fromSource, binary)).toEqual({ command: binary });
    expect(execCommand(env(), fromSource, "opt/datumctl")).toEqual({ command: binary });
    expect(() => execCommand(env(), fromSource, join(home, "missing"))).toThrow("--exec-command");
  });
});
