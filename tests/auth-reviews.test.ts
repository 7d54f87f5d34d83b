// `datumctl auth whoami` and `datumctl auth can-i` through the built binary, signed in with the
// browser flow against the local IdP and control plane, checked against what the real kubectl
// prints for the same user and control plane (a static-token kubeconfig). Also the pure parts
// in-process: --list ordering, TYPE resolution, and whoami's version fallback.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiClient } from "../src/api/client";
import { DatumctlError } from "../src/errors";
import { renderRules } from "../src/reviews/rules";
import { renderUserInfo, selfSubjectReview } from "../src/reviews/self-subject-review";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

type User = "ada" | "bob";

const kubectl = await findKubectl();
/** Comparisons with the real kubectl; skipped visibly (findKubectl warned) when there is none outside CI. */
const vsKubectl = kubectl ? test : test.skip;

let datum: LocalDatum;
let kubeDir: string;
const sessions = {} as Record<User, Sandbox>;
const tokens = {} as Record<User, string>;

beforeAll(async () => {
  datum = await startLocalDatum();
  kubeDir = mkdtempSync(join(tmpdir(), "datumctl-reviews-kube-"));
  for (const user of ["ada", "bob"] as const) {
    sessions[user] = sandbox();
    await datum.signIn(sessions[user], user);
    tokens[user] = await datum.idp.mintAccessToken(user);
  }
}, 30_000);

afterAll(async () => {
  for (const sb of Object.values(sessions)) sb?.cleanup();
  await datum?.close();
  if (kubeDir) rmSync(kubeDir, { recursive: true, force: true });
});

/** datumctl as a signed-in user (current context acme/web). */
function dc(user: User, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return sessions[user].run(args, { env });
}

type Plane = "web" | "data" | "acme";
const planePath = (plane: Plane) => (plane === "acme" ? datum.api.orgPath("acme") : datum.api.projectPath(plane));

/** The real kubectl as the same user against the same control plane, its own HOME and caches. */
async function kc(user: User, plane: Plane, args: string[]): Promise<RunResult> {
  const path = join(kubeDir, `${user}-${plane}.yaml`);
  writeFileSync(path, datum.tokenKubeconfig(planePath(plane), user, tokens[user]));
  const proc = Bun.spawn([kubectl!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: kubeDir, KUBECONFIG: path, KUBECACHEDIR: `${path}.cache` },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

/** The datumctl scope flags that reach the plane kubectl's kubeconfig points at. */
const scopeFlags = (plane: Plane) => (plane === "web" ? [] : plane === "acme" ? ["--organization", "acme"] : ["--project", plane]);

/** Runs `auth <args>` through both and expects the same exit code, stdout and stderr. */
async function expectSameAsKubectl(user: User, plane: Plane, args: string[]): Promise<RunResult> {
  const [ours, theirs] = await Promise.all([dc(user, ["auth", ...args, ...scopeFlags(plane)]), kc(user, plane, ["auth", ...args])]);
  const shown = (r: RunResult) => ({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr.replaceAll("datumctl", "kubectl") });
  expect({ args, ...shown(ours) }).toEqual({ args, ...shown(theirs) });
  return ours;
}

/** The review bodies datumctl sent since the last clearRequests(), by kind. */
function sentReviews(kind: "selfsubjectaccessreviews" | "selfsubjectrulesreviews" | "selfsubjectreviews") {
  return datum.api.requests.filter((r) => r.method === "POST" && r.path.endsWith(`/${kind}`)).map((r) => ({ path: r.path, body: JSON.parse(r.body) }));
}

async function accessReview(user: User, args: string[]) {
  datum.api.clearRequests();
  const r = await dc(user, ["auth", "can-i", ...args]);
  const sent = sentReviews("selfsubjectaccessreviews");
  expect(sent.length).toBe(1);
  return { r, spec: sent[0]!.body.spec, path: sent[0]!.path };
}

describe("auth whoami", () => {
  test("kubectl's ATTRIBUTE/VALUE table from a SelfSubjectReview at the current context's control plane", async () => {
    datum.api.clearRequests();
    const r = await dc("ada", ["auth", "whoami"]);
    expect(r).toEqual({
      exitCode: 0,
      stdout: "ATTRIBUTE   VALUE\nUsername    ada@example.com\nUID         ada\nGroups      [system:authenticated]\n",
      stderr: "",
    });
    expect(sentReviews("selfsubjectreviews").map((s) => s.path)).toEqual([`${datum.api.projectPath("web")}/apis/authentication.k8s.io/v1/selfsubjectreviews`]);
  });

  test("-o json and -o yaml print the review object as kubectl does", async () => {
    const json = await dc("ada", ["auth", "whoami", "-o", "json"]);
    expect(json.exitCode).toBe(0);
    expect(json.stdout).toBe(
      JSON.stringify(
        {
          kind: "SelfSubjectReview",
          apiVersion: "authentication.k8s.io/v1",
          metadata: { creationTimestamp: null },
          status: { userInfo: { username: "ada@example.com", uid: "ada", groups: ["system:authenticated"] } },
        },
        null,
        4,
      ) + "\n",
    );
    const yaml = await dc("bob", ["auth", "whoami", "-o=yaml"]);
    expect(yaml.stdout).toBe(
      "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: null\nstatus:\n  userInfo:\n    groups:\n    - system:authenticated\n    uid: bob\n    username: bob@example.com\n",
    );
  });

  vsKubectl(
    "byte for byte what kubectl auth whoami prints: table, json, yaml",
    async () => {
      for (const args of [["whoami"], ["whoami", "-o", "json"], ["whoami", "-o", "yaml"]]) {
        await expectSameAsKubectl("ada", "web", args);
        await expectSameAsKubectl("bob", "acme", args);
      }
    },
    30_000,
  );

  test("an output format it cannot print is refused before any request", async () => {
    datum.api.clearRequests();
    const r = await dc("ada", ["auth", "whoami", "-o", "wide"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('error: unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml\n');
    expect(datum.api.requests).toEqual([]);
  });

  test("with no session: AUTH_REQUIRED, nothing on stdout", async () => {
    const fresh = sandbox();
    try {
      const human = await fresh.run(["auth", "whoami"]);
      expect(human).toEqual({ exitCode: 1, stdout: "", stderr: "error: not signed in\nRun 'datumctl login' to sign in.\n" });
      const json = await fresh.run(["auth", "whoami", "--error-format", "json"]);
      expect(json.exitCode).toBe(1);
      expect(JSON.parse(json.stderr).error.code).toBe("AUTH_REQUIRED");
      const canI = await fresh.run(["auth", "can-i", "get", "dnszones", "--error-format=json"]);
      expect(canI.exitCode).toBe(1);
      expect(JSON.parse(canI.stderr).error.code).toBe("AUTH_REQUIRED");
    } finally {
      fresh.cleanup();
    }
  });
});

describe("no kubeconfig involved (W-10)", () => {
  test("whoami and can-i work with KUBECONFIG pointing nowhere, and never create ~/.kube", async () => {
    const sb = sessions.bob;
    const env = { KUBECONFIG: join(sb.home, "missing", "kubeconfig") };
    expect((await dc("bob", ["auth", "whoami"], env)).stdout).toContain("bob@example.com");
    expect((await dc("bob", ["auth", "can-i", "list", "dnszones"], env)).stdout).toBe("yes\n");
    expect((await dc("bob", ["auth", "can-i", "--list"], env)).exitCode).toBe(0);
    expect(existsSync(join(sb.home, ".kube"))).toBe(false);
    expect(existsSync(env.KUBECONFIG)).toBe(false);
  });
});

describe("auth can-i", () => {
  test("the owner may delete, the viewer may list but not delete: yes exits 0, no exits 1", async () => {
    expect(await dc("ada", ["auth", "can-i", "delete", "dnszones"])).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(await dc("ada", ["auth", "can-i", "create", "dnsrecordsets"])).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(await dc("bob", ["auth", "can-i", "list", "dnszones"])).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(await dc("bob", ["auth", "can-i", "delete", "dnszones"])).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
    expect(await dc("bob", ["auth", "can-i", "create", "dnsrecordsets"])).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
  });

  test("-q prints nothing and answers with the exit code alone", async () => {
    expect(await dc("ada", ["auth", "can-i", "-q", "delete", "dnszones"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await dc("bob", ["auth", "can-i", "delete", "dnszones", "--quiet"])).toEqual({ exitCode: 1, stdout: "", stderr: "" });
    // Warnings still go to stderr, as kubectl's do.
    expect(await dc("bob", ["auth", "can-i", "-q", "frob", "dnszones"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "Warning: verb 'frob' is not a known verb\n\n",
    });
  });

  test("the review asks about the resolved group and plural in the context's namespace", async () => {
    const { r, spec, path } = await accessReview("bob", ["delete", "dnszones"]);
    expect(r.exitCode).toBe(1);
    expect(path).toBe(`${datum.api.projectPath("web")}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);
    expect(spec).toEqual({ resourceAttributes: { namespace: "default", verb: "delete", group: "dns.networking.miloapis.com", resource: "dnszones" } });
  });

  test("TYPE/NAME (or a separate NAME) and --subresource reach the review", async () => {
    const named = await accessReview("bob", ["delete", "dnszones/example-com"]);
    expect(named.r).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
    expect(named.spec.resourceAttributes).toEqual({
      namespace: "default",
      verb: "delete",
      group: "dns.networking.miloapis.com",
      resource: "dnszones",
      name: "example-com",
    });

    const separate = await accessReview("ada", ["get", "dnszone", "example-com"]);
    expect(separate.r.stdout).toBe("yes\n");
    expect(separate.spec.resourceAttributes.name).toBe("example-com");

    const sub = await accessReview("bob", ["update", "dnszones/example-com", "--subresource", "status"]);
    expect(sub.r).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
    expect(sub.spec.resourceAttributes).toEqual({
      namespace: "default",
      verb: "update",
      group: "dns.networking.miloapis.com",
      resource: "dnszones",
      subresource: "status",
      name: "example-com",
    });

    const subYes = await accessReview("ada", ["update", "dnszones", "--subresource=status"]);
    expect(subYes.r.stdout).toBe("yes\n");
  });

  test("TYPE resolves by plural, singular, short name, kind, resource.group, resource.version.group and group prefix", async () => {
    const cases: [string, string, string][] = [
      ["dnszones", "dns.networking.miloapis.com", "dnszones"],
      ["dnszone", "dns.networking.miloapis.com", "dnszones"],
      ["DNSZone", "dns.networking.miloapis.com", "dnszones"],
      ["DNSZones.DNS.networking.miloapis.com", "dns.networking.miloapis.com", "dnszones"],
      ["dnszones.v1alpha1.dns.networking.miloapis.com", "dns.networking.miloapis.com", "dnszones"],
      ["ev", "", "events"],
      ["events", "", "events"],
      ["Event", "", "events"],
      ["events.events.k8s.io", "events.k8s.io", "events"],
      ["ev.events", "events.k8s.io", "events"],
    ];
    for (const [type, group, resource] of cases) {
      const { r, spec } = await accessReview("bob", ["list", type]);
      expect({ type, stdout: r.stdout, stderr: r.stderr }).toEqual({ type, stdout: "yes\n", stderr: "" });
      expect({ type, group: spec.resourceAttributes.group ?? "", resource: spec.resourceAttributes.resource }).toEqual({ type, group, resource });
    }
  }, 20_000);

  test("an unknown resource type: kubectl's warning, and the question is still asked as typed", async () => {
    const plain = await accessReview("bob", ["get", "Foos"]);
    expect(plain.r).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "Warning: the server doesn't have a resource type 'foos'\n\n" });
    expect(plain.spec.resourceAttributes).toEqual({ namespace: "default", verb: "get", resource: "Foos" });
    const grouped = await accessReview("bob", ["delete", "foos.example.com/x"]);
    expect(grouped.r).toEqual({ exitCode: 1, stdout: "no\n", stderr: "Warning: the server doesn't have a resource type 'foos' in group 'example.com'\n\n" });
    expect(grouped.spec.resourceAttributes).toEqual({ namespace: "default", verb: "delete", resource: "foos.example.com", name: "x" });
    // Impersonation targets are never in discovery; kubectl does not warn about them.
    expect((await dc("ada", ["auth", "can-i", "impersonate", "users"])).stderr).toBe("");
  });

  test("'*' means every resource and is not looked up", async () => {
    datum.api.clearRequests();
    const { r, spec } = await accessReview("ada", ["*", "*"]);
    expect(r).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(spec.resourceAttributes).toEqual({ namespace: "default", verb: "*", resource: "*" });
    expect(datum.api.requests.some((q) => q.path.endsWith("/apis") || q.path.endsWith("/api"))).toBe(false);
  });

  test("a non-resource URL is asked as nonResourceAttributes", async () => {
    const get = await accessReview("bob", ["get", "/healthz"]);
    expect(get.r).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(get.spec).toEqual({ nonResourceAttributes: { path: "/healthz", verb: "get" } });
    const post = await accessReview("bob", ["post", "/healthz"]);
    expect(post.r).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
    const odd = await accessReview("bob", ["frob", "/healthz"]);
    expect(odd.r).toEqual({ exitCode: 1, stdout: "no\n", stderr: "Warning: verb 'frob' is not a known verb\n\n" });
  });

  test("-n picks the namespace, -A asks for all; cluster-scoped types warn unless -A", async () => {
    expect((await accessReview("bob", ["list", "dnszones", "-n", "team-a"])).spec.resourceAttributes.namespace).toBe("team-a");
    const all = await accessReview("bob", ["list", "dnszones", "-A"]);
    expect(all.spec.resourceAttributes.namespace).toBeUndefined();
    const projects = await accessReview("ada", ["get", "projects", "--organization", "acme"]);
    expect(projects.r).toEqual({
      exitCode: 0,
      stdout: "yes\n",
      stderr: "Warning: resource 'projects' is not namespace scoped in group 'resourcemanager.miloapis.com'\n\n",
    });
    const projectsAll = await accessReview("ada", ["get", "projects", "--organization", "acme", "--all-namespaces"]);
    expect(projectsAll.r).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
  });

  test("scope flags reach the right control plane", async () => {
    const data = await accessReview("ada", ["create", "dnszones", "--project", "data"]);
    expect(data.r.stdout).toBe("yes\n");
    expect(data.path).toBe(`${datum.api.projectPath("data")}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);

    const org = await accessReview("bob", ["delete", "projects", "--organization", "acme", "-A"]);
    expect(org.r.stdout).toBe("no\n");
    expect(org.path).toBe(`${datum.api.orgPath("acme")}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);
    // Discovery came from the same control plane.
    expect(
      datum.api.requests
        .filter((q) => q.method === "GET" && /\/apis?$/.test(q.path))
        .map((q) => q.path)
        .sort(),
    ).toEqual([`${datum.api.orgPath("acme")}/api`, `${datum.api.orgPath("acme")}/apis`]);

    datum.api.clearRequests();
    expect((await dc("ada", ["auth", "whoami", "--project", "data"])).exitCode).toBe(0);
    expect(sentReviews("selfsubjectreviews").map((s) => s.path)).toEqual([`${datum.api.projectPath("data")}/apis/authentication.k8s.io/v1/selfsubjectreviews`]);

    datum.api.clearRequests();
    expect((await dc("bob", ["auth", "can-i", "--list", "--organization=acme"])).exitCode).toBe(0);
    expect(sentReviews("selfsubjectrulesreviews").map((s) => s.path)).toEqual([
      `${datum.api.orgPath("acme")}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`,
    ]);
  });

  test("an organization that has not finished onboarding is gated, as every scoped command is", async () => {
    datum.api.clearRequests();
    const r = await dc("ada", ["auth", "can-i", "get", "dnszones", "--organization", "globex", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr).error.code).toBe("ONBOARDING_INCOMPLETE");
    expect(sentReviews("selfsubjectaccessreviews")).toEqual([]);
  });

  test("argument errors in kubectl's words, before any request", async () => {
    const usage = "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'datumctl auth can-i -h' for help and examples.\n";
    const cases: [string[], string][] = [
      [[], usage],
      [["get"], usage],
      [["get", "dnszones", "a", "b"], usage],
      [["get", "dnszones/a", "b"], usage],
      [["--list", "get"], "error: list option must be specified with no arguments\n"],
      [["--list", "-q"], "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n"],
      [["--list", "-A"], "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n"],
      [["--list", "--subresource", "status"], "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n"],
    ];
    datum.api.clearRequests();
    for (const [args, stderr] of cases) {
      expect({ args, ...(await dc("bob", ["auth", "can-i", ...args])) }).toEqual({ args, exitCode: 1, stdout: "", stderr });
    }
    expect(datum.api.requests).toEqual([]);
    // These need the question resolved first, as in kubectl; nothing is asked.
    expect(await dc("bob", ["auth", "can-i", "get", "dnszones", "--no-headers"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "error: --no-headers cannot be set without --list specified\n",
    });
    expect(await dc("bob", ["auth", "can-i", "get", "/healthz", "--subresource", "x"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "error: --subresource can not be used with NonResourceURL\n",
    });
    expect(await dc("bob", ["auth", "can-i", "get", "/healthz", "x"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "error: NonResourceURL and ResourceName can not specified together\n",
    });
    expect(sentReviews("selfsubjectaccessreviews")).toEqual([]);
  });

  vsKubectl(
    "the same answers, warnings, errors and exit codes as kubectl",
    async () => {
      const cases: [User, Plane, string[]][] = [
        ["ada", "web", ["create", "dnszones"]],
        ["bob", "web", ["delete", "dnszones"]],
        ["bob", "web", ["delete", "dnszones/example-com"]],
        ["bob", "web", ["update", "dnszones", "--subresource", "status"]],
        ["bob", "web", ["-q", "delete", "dnszones"]],
        ["bob", "web", ["get", "foos"]],
        ["bob", "web", ["get", "Foo/Bar"]],
        ["bob", "web", ["get", "foos.bar"]],
        ["bob", "web", ["frob", "dnszones"]],
        ["bob", "web", ["frob", "dnszones", "-A"]],
        ["bob", "web", ["frob", "foos"]],
        ["bob", "web", ["get", "DNSZone"]],
        ["bob", "web", ["list", "ev.events"]],
        ["bob", "web", ["get", "*"]],
        ["ada", "web", ["*", "*"]],
        ["ada", "web", ["impersonate", "users"]],
        ["bob", "web", ["get", "/healthz"]],
        ["bob", "web", ["post", "/healthz"]],
        ["bob", "web", ["frob", "/healthz"]],
        ["ada", "acme", ["get", "projects"]],
        ["bob", "acme", ["delete", "projects", "-A"]],
        ["bob", "data", ["watch", "dnsrecordsets", "-n", "other"]],
        ["bob", "web", []],
        ["bob", "web", ["--list", "get"]],
        ["bob", "web", ["--list", "-q"]],
        ["bob", "web", ["get", "dnszones", "--no-headers"]],
        ["bob", "web", ["get", "/healthz", "--subresource", "x"]],
      ];
      for (const [user, plane, args] of cases) await expectSameAsKubectl(user, plane, ["can-i", ...args]);
    },
    60_000,
  );
});

describe("auth can-i --list", () => {
  test("the viewer's rules as kubectl's table; --no-headers leaves out the header; -n is the rules review's namespace", async () => {
    datum.api.clearRequests();
    const r = await dc("bob", ["auth", "can-i", "--list"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Resources                                       Non-Resource URLs   Resource Names   Verbs");
    expect(lines).toContain("dnszones.dns.networking.miloapis.com            []                  []               [get list watch]");
    expect(lines).toContain("                                                [/healthz]          []               [get]");
    expect(sentReviews("selfsubjectrulesreviews").map((s) => s.body.spec)).toEqual([{ namespace: "default" }]);

    const bare = await dc("bob", ["auth", "can-i", "--list", "--no-headers"]);
    expect(bare.stdout.split("\n")[0]).toStartWith("selfsubjectreviews.authentication.k8s.io ");
    expect(bare.stdout.split("\n").length).toBe(lines.length - 1);

    datum.api.clearRequests();
    await dc("bob", ["auth", "can-i", "--list", "-n", "team-a"]);
    expect(sentReviews("selfsubjectrulesreviews").map((s) => s.body.spec)).toEqual([{ namespace: "team-a" }]);
  });

  vsKubectl(
    "byte for byte what kubectl prints, for the viewer and the owner",
    async () => {
      await expectSameAsKubectl("bob", "web", ["can-i", "--list"]);
      await expectSameAsKubectl("bob", "web", ["can-i", "--list", "--no-headers"]);
      await expectSameAsKubectl("ada", "web", ["can-i", "--list"]);
      await expectSameAsKubectl("ada", "acme", ["can-i", "--list", "-n", "default"]);
    },
    30_000,
  );

  test("rules are broken down, merged per resource and name, and sorted as kubectl sorts them", () => {
    const out = renderRules(
      {
        resourceRules: [
          { verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments", "deployments/scale"], resourceNames: ["a", "b"] },
          { verbs: ["watch"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["a"] },
          { verbs: ["get"], apiGroups: [""], resources: ["pods", "pods/log"] },
          { verbs: ["list", "get"], apiGroups: [""], resources: ["pods"] },
        ],
        nonResourceRules: [{ verbs: ["get", "post"], nonResourceURLs: ["/b", "/a"] }],
      },
      true,
    );
    const row = (res: string, urls: string, names: string, verbs: string) => `${res.padEnd(25)}${urls.padEnd(20)}${names.padEnd(17)}${verbs}\n`;
    expect(out).toBe(
      [
        row("Resources", "Non-Resource URLs", "Resource Names", "Verbs"),
        row("deployments.apps", "[]", "[a]", "[get list watch]"),
        row("pods", "[]", "[]", "[get list]"),
        row("deployments.apps/scale", "[]", "[a]", "[get list]"),
        row("deployments.apps/scale", "[]", "[b]", "[get list]"),
        row("deployments.apps", "[]", "[b]", "[get list]"),
        row("", "[/a]", "[]", "[get]"),
        row("", "[/b]", "[]", "[get]"),
        row("pods/log", "[]", "[]", "[get]"),
        row("", "[/a]", "[]", "[post]"),
        row("", "[/b]", "[]", "[post]"),
      ].join(""),
    );
    expect(renderRules({}, false)).toBe("");
  });
});

describe("in-process pieces", () => {
  test("whoami's table lists only what is set, extras sorted by key", () => {
    const row = (attribute: string, value: string) => `${attribute.padEnd(26)}${value}\n`;
    expect(renderUserInfo({ username: "u", extra: { "z.example/scopes": ["a", "b"], "a.example/id": ["1"] } })).toBe(
      row("ATTRIBUTE", "VALUE") + row("Username", "u") + row("Extra: a.example/id", "[1]") + row("Extra: z.example/scopes", "[a b]"),
    );
  });

  /** An ApiClient stand-in answering each path with a status and body. */
  function fakeClient(answers: Record<string, [number, unknown]>): { client: ApiClient; asked: string[] } {
    const asked: string[] = [];
    const client = {
      async call(path: string, opts: { allow?: number[] }) {
        asked.push(path);
        const [status, body] = answers[path] ?? [404, { kind: "Status", reason: "NotFound", message: "not found", code: 404 }];
        if (status >= 400 && !opts.allow?.includes(status)) {
          throw new DatumctlError(String((body as { message?: string }).message), { code: status === 403 ? "FORBIDDEN" : "NOT_FOUND" });
        }
        return Response.json(body, { status });
      },
    } as unknown as ApiClient;
    return { client, asked };
  }

  test("whoami falls back to v1beta1, then v1alpha1, on 404; kubectl's errors when none is served or it is forbidden", async () => {
    const beta = fakeClient({ "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews": [201, { status: { userInfo: { username: "u", groups: ["g"] } } }] });
    const review = await selfSubjectReview(beta.client);
    expect(beta.asked).toEqual(["/apis/authentication.k8s.io/v1/selfsubjectreviews", "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews"]);
    expect(review).toEqual({
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1beta1",
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: "u", groups: ["g"] } },
    });

    const none = fakeClient({});
    const err = await selfSubjectReview(none.client).catch((e) => e);
    expect(none.asked.length).toBe(3);
    expect(err).toBeInstanceOf(DatumctlError);
    expect(err.message).toStartWith("the selfsubjectreviews API is not enabled in the cluster\n");

    const forbidden = fakeClient({ "/apis/authentication.k8s.io/v1/selfsubjectreviews": [403, { message: "forbidden" }] });
    const denied = await selfSubjectReview(forbidden.client).catch((e) => e);
    expect(denied.code).toBe("FORBIDDEN");
    expect(denied.message).toBe("the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it");
  });
});
