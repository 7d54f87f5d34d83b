// `datumctl create -f` through the binary against the local control plane: POST with kubectl's
// field manager and validation, AlreadyExists as kubectl words it, --save-config, dry runs, -o,
// several failures at once, manifests that never reach the server, and the same commands run
// by the real kubectl giving the same lines, exit codes, stderr and objects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, Obj } from "./support/control-plane/index";
import { type KubectlRunner, kubectlRunner } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const DNS = "dns.networking.miloapis.com/v1alpha1";

let datum: LocalDatum;
let sb: Sandbox;
let dir: string;
let WEB: string;
let kubectl: KubectlRunner | undefined;
const KUBECTL = await findKubectl();
if (!KUBECTL) console.warn("create.test.ts: no kubectl here; the differential tests are skipped");

beforeAll(async () => {
  datum = await startLocalDatum();
  WEB = datum.api.projectPath("web");
  sb = sandbox();
  dir = mkdtempSync(join(tmpdir(), "datumctl-create-"));
  await datum.signIn(sb, "ada");
  if (KUBECTL) kubectl = await kubectlRunner(KUBECTL, datum);
});
afterAll(async () => {
  sb?.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await datum?.close();
});

function zone(name: string, o: { labels?: Record<string, string>; cls?: string | null; extra?: string } = {}): string {
  const lines = [`apiVersion: ${DNS}`, "kind: DNSZone", "metadata:", `  name: ${name}`];
  if (o.labels) lines.push("  labels:", ...Object.entries(o.labels).map(([k, v]) => `    ${k}: "${v}"`));
  lines.push("spec:", `  domainName: ${name}.example`);
  if (o.cls !== null) lines.push(`  dnsZoneClassName: ${o.cls ?? "datum-external-global-dns"}`);
  if (o.extra) lines.push(o.extra);
  return `${lines.join("\n")}\n`;
}

let fileCount = 0;
function file(text: string): string {
  const path = join(dir, `c${++fileCount}.yaml`);
  writeFileSync(path, text);
  return path;
}

const run = (args: string[], stdin?: string) => sb.run(args, stdin === undefined ? {} : { stdin });
const getZone = (name: string, ns = "default") => datum.api.get(WEB, "dnszones", name, ns);
const mark = () => datum.api.requests.length;
const writesSince = (at: number): LoggedRequest[] => datum.api.requests.slice(at).filter((r) => r.method !== "GET" && r.planePath.includes("/dns"));

function expectOk(r: RunResult, stdout: string): void {
  expect({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode }).toEqual({ stdout, stderr: "", code: 0 });
}

describe("create", () => {
  test("POSTs with kubectl's field manager and strict validation; no last-applied annotation", async () => {
    const path = file(zone("cr-one", { labels: { team: "web" } }));
    const at = mark();
    expectOk(await run(["create", "-f", path]), "dnszone.dns.networking.miloapis.com/cr-one created\n");
    const [post, ...rest] = writesSince(at);
    expect(rest).toEqual([]);
    expect(post!.method).toBe("POST");
    expect(post!.planePath).toBe("/apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones");
    expect(post!.query).toEqual({ fieldManager: "kubectl-create", fieldValidation: "Strict" });
    expect(JSON.parse(post!.body)).toEqual({
      apiVersion: DNS,
      kind: "DNSZone",
      metadata: { labels: { team: "web" }, name: "cr-one", namespace: "default" },
      spec: { domainName: "cr-one.example", dnsZoneClassName: "datum-external-global-dns" },
    });
    const live = getZone("cr-one")!;
    expect(live.metadata.annotations).toBeUndefined();
    expect(live.metadata.managedFields.map((m: Obj) => m.manager)).toEqual(["kubectl-create"]);
  });

  test("creating it again is AlreadyExists, exit 1, in kubectl's words", async () => {
    const path = file(zone("cr-twice"));
    expect((await run(["create", "-f", path])).exitCode).toBe(0);
    const before = getZone("cr-twice")!;
    const again = await run(["create", "-f", path]);
    expect({ code: again.exitCode, stdout: again.stdout, stderr: again.stderr }).toEqual({
      code: 1,
      stdout: "",
      stderr: `Error from server (AlreadyExists): error when creating "${path}": dnszones.dns.networking.miloapis.com "cr-twice" already exists\n`,
    });
    const json = await run(["create", "-f", path, "--error-format", "json"]);
    const error = JSON.parse(json.stderr).error;
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(`error when creating "${path}": dnszones.dns.networking.miloapis.com "cr-twice" already exists`);
    expect(getZone("cr-twice")).toEqual(before);
    const piped = await run(["create", "-f", "-"], zone("cr-twice"));
    expect(piped.stderr).toBe(
      'Error from server (AlreadyExists): error when creating "STDIN": dnszones.dns.networking.miloapis.com "cr-twice" already exists\n',
    );
  });

  test("--save-config records the last-applied annotation, so apply then finds nothing to change", async () => {
    const path = file(zone("cr-saved", { labels: { a: "b" } }));
    expectOk(await run(["create", "--save-config", "-f", path]), "dnszone.dns.networking.miloapis.com/cr-saved created\n");
    expect(getZone("cr-saved")!.metadata.annotations[LAST_APPLIED]).toBe(
      `{"apiVersion":"${DNS}","kind":"DNSZone","metadata":{"annotations":{},"labels":{"a":"b"},"name":"cr-saved","namespace":"default"},"spec":{"dnsZoneClassName":"datum-external-global-dns","domainName":"cr-saved.example"}}\n`,
    );
    const at = mark();
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/cr-saved unchanged\n");
    expect(writesSince(at)).toEqual([]);
  });

  test("--dry-run=client sends nothing, --dry-run=server sends dryRun=All; the server is left as it was", async () => {
    const path = file(zone("cr-dry"));
    let at = mark();
    expectOk(await run(["create", "-f", path, "--dry-run=client"]), "dnszone.dns.networking.miloapis.com/cr-dry created (dry run)\n");
    expectOk(await run(["create", "--dry-run", "--save-config", "-f", path]), "dnszone.dns.networking.miloapis.com/cr-dry created (dry run)\n");
    expect(writesSince(at)).toEqual([]);
    at = mark();
    expectOk(await run(["create", "-f", path, "--dry-run=server"]), "dnszone.dns.networking.miloapis.com/cr-dry created (server dry run)\n");
    expect(writesSince(at).map((r) => [r.method, r.query.dryRun])).toEqual([["POST", "All"]]);
    expect(getZone("cr-dry")).toBeUndefined();
    const yaml = await run(["create", "-f", path, "--dry-run=client", "--save-config", "-o", "yaml"]);
    expect(yaml.stdout).toBe(
      `apiVersion: ${DNS}\nkind: DNSZone\nmetadata:\n  annotations:\n    ${LAST_APPLIED}: |\n      {"apiVersion":"${DNS}","kind":"DNSZone","metadata":{"annotations":{},"name":"cr-dry","namespace":"default"},"spec":{"dnsZoneClassName":"datum-external-global-dns","domainName":"cr-dry.example"}}\n  name: cr-dry\n  namespace: default\nspec:\n  dnsZoneClassName: datum-external-global-dns\n  domainName: cr-dry.example\n`,
    );
    // An existing object is still AlreadyExists under a server dry run.
    expect((await run(["create", "-f", file(zone("cr-one")), "--dry-run=server"])).exitCode).toBe(1);
  });

  test("-o name, json and yaml; each object printed as it is created, YAML documents separated", async () => {
    const two = file(`${zone("cr-o1")}---\n${zone("cr-o2")}`);
    const yaml = await run(["create", "-f", two, "-o", "yaml"]);
    expect(yaml.exitCode).toBe(0);
    const docs = yaml.stdout.split("---\n");
    expect(docs.length).toBe(2);
    expect(docs[0]).toContain("name: cr-o1\n");
    expect(docs[1]).toContain("name: cr-o2\n");
    expect(yaml.stdout).not.toContain("managedFields");
    expect(yaml.stdout).toContain("uid: ");
    const json = await run(["create", "-f", file(zone("cr-o3")), "-o", "json"]);
    const obj = JSON.parse(json.stdout);
    const { managedFields: _, ...meta } = getZone("cr-o3")!.metadata;
    expect(obj.metadata).toEqual(meta);
    expectOk(await run(["create", "-f", file(zone("cr-o4")), "-o", "name"]), "dnszone.dns.networking.miloapis.com/cr-o4\n");
    const shown = await run(["create", "-f", file(zone("cr-o5")), "-o", "json", "--show-managed-fields"]);
    expect(JSON.parse(shown.stdout).metadata.managedFields[0].manager).toBe("kubectl-create");
  });

  test("several failures: the others are created, every failure listed one per line, unknown kinds last", async () => {
    const path = file(
      [
        zone("cr-many1"),
        `apiVersion: ${DNS}\nkind: Nope\nmetadata:\n  name: cr-many2\n`,
        zone("cr-one"),
        zone("cr-many4", { cls: null }),
        zone("cr-many5", { extra: "  bogus: 1" }),
        zone("cr-many6"),
      ].join("---\n"),
    );
    const r = await run(["create", "-f", path]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/cr-many1 created\ndnszone.dns.networking.miloapis.com/cr-many6 created\n");
    expect(r.stderr).toBe(
      [
        `Error from server (AlreadyExists): error when creating "${path}": dnszones.dns.networking.miloapis.com "cr-one" already exists`,
        `Error from server (Invalid): error when creating "${path}": DNSZone.dns.networking.miloapis.com "cr-many4" is invalid: spec.dnsZoneClassName: Required value`,
        `Error from server (BadRequest): error when creating "${path}": DNSZone in version "v1alpha1" cannot be handled as a DNSZone: strict decoding error: unknown field "spec.bogus"`,
        `resource mapping not found for name: "cr-many2" namespace: "" from "${path}": no matches for kind "Nope" in version "${DNS}"`,
        "ensure CRDs are installed first",
        "",
      ].join("\n"),
    );
    const invalid = await run(["create", "-f", file(zone("cr-invalid", { cls: null }))]);
    expect([invalid.exitCode, invalid.stderr]).toEqual([1, 'The DNSZone "cr-invalid" is invalid: spec.dnsZoneClassName: Required value\n']);
  });

  test("a malformed document anywhere means nothing is sent", async () => {
    const at = mark();
    const path = file(`${zone("cr-never")}---\napiVersion: v1\nkind: [\n`);
    const r = await run(["create", "-f", path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toStartWith(`error: error parsing ${path} (document 2, line `);
    expect(datum.api.requests.length).toBe(at);
    expect(getZone("cr-never")).toBeUndefined();
    const none = await run(["create", "-f", file("---\n# nothing\n")]);
    expect([none.exitCode, none.stderr]).toEqual([1, "error: no objects passed to create\n"]);
  });
});

const differential = () => (KUBECTL ? describe : describe.skip);

differential()("create, the same as kubectl", () => {
  const normalize = (text: string, ns: string) =>
    text
      .replaceAll(ns, "NS")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>")
      .replace(/("?(resourceVersion|creationTimestamp|time)"?: )"[^"]*"/g, '$1"<v>"');
  const comparable = (o: Obj | undefined) => {
    if (!o) return o;
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, namespace: _n, managedFields, ...meta } = o.metadata;
    return { ...o, metadata: { ...meta, managedFields: managedFields?.map(({ time: _t, ...m }: Obj) => m) } };
  };
  let id = 0;
  const cases: [string, string[][], string, string[]][] = [
    [
      "create, then AlreadyExists",
      [
        ["create", "-f", "FILE"],
        ["create", "-f", "FILE"],
      ],
      zone("dc-a", { labels: { x: "1" } }),
      ["dc-a"],
    ],
    [
      "--save-config, then apply",
      [
        ["create", "--save-config", "-f", "FILE"],
        ["apply", "-f", "FILE"],
      ],
      zone("dc-b"),
      ["dc-b"],
    ],
    [
      "dry runs and -o",
      [
        ["create", "-f", "FILE", "--dry-run=client", "-o", "yaml"],
        ["create", "-f", "FILE", "--dry-run=server"],
        ["create", "-f", "FILE", "-o", "json"],
        ["create", "-f", "FILE", "-o", "name"],
      ],
      `${zone("dc-c")}---\n${zone("dc-d")}`,
      ["dc-c", "dc-d"],
    ],
    ["-o yaml for two", [["create", "-f", "FILE", "-o", "yaml"]], `${zone("dc-e")}---\n${zone("dc-f")}`, ["dc-e", "dc-f"]],
    [
      "several failures",
      [
        ["create", "-f", "FILE"],
        ["create", "-f", "FILE"],
      ],
      [zone("dc-g"), zone("dc-h", { cls: null }), zone("dc-i", { extra: "  bogus: 1" })].join("---\n"),
      ["dc-g", "dc-h", "dc-i"],
    ],
    ["invalid alone", [["create", "-f", "FILE"]], zone("dc-j", { cls: null }), ["dc-j"]],
  ];
  for (const [name, steps, manifest, names] of cases) {
    test(name, async () => {
      const n = ++id;
      const nsK = `k-create-${n}`;
      const nsD = `d-create-${n}`;
      const path = file(manifest);
      for (const step of steps) {
        const args = step.map((a) => (a === "FILE" ? path : a));
        const theirs = await kubectl!.kubectl("web", ["-n", nsK, ...args]);
        const ours = await run(["-n", nsD, ...args]);
        const label = args.join(" ");
        expect({ label, stdout: normalize(ours.stdout, nsD), stderr: normalize(ours.stderr, nsD), code: ours.exitCode }).toEqual({
          label,
          stdout: normalize(theirs.stdout, nsK),
          stderr: normalize(theirs.stderr, nsK),
          code: theirs.code,
        });
      }
      for (const obj of names) {
        const k = comparable(getZone(obj, nsK));
        const d = comparable(getZone(obj, nsD));
        expect(JSON.parse(JSON.stringify(d ?? null).replaceAll(nsD, "NS"))).toEqual(JSON.parse(JSON.stringify(k ?? null).replaceAll(nsK, "NS")));
      }
    });
  }
});
