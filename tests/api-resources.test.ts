// `api-resources` and `api-versions` through the built binary, signed in against the local
// Datum Cloud, compared byte for byte with the real kubectl's output against the same control
// planes (project, organization, user, platform); the discovery cache on disk.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scopedClient } from "../src/resources/scoped";
import { DEFAULT_GLOBALS } from "../src/cli/globals";
import { discover, resolveResource } from "../src/discovery/index";
import { DatumctlError } from "../src/errors";
import { captureIO } from "../src/io";
import { HEADLESS_BROWSER } from "./support/browser";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

// Each test runs the binary (and kubectl) a few times; a loaded machine needs more than bun's 5 s.
setDefaultTimeout(30_000);

const kubectl = await findKubectl();

let datum: LocalDatum;
/** Signed in with the acme/web context (project scope; --organization / --platform-wide reach the others). */
let sb: Sandbox;
/** Signed in with no context: the user's own control plane. */
let userSb: Sandbox;
let dir: string;
let token: string;

beforeAll(async () => {
  datum = await startLocalDatum();
  datum.api.platformAdmins.add("ada");
  dir = mkdtempSync(join(tmpdir(), "datumctl-api-resources-"));
  sb = sandbox();
  userSb = sandbox();
  const login = { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } };
  const [a, b] = await Promise.all([sb.run(datum.loginArgs("--context", "acme/web"), login), userSb.run(datum.loginArgs(), login)]);
  expect(a.exitCode).toBe(0);
  expect(b.exitCode).toBe(0);
  token = await datum.idp.mintAccessToken("ada");
}, 30_000);
afterAll(async () => {
  sb?.cleanup();
  userSb?.cleanup();
  await datum?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Plane {
  name: string;
  sandbox: () => Sandbox;
  /** Flags that select the plane for datumctl. */
  flags: string[];
  /** The plane's path under the API server, for kubectl. */
  path: () => string;
  cacheName: string;
}

const PLANES: Plane[] = [
  { name: "project", sandbox: () => sb, flags: [], path: () => datum.api.projectPath("web"), cacheName: "project-web.json" },
  { name: "organization", sandbox: () => sb, flags: ["--organization", "acme"], path: () => datum.api.orgPath("acme"), cacheName: "organization-acme.json" },
  { name: "user", sandbox: () => userSb, flags: [], path: () => datum.api.userPath("ada"), cacheName: "user-ada.json" },
  { name: "platform", sandbox: () => sb, flags: ["--platform-wide"], path: () => "", cacheName: "platform.json" },
];

const FORMS: string[][] = [
  [],
  ["-o", "wide"],
  ["-o", "name"],
  ["--sort-by=name"],
  ["--sort-by", "kind", "-o", "wide"],
  ["--namespaced=true"],
  ["--namespaced=false", "--no-headers"],
  ["--api-group="],
  ["--api-group", "resourcemanager.miloapis.com", "-o", "wide"],
  ["--verbs=get,list"],
  ["--verbs", "create", "--verbs", "get", "--no-headers"],
  ["--categories=datum", "-o", "wide"],
  ["--namespaced", "--sort-by=kind", "-o", "name"],
  ["--cached"],
];

/** A static-token kubeconfig for one plane, with its own discovery cache. */
function kubeconfigFor(plane: Plane): string {
  const path = join(dir, `${plane.name}.yaml`);
  writeFileSync(path, datum.tokenKubeconfig(plane.path(), "ada", token));
  return path;
}

async function k(plane: Plane, args: string[]): Promise<RunResult> {
  const kubeconfig = kubeconfigFor(plane);
  const proc = Bun.spawn([kubectl!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: `${kubeconfig}.cache` },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

const d = (plane: Plane, args: string[]) => plane.sandbox().run([...args, ...plane.flags]);
const discoveryRequests = () =>
  datum.api.requests.filter((r) => r.planePath === "/api" || r.planePath === "/apis" || /^\/apis?\/[^/]+(\/[^/]+)?$/.test(r.planePath));

describe("byte for byte with kubectl", () => {
  if (!kubectl) {
    test.skip("kubectl comparisons (no kubectl found; see the warning above)", () => {});
    return;
  }
  for (const plane of PLANES) {
    for (const form of FORMS) {
      test(`${plane.name} control plane: api-resources ${form.join(" ")}`, async () => {
        const [ours, theirs] = await Promise.all([d(plane, ["api-resources", ...form]), k(plane, ["api-resources", ...form])]);
        expect(theirs).toMatchObject({ exitCode: 0, stderr: "" });
        expect(ours).toEqual(theirs);
      });
    }

    test(`${plane.name} control plane: api-versions`, async () => {
      const [ours, theirs] = await Promise.all([d(plane, ["api-versions"]), k(plane, ["api-versions"])]);
      expect(theirs.exitCode).toBe(0);
      expect(ours).toEqual(theirs);
    });
  }
});

describe("api-resources without kubectl", () => {
  test("the project plane's table, as kubectl prints it", async () => {
    const r = await sb.run(["api-resources"]);
    expect(r.stdout).toBe(
      [
        "NAME                       SHORTNAMES   APIVERSION                             NAMESPACED   KIND",
        "events                     ev           v1                                     true         Event",
        "selfsubjectreviews                      authentication.k8s.io/v1               false        SelfSubjectReview",
        "selfsubjectaccessreviews                authorization.k8s.io/v1                false        SelfSubjectAccessReview",
        "selfsubjectrulesreviews                 authorization.k8s.io/v1                false        SelfSubjectRulesReview",
        "dnsrecordsets                           dns.networking.miloapis.com/v1alpha1   true         DNSRecordSet",
        "dnszones                                dns.networking.miloapis.com/v1alpha1   true         DNSZone",
        "events                     ev           events.k8s.io/v1                       true         Event",
        "",
      ].join("\n"),
    );
  });
});

describe("the discovery cache", () => {
  const project = PLANES[0]!;
  const file = () => join(sb.configDir, "cache", "discovery", new URL(datum.api.url).host.replace(":", "_"), project.cacheName);

  test("every run asks the server (two requests) and writes the cache, 0600; --cached asks nothing", async () => {
    datum.api.clearRequests();
    const fresh = await sb.run(["api-resources"]);
    expect(fresh.exitCode).toBe(0);
    // /api and /apis go out together; the order they arrive in is not ours to fix.
    expect(
      discoveryRequests()
        .map((r) => `${r.method} ${r.planePath} ${r.contentType}`)
        .sort(),
    ).toEqual([
      "GET /api application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
      "GET /apis application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    ]);
    // No onboarding check either: discovery reads no organization data.
    expect(datum.api.requests.length).toBe(2);
    const st = statSync(file());
    if (process.platform !== "win32") expect(st.mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file(), "utf8")).server).toBe(datum.api.url + project.path());

    datum.api.clearRequests();
    const cached = await sb.run(["api-resources", "--cached"]);
    expect(cached).toEqual(fresh);
    expect(discoveryRequests()).toEqual([]);
    expect(datum.api.requests).toEqual([]);
  });

  test("one file per scope, none with ':' in its name", async () => {
    for (const plane of PLANES) {
      expect((await d(plane, ["api-resources", "-o", "name"])).exitCode).toBe(0);
      const path = join(plane.sandbox().configDir, "cache", "discovery", new URL(datum.api.url).host.replace(":", "_"), plane.cacheName);
      expect(statSync(path).isFile()).toBe(true);
      expect(path.slice(plane.sandbox().configDir.length)).not.toContain(":");
    }
  });

  test("a corrupt cache file is warned about by name and replaced", async () => {
    const good = await sb.run(["api-resources"]);
    writeFileSync(file(), '{"format":1,"server":');
    datum.api.clearRequests();
    const r = await sb.run(["api-resources", "--cached"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toStartWith(`Warning: ignoring corrupt discovery cache ${file()} (`);
    expect(r.stdout).toBe(good.stdout);
    expect(discoveryRequests().length).toBe(2);
    expect(JSON.parse(readFileSync(file(), "utf8")).resources.length).toBeGreaterThan(0);
    datum.api.clearRequests();
    const again = await sb.run(["api-resources", "--cached"]);
    expect(again.stderr).toBe("");
    expect(discoveryRequests()).toEqual([]);
  });

  test("api-versions always asks the server and refreshes the cache", async () => {
    datum.api.clearRequests();
    const r = await sb.run(["api-versions"]);
    expect(r.stdout).toBe("authentication.k8s.io/v1\nauthorization.k8s.io/v1\ndns.networking.miloapis.com/v1alpha1\nevents.k8s.io/v1\nv1\n");
    expect(discoveryRequests().length).toBe(2);
  });

  test("resolveResource: a type missing from a fresh cache refreshes it once, in-process", async () => {
    const rt = { io: captureIO(), globals: DEFAULT_GLOBALS, env: sb.env, configDir: sb.configDir, serverWarnings: 0 };
    const scoped = await scopedClient(rt, { skipOnboarding: true });
    await discover(rt, scoped, { cached: false });
    const doc = JSON.parse(readFileSync(file(), "utf8"));
    doc.resources = doc.resources.filter((r: { resource: string }) => r.resource !== "dnsrecordsets");
    writeFileSync(file(), JSON.stringify(doc));

    datum.api.clearRequests();
    const rt2 = { ...rt, io: captureIO() };
    const [zones] = await resolveResource(rt2, scoped, "dnszones");
    expect(zones).toMatchObject({ group: "dns.networking.miloapis.com", version: "v1alpha1", resource: "dnszones", kind: "DNSZone", namespaced: true });
    expect(discoveryRequests()).toEqual([]);
    const [sets] = await resolveResource(rt2, scoped, "DNSRecordSet");
    expect(sets).toMatchObject({ resource: "dnsrecordsets", kind: "DNSRecordSet" });
    expect(discoveryRequests().length).toBe(2);
    expect(JSON.parse(readFileSync(file(), "utf8")).resources.some((r: { resource: string }) => r.resource === "dnsrecordsets")).toBe(true);

    const missing = await resolveResource(rt2, scoped, "networks").catch((e) => e);
    expect(missing).toBeInstanceOf(DatumctlError);
    expect(missing.message).toBe('the server doesn\'t have a resource type "networks"');
    // No second refresh of this plane (the error's hint may look at the user's other planes).
    expect(discoveryRequests().filter((r) => r.plane?.kind === "project" && r.plane.id === "web").length).toBe(2);
    const [ev] = await resolveResource(rt2, scoped, "ev");
    expect(ev).toMatchObject({ group: "", version: "v1", resource: "events" });
    expect(rt2.io.stderr).toBe('Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n');
  });
});

describe("errors and help", () => {
  test("unsupported -o and --sort-by, in kubectl's words", async () => {
    const o = await sb.run(["api-resources", "-o", "json"]);
    expect(o.exitCode).toBe(1);
    expect(o.stderr).toBe("error: --output json is not available\nUse -o wide or -o name.\n");
    const s = await sb.run(["api-resources", "--sort-by=age", "--error-format", "json"]);
    expect(s.exitCode).toBe(1);
    expect(JSON.parse(s.stderr).error).toMatchObject({ code: "INVALID_INPUT", message: "--sort-by accepts only name or kind" });
    const extra = await sb.run(["api-versions", "extra"]);
    expect(extra.exitCode).toBe(1);
  });

  test("a project that does not exist: the server's NotFound, not an empty table", async () => {
    const r = await sb.run(["api-resources", "--project", "nope"]);
    expect(r).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server (NotFound): projects.resourcemanager.miloapis.com "nope" not found\n' });
    const v = await sb.run(["api-versions", "--organization", "nope", "--error-format", "json"]);
    expect(JSON.parse(v.stderr).error.code).toBe("NOT_FOUND");
  });

  test("signed out: AUTH_REQUIRED", async () => {
    const fresh = sandbox();
    try {
      const r = await fresh.run(["api-resources", "--error-format", "json"]);
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stderr).error.code).toBe("AUTH_REQUIRED");
    } finally {
      fresh.cleanup();
    }
  });

  test("both commands are listed with the other commands", async () => {
    const r = await sb.run(["--help"]);
    expect(r.stdout).toMatch(
      /^Other Commands:\n(?:  .+\n)*  api-resources +Print the supported API resources on the server\n  api-versions +Print the supported API versions on the server, in the form of "group\/version"\n/m,
    );
  });
});
