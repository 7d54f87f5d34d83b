// Names that normalise away must never widen what a command touches (issue 12, class 1):
// `delete dnszone .` was a DELETE of every zone in the namespace, `-n ..` climbed to every
// namespace, `--project ""` fell back to the current context and `--project ..` left the scope
// path. Every verb that builds a resource URL runs here against the local Datum Cloud with
// decoy zones around, for every bad shape of a name (by argument and by manifest), a namespace
// (-n and metadata.namespace), and a scope (flags, variables, the context). Each run must:
//   - exit non-zero with kubectl's message: the real kubectl runs the same command on the same
//     server where it has the case (its words, `kubectl` read as `datumctl`; kubectl leaves
//     `error: ` off the few errors it collects into a list, our house style never does);
//   - leave every decoy as it was (same resourceVersion);
//   - send the server no write and no request for a resource path at all (discovery and the
//     onboarding check are not resource paths); a bad scope sends nothing whatsoever.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { controlPlanePath } from "../../src/resources/scope-urls";
import { resourcePath } from "../../src/resources/paths";
import { type RunResult, type Sandbox, sandbox } from "../support/cli";
import type { Obj } from "../support/control-plane/index";
import { findKubectl } from "../support/kubectl";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

const DNS = "dns.networking.miloapis.com/v1alpha1";
const kubectlPath = await findKubectl();

let datum: LocalDatum;
let sb: Sandbox;
let kubeconfig: string;
let configText: string;
let caseNo = 0;

/** Zones around the ones the commands name, in two namespaces and two projects, and the project itself. */
const DECOYS = [
  { project: "web", namespace: "default", name: "decoy-a" },
  { project: "web", namespace: "default", name: "decoy-b" },
  { project: "web", namespace: "team", name: "decoy-team" },
  { project: "data", namespace: "default", name: "decoy-data" },
];
const zone = (name: string, namespace?: string): Obj => ({
  apiVersion: DNS,
  kind: "DNSZone",
  metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
  spec: { domainName: `${name || "x"}.example`, dnsZoneClassName: "datum-external-global-dns" },
});
let versions: string[] = [];

/** Puts back any decoy a failing case took, and records what each one is. */
function restoreDecoys(): void {
  for (const d of DECOYS) {
    const prefix = datum.api.projectPath(d.project);
    if (!datum.api.get(prefix, "dnszones", d.name, d.namespace)) datum.api.put(prefix, zone(d.name, d.namespace));
  }
  versions = decoyVersions();
}

function decoyVersions(): string[] {
  const zones = DECOYS.map(
    (d) =>
      `${d.project}/${d.namespace}/${d.name}@${datum.api.get(datum.api.projectPath(d.project), "dnszones", d.name, d.namespace)?.metadata.resourceVersion ?? "GONE"}`,
  );
  return [...zones, `project web@${datum.api.get(datum.api.orgPath("acme"), "projects", "web")?.metadata.resourceVersion ?? "GONE"}`];
}

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  restoreDecoys();
  // Warm discovery, so that every case starts from the same caches.
  const warm = await sb.run(["get", "dnszones"]);
  expect(warm.exitCode, warm.stderr).toBe(0);
  configText = readFileSync(join(sb.configDir, "config"), "utf8");
  expect(configText).toContain("project-id: web");
  kubeconfig = join(sb.home, "kubeconfig.yaml");
  writeFileSync(kubeconfig, datum.tokenKubeconfig(datum.api.projectPath("web"), "ada", await datum.idp.mintAccessToken("ada", 3600)));
  mkdirSync(join(sb.home, "manifests"));
});

afterAll(async () => {
  sb?.cleanup();
  await datum?.close();
});

async function kubectl(args: string[]): Promise<RunResult> {
  const proc = Bun.spawn([kubectlPath!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: join(sb.home, "kube-home"), KUBECONFIG: kubeconfig, KUBECACHEDIR: join(sb.home, "kube-cache"), EDITOR: "true" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

/** A manifest of objects (name, namespace) in a file of its own; its path. */
function manifest(...objects: [name: string, namespace?: string][]): string {
  const file = join(sb.home, "manifests", `case-${++caseNo}.yaml`);
  writeFileSync(file, objects.map(([name, ns]) => JSON.stringify(zone(name, ns))).join("\n---\n"));
  return file;
}

interface Case {
  args: string[];
  env?: Record<string, string>;
  /** The whole stderr, when it is ours alone; otherwise it must be kubectl's. */
  stderr?: string | RegExp;
  exit?: number;
  /** A bad scope is refused before anything is sent at all. */
  silent?: boolean;
}

const normalise = (text: string) => text.replaceAll("'kubectl ", "'datumctl ");

async function expectRefused(c: Case): Promise<void> {
  const before = datum.api.requests.length;
  const r = await sb.run(c.args, { env: { EDITOR: "true", ...c.env } });
  await datum.api.faults.idle();
  const sent = datum.api.requests.slice(before);
  expect(r.stdout).toBe("");
  if (c.stderr === undefined && kubectlPath) {
    const k = await kubectl(c.args);
    expect(k.stdout).toBe("");
    const theirs = normalise(k.stderr);
    expect(r.stderr).toBe(theirs.startsWith("error: ") ? theirs : `error: ${theirs}`);
    expect(r.exitCode).toBe(k.exitCode);
  } else if (c.stderr === undefined) {
    // No kubectl here (never under CI, where findKubectl fails instead): one of kubectl's messages for the case.
    expect(r.stderr).toMatch(
      /^error: ([\s\S]*resource name may not be empty|[\s\S]*invalid (resource name|namespace) "[^"]*": \[may not [^\n]+\]|arguments in resource\/name form [^\n]+|there is no need to specify a resource type [^\n]+)\n$/,
    );
  } else {
    if (typeof c.stderr === "string") expect(r.stderr).toBe(c.stderr);
    else expect(r.stderr).toMatch(c.stderr);
    expect(r.exitCode).toBe(c.exit ?? 1);
  }
  expect(r.exitCode).not.toBe(0);
  expect(decoyVersions()).toEqual(versions);
  expect(sent.filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.path}`)).toEqual([]);
  expect(sent.filter((q) => /\/(namespaces|dnszones)\b/.test(q.planePath) || q.plane === null).map((q) => `${q.method} ${q.path}`)).toEqual([]);
  if (c.silent) expect(sent.map((q) => `${q.method} ${q.path}`)).toEqual([]);
}

function run(name: string, c: () => Case): void {
  test(name, async () => {
    try {
      await expectRefused(c());
    } finally {
      restoreDecoys();
    }
  });
}

const NAMES = ["", ".", "..", "a/b", "a%2f"];
const TYPE_NAMES = [".", "..", "", "a/b"];
const NAMESPACES = [".", "..", "a/b", "a%b"];
const show = (s: string) => JSON.stringify(s);

describe("names by argument, as kubectl refuses them", () => {
  for (const verb of ["get", "describe", "delete", "edit"]) {
    for (const n of NAMES) run(`${verb} dnszone ${show(n)}`, () => ({ args: [verb, "dnszone", n] }));
    for (const n of TYPE_NAMES) run(`${verb} dnszone/${n}`, () => ({ args: [verb, `dnszone/${n}`] }));
  }
});

describe("namespaces by -n, as kubectl refuses them", () => {
  const forms: [string, () => string[]][] = [
    ["get (list)", () => ["get", "dnszones"]],
    ["get (name)", () => ["get", "dnszone", "decoy-a"]],
    ["describe", () => ["describe", "dnszones"]],
    ["delete (name)", () => ["delete", "dnszone", "decoy-a"]],
    ["delete --all", () => ["delete", "dnszones", "--all"]],
    ["delete -l", () => ["delete", "dnszones", "-l", "a!=b"]],
    ["edit", () => ["edit", "dnszone", "decoy-a"]],
    ["apply -f", () => ["apply", "-f", manifest(["decoy-a"])]],
    ["create -f", () => ["create", "-f", manifest(["decoy-new"])]],
    ["diff -f", () => ["diff", "-f", manifest(["decoy-a"])]],
    ["delete -f", () => ["delete", "-f", manifest(["decoy-a"])]],
  ];
  for (const [label, args] of forms) {
    for (const ns of NAMESPACES) run(`${label} -n ${show(ns)}`, () => ({ args: [...args(), "-n", ns] }));
  }
  run("delete --namespace=..", () => ({ args: ["delete", "dnszone", "decoy-a", "--namespace=.."] }));
});

describe("names and namespaces from manifests, as kubectl refuses them", () => {
  const verbs: [string, string[], number?][] = [
    ["apply", ["apply"]],
    ["apply --server-side", ["apply", "--server-side"]],
    ["delete", ["delete"]],
    ["diff", ["diff"], 2],
    ["describe", ["describe"]],
    ["edit", ["edit"]],
  ];
  for (const [label, args, exit] of verbs) {
    for (const n of NAMES.filter(Boolean)) run(`${label} -f: metadata.name ${show(n)}`, () => ({ args: [...args, "-f", manifest([n])] }));
    for (const ns of NAMESPACES) run(`${label} -f: metadata.namespace ${show(ns)}`, () => ({ args: [...args, "-f", manifest(["decoy-a", ns])] }));
    // kubectl's wording differs by verb; ours refuses a nameless object while reading the file, before connecting.
    run(`${label} -f: metadata.name ""`, () => ({
      args: [...args, "-f", manifest([""])],
      stderr: /^error: error parsing .+: metadata\.name is not set\n$/,
      exit: exit ?? 1,
    }));
  }
  // create puts the name in the body, not the path: the server judges it (below); the namespace is in the path.
  for (const ns of NAMESPACES) run(`create -f: metadata.namespace ${show(ns)}`, () => ({ args: ["create", "-f", manifest(["decoy-new", ns])] }));
});

describe("nothing is touched when any object is bad (stricter than kubectl, which goes through the good ones first)", () => {
  const file = () => manifest(["decoy-a", "default"], [".", "default"]);
  run("delete dnszone decoy-a .", () => ({ args: ["delete", "dnszone", "decoy-a", "."], stderr: `error: invalid resource name ".": [may not be '.']\n` }));
  run("delete dnszone decoy-a decoy-b ..", () => ({
    args: ["delete", "dnszone", "decoy-a", "decoy-b", ".."],
    stderr: `error: invalid resource name "..": [may not be '..']\n`,
  }));
  run("delete -f: a good object, then one named .", () => {
    const f = file();
    return { args: ["delete", "-f", f], stderr: `error: error when deleting "${f}": invalid resource name ".": [may not be '.']\n` };
  });
  run("apply -f: a changed object, then one in namespace ..", () => {
    const f = manifest(["decoy-b", "default"], ["decoy-a", ".."]);
    return { args: ["apply", "--server-side", "-f", f], stderr: `error: invalid namespace "..": [may not be '..']\n` };
  });
});

describe("create: a bad name goes to the server in the body, which refuses it (as with kubectl)", () => {
  for (const n of [".", "..", "a/b", "a%b"]) {
    test(`create -f: metadata.name ${show(n)}`, async () => {
      const f = manifest([n]);
      const before = datum.api.requests.length;
      const r = await sb.run(["create", "-f", f]);
      await datum.api.faults.idle();
      const writes = datum.api.requests.slice(before).filter((q) => q.method !== "GET");
      if (kubectlPath) {
        const k = await kubectl(["create", "-f", f]);
        expect(r.stderr).toBe(k.stderr);
        expect(r.exitCode).toBe(k.exitCode);
      }
      expect(r.exitCode).toBe(1);
      // One POST to the collection of the namespace, refused.
      expect(writes.map((q) => `${q.method} ${q.planePath} ${q.status}`)).toEqual([`POST /apis/${DNS}/namespaces/default/dnszones 422`]);
      expect(decoyVersions()).toEqual(versions);
    });
  }
});

describe("-n where kubectl accepts it", () => {
  test("explain builds no resource path: -n . is not looked at, as with kubectl", async () => {
    const r = await sb.run(["explain", "dnszones.spec", "-n", "."]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    if (kubectlPath) expect(await kubectl(["explain", "dnszones.spec", "-n", "."])).toEqual(r);
  });

  test("-n '' is the context's namespace: get dnszone decoy-a -n '' -o name", async () => {
    const r = await sb.run(["get", "dnszone", "decoy-a", "-n", "", "-o", "name"]);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/decoy-a\n");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    if (kubectlPath) expect(await kubectl(["get", "dnszone", "decoy-a", "-n", "", "-o", "name"])).toEqual(r);
  });
});

const SCOPE_HINT = {
  project: `Project IDs are lowercase letters, digits, '-' and '.', start and end with a letter or digit, and are at most 253 characters; 'datumctl get projects' lists them.`,
  organization: `Organization IDs are lowercase letters, digits, '-' and '.', start and end with a letter or digit, and are at most 253 characters; 'datumctl get organizations' lists them.`,
};
const emptyFlag = (kind: "project" | "organization") =>
  `error: --${kind} may not be empty\nAn empty ${kind} ID would fall back to the current context, so it is refused. Pass one ('datumctl get ${kind}s' lists them), or leave --${kind} out.\n`;
const emptyEnv = (kind: "project" | "organization", name: string) =>
  `error: ${name} is set but empty\nAn empty ${kind} ID would fall back to the current context, so it is refused. Set it to one ('datumctl get ${kind}s' lists them), or unset it.\n`;
const invalid = (kind: "project" | "organization", id: string, from: string) => `error: invalid ${kind} ID ${show(id)} in ${from}\n${SCOPE_HINT[kind]}\n`;

describe("scope values: empty or not an object name is refused before anything is sent (INVALID_INPUT)", () => {
  const SCOPES: [label: string, extra: string[], env: Record<string, string>, stderr: string][] = [
    ['--project ""', ["--project", ""], {}, emptyFlag("project")],
    ["--project=", ["--project="], {}, emptyFlag("project")],
    ["--project ..", ["--project", ".."], {}, invalid("project", "..", "--project")],
    ["--project ../data", ["--project", "../data"], {}, invalid("project", "../data", "--project")],
    ["--project web/..", ["--project", "web/.."], {}, invalid("project", "web/..", "--project")],
    ['--organization ""', ["--organization", ""], {}, emptyFlag("organization")],
    ["--organization ..", ["--organization", ".."], {}, invalid("organization", "..", "--organization")],
    ['DATUM_PROJECT=""', [], { DATUM_PROJECT: "" }, emptyEnv("project", "DATUM_PROJECT")],
    ["DATUM_PROJECT=..", [], { DATUM_PROJECT: ".." }, invalid("project", "..", "DATUM_PROJECT")],
    ['DATUM_ORGANIZATION=""', [], { DATUM_ORGANIZATION: "" }, emptyEnv("organization", "DATUM_ORGANIZATION")],
    ["DATUM_ORGANIZATION=a%2fb", [], { DATUM_ORGANIZATION: "a%2fb" }, invalid("organization", "a%2fb", "DATUM_ORGANIZATION")],
  ];
  const VERBS: [string, () => string[], number?][] = [
    ["get", () => ["get", "dnszones"]],
    ["describe", () => ["describe", "dnszone", "decoy-a"]],
    ["delete", () => ["delete", "dnszone", "decoy-a"]],
    ["delete --all", () => ["delete", "dnszones", "--all"]],
    ["edit", () => ["edit", "dnszone", "decoy-a"]],
    ["apply", () => ["apply", "-f", manifest(["decoy-a", "default"])]],
    ["create", () => ["create", "-f", manifest(["decoy-new", "default"])]],
    ["diff", () => ["diff", "-f", manifest(["decoy-a", "default"])], 2],
    ["explain", () => ["explain", "dnszones"]],
  ];
  for (const [label, extra, env, stderr] of SCOPES) {
    // diff's own errors exit 2; a bad flag is refused while the global flags are read, before diff runs (1, as for any flag).
    for (const [verb, args, exit] of VERBS)
      run(`${verb} with ${label}`, () => ({ args: [...args(), ...extra], env, stderr, exit: extra.length ? 1 : exit, silent: true }));
    test(`${label}: code INVALID_INPUT`, async () => {
      const r = await sb.run(["delete", "dnszone", "decoy-a", ...extra, "--error-format", "json"], { env });
      expect(JSON.parse(r.stderr).error.code).toBe("INVALID_INPUT");
      expect(r.exitCode).toBe(1);
    });
  }

  test("a current context whose project ID is not a name", async () => {
    writeFileSync(join(sb.configDir, "config"), configText.replace("project-id: web", "project-id: ../data"));
    try {
      await expectRefused({ args: ["delete", "dnszone", "decoy-a"], stderr: invalid("project", "../data", "the current context"), silent: true });
    } finally {
      writeFileSync(join(sb.configDir, "config"), configText);
      restoreDecoys();
    }
  });
});

describe("the root: no path is built from a bad segment, whichever command asks", () => {
  const ZONES = { group: "dns.networking.miloapis.com", version: "v1alpha1", resource: "dnszones", namespaced: true };
  const PROJECTS = { group: "resourcemanager.miloapis.com", version: "v1alpha1", resource: "projects", namespaced: false };
  const names: [string, string][] = [
    ["", "resource name may not be empty"],
    [".", `invalid resource name ".": [may not be '.']`],
    ["..", `invalid resource name "..": [may not be '..']`],
    ["a/%", `invalid resource name "a/%": [may not contain '/' may not contain '%']`],
  ];
  for (const [name, message] of names) {
    test(`name ${show(name)}: ${message}`, () => {
      expect(() => resourcePath(ZONES, { namespace: "default", name })).toThrow(message);
      expect(() => resourcePath(PROJECTS, { name })).toThrow(message);
    });
  }
  for (const [ns, message] of [
    ["..", `invalid namespace "..": [may not be '..']`],
    ["a/b", `invalid namespace "a/b": [may not contain '/']`],
    ["", "namespace may not be empty"],
  ]) {
    test(`namespace ${show(ns!)}: ${message}`, () => {
      expect(() => resourcePath(ZONES, { namespace: ns })).toThrow(message);
      expect(() => resourcePath(ZONES, { namespace: ns, name: "decoy-a" })).toThrow(message);
    });
  }
  test("good segments still make kubectl's paths", () => {
    expect(resourcePath(ZONES, { namespace: "default", name: "decoy-a" })).toBe(`/apis/${DNS}/namespaces/default/dnszones/decoy-a`);
    expect(resourcePath(ZONES, {})).toBe(`/apis/${DNS}/dnszones`);
    // A cluster-scoped resource has no namespace segment to check.
    expect(resourcePath(PROJECTS, { namespace: "..", name: "web" })).toBe("/apis/resourcemanager.miloapis.com/v1alpha1/projects/web");
  });
  test("scope IDs that are not object names make no control-plane path", () => {
    for (const id of ["", ".", "..", "../web", "web/..", "a%2fb", "Web", "web_1", "-web", "x".repeat(254)]) {
      expect(() => controlPlanePath({ kind: "project", id })).toThrow(id === "" ? "the project ID is empty" : "invalid project ID");
      expect(() => controlPlanePath({ kind: "organization", id })).toThrow(id === "" ? "the organization ID is empty" : "invalid organization ID");
    }
    for (const subject of ["", ".", "..", "a/b"]) expect(() => controlPlanePath({ kind: "user", subject })).toThrow("cannot be used in a request path");
    expect(controlPlanePath({ kind: "project", id: "web.v2-1" })).toBe("/apis/resourcemanager.miloapis.com/v1alpha1/projects/web.v2-1/control-plane");
  });
});
