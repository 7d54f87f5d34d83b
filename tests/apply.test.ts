// `datumctl apply -f` through the binary against the local control plane: client-side apply
// (the last-applied annotation, a three-way merge patch, create when absent, unchanged when
// nothing changed), --server-side (conflicts, --force-conflicts, kubectl's move of a
// client-side applied object to server-side ownership), dry runs, -o, every manifest shape,
// broken manifests that never reach the server, and the same steps run by the real kubectl
// giving the same lines, exit codes and objects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunResult, type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, Obj } from "./support/control-plane/index";
import { type KubectlRunner, kubectlRunner } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import { upgradePatch } from "../src/apply/fields";
import { createMergePatch, threeWayMergePatch } from "../src/manifests/merge-patch";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const DNS = "dns.networking.miloapis.com/v1alpha1";

let datum: LocalDatum;
let sb: Sandbox;
let dir: string;
let WEB: string;
let kubectl: KubectlRunner | undefined;
const KUBECTL = await findKubectl();
if (!KUBECTL) console.warn("apply.test.ts: no kubectl here; the differential tests are skipped");

beforeAll(async () => {
  datum = await startLocalDatum();
  WEB = datum.api.projectPath("web");
  sb = sandbox();
  dir = mkdtempSync(join(tmpdir(), "datumctl-apply-"));
  await datum.signIn(sb, "ada");
  if (KUBECTL) kubectl = await kubectlRunner(KUBECTL, datum);
});
afterAll(async () => {
  sb?.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await datum?.close();
});

/** A DNSZone manifest; `extra` lines go under spec. */
function zone(name: string, o: { labels?: Record<string, string>; domain?: string; cls?: string | null; extra?: string; namespace?: string } = {}): string {
  const lines = ["apiVersion: dns.networking.miloapis.com/v1alpha1", "kind: DNSZone", "metadata:", `  name: ${name}`];
  if (o.namespace) lines.push(`  namespace: ${o.namespace}`);
  if (o.labels && Object.keys(o.labels).length) lines.push("  labels:", ...Object.entries(o.labels).map(([k, v]) => `    ${k}: "${v}"`));
  lines.push("spec:", `  domainName: ${o.domain ?? `${name}.example`}`);
  if (o.cls !== null) lines.push(`  dnsZoneClassName: ${o.cls ?? "datum-external-global-dns"}`);
  if (o.extra) lines.push(o.extra);
  return `${lines.join("\n")}\n`;
}

let fileCount = 0;
/** Writes a manifest to a fresh file and returns its path. */
function file(text: string, name = `m${++fileCount}.yaml`): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const run = (args: string[], stdin?: string) => sb.run(args, stdin === undefined ? {} : { stdin });
const getZone = (name: string, ns = "default") => datum.api.get(WEB, "dnszones", name, ns);

/** Requests logged since `mark`, object requests only (no discovery or scope checks). */
function requestsSince(mark: number): LoggedRequest[] {
  return datum.api.requests.slice(mark).filter((r) => r.planePath.includes("/dnszones") || r.planePath.includes("/dnsrecordsets"));
}
const writesSince = (mark: number) => requestsSince(mark).filter((r) => r.method !== "GET");
const mark = () => datum.api.requests.length;

function expectOk(r: RunResult, stdout: string): void {
  expect({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode }).toEqual({ stdout, stderr: "", code: 0 });
}

describe("client-side apply", () => {
  test("creates with the last-applied annotation, then unchanged (nothing sent), then configured by a merge patch", async () => {
    const path = file(zone("ca-one", { labels: { team: "web" } }));
    let at = mark();
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-one created\n");
    const [get, post] = requestsSince(at);
    expect(get!.method).toBe("GET");
    expect(get!.status).toBe(404);
    expect(post!.method).toBe("POST");
    expect(post!.query).toEqual({ fieldManager: "kubectl-client-side-apply", fieldValidation: "Strict" });
    expect(post!.headers["content-type"]).toBe("application/json");
    const live = getZone("ca-one")!;
    // Byte for byte what kubectl writes: sorted keys, an empty annotations map, a newline.
    expect(live.metadata.annotations[LAST_APPLIED]).toBe(
      `{"apiVersion":"${DNS}","kind":"DNSZone","metadata":{"annotations":{},"labels":{"team":"web"},"name":"ca-one","namespace":"default"},"spec":{"dnsZoneClassName":"datum-external-global-dns","domainName":"ca-one.example"}}\n`,
    );
    expect(live.metadata.managedFields.map((m: Obj) => m.manager)).toEqual(["kubectl-client-side-apply"]);

    at = mark();
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-one unchanged\n");
    expect(writesSince(at)).toEqual([]);
    expect(getZone("ca-one")!.metadata.resourceVersion).toBe(live.metadata.resourceVersion);

    writeFileSync(path, zone("ca-one", { labels: { team: "shop" } }));
    at = mark();
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-one configured\n");
    const [patch] = writesSince(at);
    expect(patch!.method).toBe("PATCH");
    expect(patch!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(patch!.query).toEqual({ fieldManager: "kubectl-client-side-apply", fieldValidation: "Strict" });
    const sent = JSON.parse(patch!.body);
    expect(sent.metadata.labels).toEqual({ team: "shop" });
    expect(sent.spec).toBeUndefined();
    expect(getZone("ca-one")!.metadata.labels).toEqual({ team: "shop" });
  });

  test("a field removed from the manifest is removed; fields and labels others added are kept", async () => {
    const path = file(zone("ca-two", { labels: { a: "1", b: "2" } }));
    expect((await run(["apply", "-f", path])).exitCode).toBe(0);
    // Someone else adds a label and an annotation.
    const live = getZone("ca-two")!;
    datum.api.put(WEB, {
      ...live,
      metadata: {
        ...live.metadata,
        labels: { ...live.metadata.labels, added: "by-portal" },
        annotations: { ...live.metadata.annotations, note: "keep me" },
        managedFields: undefined,
      },
    });
    writeFileSync(path, zone("ca-two", { labels: { a: "1" } }));
    const at = mark();
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-two configured\n");
    const sent = JSON.parse(writesSince(at)[0]!.body);
    expect(sent.metadata.labels).toEqual({ b: null });
    const after = getZone("ca-two")!;
    expect(after.metadata.labels).toEqual({ a: "1", added: "by-portal" });
    expect(after.metadata.annotations.note).toBe("keep me");
    expect(after.spec).toEqual({ domainName: "ca-two.example", dnsZoneClassName: "datum-external-global-dns" });
  });

  test("an object created without apply is patched, with kubectl's warning about the missing annotation", async () => {
    const path = file(zone("ca-three"));
    expect((await run(["create", "-f", path])).exitCode).toBe(0);
    const r = await run(["apply", "-f", path]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/ca-three configured\n");
    expect(r.stderr).toBe(
      `Warning: resource dnszones/ca-three is missing the ${LAST_APPLIED} annotation which is required by datumctl apply. datumctl apply should only be used on resources created declaratively by either datumctl create --save-config or datumctl apply. The missing annotation will be patched automatically.\n`,
    );
    expect(getZone("ca-three")!.metadata.annotations[LAST_APPLIED]).toContain('"name":"ca-three"');
    expectOk(await run(["apply", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-three unchanged\n");
  });

  test("-o name, -o json and -o yaml; several objects print as one v1 List", async () => {
    const one = file(zone("ca-out1"));
    expectOk(await run(["apply", "-f", one, "-o", "name"]), "dnszone.dns.networking.miloapis.com/ca-out1\n");
    const json = await run(["apply", "-f", one, "-o", "json"]);
    expect(json.exitCode).toBe(0);
    const printed = JSON.parse(json.stdout);
    const { managedFields: _, ...meta } = getZone("ca-out1")!.metadata;
    expect(printed.metadata).toEqual(meta);
    expect(json.stdout.startsWith('{\n    "apiVersion": "dns.networking.miloapis.com/v1alpha1",\n')).toBe(true);
    const yaml = await run(["apply", "-f", one, "-o", "yaml"]);
    expect(yaml.stdout).toStartWith(`apiVersion: ${DNS}\nkind: DNSZone\nmetadata:\n  annotations:\n    ${LAST_APPLIED}: |\n      {"apiVersion"`);

    const two = file(`${zone("ca-out2")}---\n${zone("ca-out3")}`);
    const list = await run(["apply", "-f", two, "-o", "json"]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toStartWith('{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [\n');
    expect(JSON.parse(list.stdout).items.map((o: Obj) => o.metadata.name)).toEqual(["ca-out2", "ca-out3"]);
    const listYaml = await run(["apply", "-f", two, "-o", "yaml"]);
    expect(listYaml.stdout).toStartWith("apiVersion: v1\nitems:\n- apiVersion: dns.networking.miloapis.com/v1alpha1\n");
    expect(listYaml.stdout).toEndWith("kind: List\nmetadata: {}\n");
    expectOk(await run(["apply", "-f", two, "-o", "name"]), "dnszone.dns.networking.miloapis.com/ca-out2\ndnszone.dns.networking.miloapis.com/ca-out3\n");

    const wide = await run(["apply", "-f", one, "-o", "wide"]);
    expect(wide.exitCode).toBe(1);
    expect(wide.stderr).toStartWith(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    );
  });

  test("--dry-run=client sends no write; --dry-run=server sends dryRun=All; neither changes the server", async () => {
    const path = file(zone("ca-dry", { labels: { v: "1" } }));
    let at = mark();
    expectOk(await run(["apply", "-f", path, "--dry-run=client"]), "dnszone.dns.networking.miloapis.com/ca-dry created (dry run)\n");
    expect(writesSince(at)).toEqual([]);
    at = mark();
    expectOk(await run(["apply", "-f", path, "--dry-run=server"]), "dnszone.dns.networking.miloapis.com/ca-dry created (server dry run)\n");
    expect(writesSince(at).map((r) => r.query.dryRun)).toEqual(["All"]);
    expect(getZone("ca-dry")).toBeUndefined();

    expect((await run(["apply", "-f", path])).exitCode).toBe(0);
    const before = getZone("ca-dry")!;
    writeFileSync(path, zone("ca-dry", { labels: { v: "2" } }));
    at = mark();
    expectOk(await run(["apply", "-f", path, "--dry-run=client"]), "dnszone.dns.networking.miloapis.com/ca-dry configured (dry run)\n");
    expect(writesSince(at)).toEqual([]);
    at = mark();
    const server = await run(["apply", "-f", path, "--dry-run=server", "-o", "json"]);
    expect(server.exitCode).toBe(0);
    expect(JSON.parse(server.stdout).metadata.labels).toEqual({ v: "2" });
    expect(writesSince(at).map((r) => [r.method, r.query.dryRun])).toEqual([["PATCH", "All"]]);
    // A bare --dry-run is client, as with kubectl.
    at = mark();
    expectOk(await run(["apply", "--dry-run", "-R", "-f", path]), "dnszone.dns.networking.miloapis.com/ca-dry configured (dry run)\n");
    expect(writesSince(at)).toEqual([]);
    expect(getZone("ca-dry")).toEqual(before);

    const bad = await run(["apply", "-f", path, "--dry-run=maybe"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe('error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n');
  });

  test("unknown fields are refused by the server (fieldValidation=Strict) and named as kubectl names them", async () => {
    const path = file(zone("ca-strict", { extra: "  bogus: 1" }));
    const r = await run(["apply", "-f", path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${path}": DNSZone in version "v1alpha1" cannot be handled as a DNSZone: strict decoding error: unknown field "spec.bogus"\n`,
    );
    const ignored = await run(["apply", "-f", path, "--validate=false"]);
    expectOk(ignored, "dnszone.dns.networking.miloapis.com/ca-strict created\n");
    const invalid = await run(["apply", "-f", file(zone("ca-invalid", { cls: null }))]);
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toBe('The DNSZone "ca-invalid" is invalid: spec.dnsZoneClassName: Required value\n');
    const json = await run(["apply", "-f", file(zone("ca-invalid", { cls: null })), "--error-format", "json"]);
    expect(JSON.parse(json.stderr).error.code).toBe("INVALID_INPUT");
  });

  test("objects that cannot be placed fail on their own; the others are applied; every failure is listed", async () => {
    const path = file(
      [
        zone("ca-mix1"),
        "apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: Nope\nmetadata:\n  name: ca-mix2\n",
        zone("ca-mix3", { namespace: "elsewhere" }),
        zone("ca-mix4", { cls: null }),
      ].join("---\n"),
    );
    const r = await run(["apply", "-n", "default", "-f", path]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/ca-mix1 created\n");
    expect(r.stderr).toBe(
      `[the namespace from the provided object "elsewhere" does not match the namespace "default". You must pass '--namespace=elsewhere' to perform this operation., resource mapping not found for name: "ca-mix2" namespace: "" from "${path}": no matches for kind "Nope" in version "${DNS}"\nensure CRDs are installed first]\n` +
        `Error from server (Invalid): error when creating "${path}": DNSZone.dns.networking.miloapis.com "ca-mix4" is invalid: spec.dnsZoneClassName: Required value\n`,
    );
    const alone = await run(["apply", "-f", file("apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: Nope\nmetadata:\n  name: x\n", "nope.yaml")]);
    expect(alone.exitCode).toBe(1);
    expect(alone.stderr).toBe(
      `error: resource mapping not found for name: "x" namespace: "" from "${join(dir, "nope.yaml")}": no matches for kind "Nope" in version "${DNS}"\nensure CRDs are installed first\n`,
    );
  });
});

describe("server-side apply", () => {
  test("serverside-applied, an apply patch as datumctl, applied again the same", async () => {
    const path = file(zone("ss-one", { labels: { x: "1" } }));
    let at = mark();
    expectOk(await run(["apply", "--server-side", "-f", path]), "dnszone.dns.networking.miloapis.com/ss-one serverside-applied\n");
    const [req, ...rest] = requestsSince(at);
    expect(rest).toEqual([]);
    expect(req!.method).toBe("PATCH");
    expect(req!.status).toBe(201);
    expect(req!.headers["content-type"]).toBe("application/apply-patch+yaml");
    expect(req!.query).toEqual({ fieldManager: "datumctl", fieldValidation: "Strict", force: "false" });
    expect(JSON.parse(req!.body)).toEqual({
      apiVersion: DNS,
      kind: "DNSZone",
      metadata: { labels: { x: "1" }, name: "ss-one", namespace: "default" },
      spec: { domainName: "ss-one.example", dnsZoneClassName: "datum-external-global-dns" },
    });
    const live = getZone("ss-one")!;
    expect(live.metadata.managedFields.map((m: Obj) => [m.manager, m.operation])).toEqual([["datumctl", "Apply"]]);
    at = mark();
    expectOk(await run(["apply", "--server-side", "-f", path]), "dnszone.dns.networking.miloapis.com/ss-one serverside-applied\n");
    expect(requestsSince(at).length).toBe(1);
    expect(getZone("ss-one")!.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
    // A field dropped from the manifest goes.
    writeFileSync(path, zone("ss-one"));
    expectOk(await run(["apply", "--server-side", "-f", path]), "dnszone.dns.networking.miloapis.com/ss-one serverside-applied\n");
    expect(getZone("ss-one")!.metadata.labels).toBeUndefined();
    expectOk(await run(["apply", "--server-side", "-f", path, "--dry-run=server", "-o", "name"]), "dnszone.dns.networking.miloapis.com/ss-one\n");
  });

  test("after client-side apply: the annotation is kept by kubectl-last-applied and ownership moves to the server-side manager", async () => {
    const path = file(zone("ss-move", { labels: { a: "1", b: "2" } }));
    expect((await run(["apply", "-f", path])).exitCode).toBe(0);
    const at = mark();
    expectOk(await run(["apply", "--server-side", "-f", path]), "dnszone.dns.networking.miloapis.com/ss-move serverside-applied\n");
    const sent = writesSince(at).map((r) => [r.headers["content-type"], r.query.fieldManager]);
    expect(sent).toEqual([
      ["application/apply-patch+yaml", "datumctl"],
      ["application/apply-patch+yaml", "kubectl-last-applied"],
      ["application/json-patch+json", "datumctl"],
      ["application/apply-patch+yaml", "datumctl"],
    ]);
    const live = getZone("ss-move")!;
    expect(live.metadata.managedFields.map((m: Obj) => [m.manager, m.operation])).toEqual([
      ["datumctl", "Apply"],
      ["kubectl-last-applied", "Apply"],
    ]);
    expect(live.metadata.annotations[LAST_APPLIED]).toContain('"b":"2"');
    // Now owned server-side, a label dropped from the manifest is removed.
    writeFileSync(path, zone("ss-move", { labels: { a: "1" } }));
    expectOk(await run(["apply", "--server-side", "-f", path]), "dnszone.dns.networking.miloapis.com/ss-move serverside-applied\n");
    expect(getZone("ss-move")!.metadata.labels).toEqual({ a: "1" });
  });

  test("a conflict with another manager is reported as kubectl reports it; --force-conflicts takes the field", async () => {
    const path = file(zone("ss-conflict"));
    expect((await run(["apply", "--server-side", "-f", path])).exitCode).toBe(0);
    const theirs = file(zone("ss-conflict", { domain: "other.example" }));
    const r = await run(["apply", "--server-side", "--field-manager", "portal", "-f", theirs]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`error: Apply failed with 1 conflict: conflict with "datumctl": .spec.domainName
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`);
    const json = await run(["apply", "--server-side", "--field-manager", "portal", "-f", theirs, "--error-format", "json"]);
    expect(JSON.parse(json.stderr).error.code).toBe("CONFLICT");
    expect(getZone("ss-conflict")!.spec.domainName).toBe("ss-conflict.example");

    const at = mark();
    expectOk(
      await run(["apply", "--server-side", "--field-manager", "portal", "--force-conflicts", "-f", theirs]),
      "dnszone.dns.networking.miloapis.com/ss-conflict serverside-applied\n",
    );
    expect(writesSince(at)[0]!.query.force).toBe("true");
    const live = getZone("ss-conflict")!;
    expect(live.spec.domainName).toBe("other.example");
    const portal = live.metadata.managedFields.find((m: Obj) => m.manager === "portal");
    expect(portal.fieldsV1["f:spec"]["f:domainName"]).toEqual({});
  });

  test("flags kubectl refuses together are refused before anything is sent", async () => {
    const path = file(zone("ss-flags"));
    const at = mark();
    const force = await run(["apply", "--force-conflicts", "-f", path]);
    expect([force.exitCode, force.stderr]).toEqual([1, "error: --force-conflicts only works with --server-side\n"]);
    const dry = await run(["apply", "--server-side", "--dry-run=client", "-f", path]);
    expect([dry.exitCode, dry.stderr]).toEqual([1, "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n"]);
    expect(datum.api.requests.length).toBe(at);
  });
});

describe("manifest input", () => {
  test("a directory, with -R for subdirectories", async () => {
    const tree = join(dir, "tree");
    file(zone("in-dir-a"), "tree/a.yaml");
    file(
      JSON.stringify({ apiVersion: DNS, kind: "DNSZone", metadata: { name: "in-dir-b" }, spec: { domainName: "b.example", dnsZoneClassName: "c" } }),
      "tree/b.json",
    );
    file(zone("in-dir-c"), "tree/nested/c.yml");
    file("not a manifest", "tree/notes.txt");
    expectOk(await run(["apply", "-f", tree]), "dnszone.dns.networking.miloapis.com/in-dir-a created\ndnszone.dns.networking.miloapis.com/in-dir-b created\n");
    expect(getZone("in-dir-c")).toBeUndefined();
    expectOk(
      await run(["apply", "-R", "-f", tree]),
      "dnszone.dns.networking.miloapis.com/in-dir-a unchanged\ndnszone.dns.networking.miloapis.com/in-dir-b unchanged\ndnszone.dns.networking.miloapis.com/in-dir-c created\n",
    );
  });

  test("standard input, a List, and multi-document JSON and YAML", async () => {
    expectOk(await run(["apply", "-f", "-"], zone("in-stdin")), "dnszone.dns.networking.miloapis.com/in-stdin created\n");
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: DNS, kind: "DNSZone", metadata: { name: "in-list-1" }, spec: { domainName: "l1.example", dnsZoneClassName: "c" } },
        {
          apiVersion: DNS,
          kind: "DNSRecordSet",
          metadata: { name: "in-list-2" },
          spec: { dnsZoneRef: { name: "in-list-1" }, recordType: "A", records: [{ name: "www", a: { content: "192.0.2.1" } }] },
        },
      ],
    };
    expectOk(
      await run(["apply", "-f", file(JSON.stringify(list), "list.json")]),
      "dnszone.dns.networking.miloapis.com/in-list-1 created\ndnsrecordset.dns.networking.miloapis.com/in-list-2 created\n",
    );
    expect(datum.api.get(WEB, "dnsrecordsets", "in-list-2", "default")!.spec.records).toEqual([{ name: "www", a: { content: "192.0.2.1" } }]);
    expectOk(
      await run(["apply", "-f", "-"], `${zone("in-multi-1")}---\n${zone("in-multi-2")}\n---\n`),
      "dnszone.dns.networking.miloapis.com/in-multi-1 created\ndnszone.dns.networking.miloapis.com/in-multi-2 created\n",
    );
  });
});

describe("broken manifests never reach the server", () => {
  const good = zone("never-sent");
  const corpus: [string, string, RegExp][] = [
    ["a broken second document", `${good}---\nkind: [unclosed\n`, /\(document 2, line \d+\)/],
    ["bad indentation", `${good}---\napiVersion: v1\nkind: X\n metadata:\n  name: a\n`, /\(document 2, line \d+\)/],
    ["a tab", `${good}---\napiVersion: v1\nkind: X\nmetadata:\n\tname: a\n`, /\(document 2, line \d+\)/],
    ["a duplicate key", `${good}---\napiVersion: v1\nkind: X\nkind: Y\nmetadata:\n  name: a\n`, /\(document 2, line 11\)/],
    ["a scalar document", `${good}---\njust words\n`, /\(document 2, line \d+\): a manifest must be a mapping/],
    ["no kind", `${good}---\napiVersion: v1\nmetadata:\n  name: a\n`, /\(document 2, line \d+\): kind is not set/],
    ["no apiVersion", `${good}---\nkind: DNSZone\nmetadata:\n  name: a\n`, /apiVersion is not set/],
    ["no name", `${good}---\napiVersion: ${DNS}\nkind: DNSZone\nmetadata: {}\n`, /metadata\.name is not set/],
    ["a List with a bad item", `${good}---\napiVersion: v1\nkind: List\nitems:\n- name: nothing\n`, /every item of a List needs apiVersion and kind/],
    ["an unknown alias", `${good}  x: *nowhere\n`, /\(document 1, line \d+\)/],
    ["broken JSON after YAML", `${good}---\n{"apiVersion": "v1", "kind": `, /\(document 2, line \d+\)/],
  ];
  for (const [name, text, message] of corpus) {
    test(name, async () => {
      const path = file(text, `broken-${name.replaceAll(" ", "-")}.yaml`);
      const at = mark();
      for (const args of [
        ["apply", "-f", path],
        ["apply", "--server-side", "-f", path],
        ["create", "-f", path],
      ]) {
        const r = await run([...args, "--error-format", "json"]);
        expect(r.exitCode).toBe(1);
        expect(r.stdout).toBe("");
        const error = JSON.parse(r.stderr).error;
        expect(error.code).toBe("INVALID_INPUT");
        expect(error.message).toStartWith(`error parsing ${path} (document `);
        expect(error.message).toMatch(message);
      }
      const human = await run(["apply", "-f", "-"], text);
      expect(human.stderr).toStartWith("error: error parsing STDIN (document ");
      // Not even a GET: nothing at all reached the control plane.
      expect(datum.api.requests.length).toBe(at);
      expect(getZone("never-sent")).toBeUndefined();
    });
  }

  test("metadata kubectl could not decode (a number for a label, a list for labels) is refused before anything is sent", async () => {
    const cases: [string, string][] = [
      ["  labels:\n    a: 1", "cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"],
      ["  labels: [a]", "cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"],
      ["  annotations:\n    x: true", "cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"],
      ["  namespace: 3", "cannot unmarshal number into Go struct field ObjectMeta.metadata.namespace of type string"],
      ["  finalizers: 3", "cannot unmarshal number into Go struct field ObjectMeta.metadata.finalizers of type []string"],
    ];
    for (const [meta, why] of cases) {
      const path = file(`${zone("meta-ok")}---\napiVersion: ${DNS}\nkind: DNSZone\nmetadata:\n  name: meta-bad\n${meta}\nspec:\n  domainName: x.example\n`);
      const at = mark();
      for (const verb of ["apply", "create"]) {
        const r = await run([verb, "-f", path]);
        expect({ code: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({
          code: 1,
          stdout: "",
          stderr: `error: unable to decode "${path}": json: ${why}\n`,
        });
      }
      expect(writesSince(at)).toEqual([]);
    }
    expect(getZone("meta-ok")).toBeUndefined();
  });

  test("one broken file in a directory stops the whole directory", async () => {
    file(zone("never-sent-a"), "half/a.yaml");
    file("apiVersion: v1\nkind: [\n", "half/b.yaml");
    const at = mark();
    const r = await run(["apply", "-f", join(dir, "half")]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toStartWith(`error: error parsing ${join(dir, "half", "b.yaml")} (document 1, line `);
    expect(datum.api.requests.length).toBe(at);
    expect(getZone("never-sent-a")).toBeUndefined();
  });
});

// The same steps by kubectl and by datumctl, each in its own namespace: the same lines, exit
// codes and stderr, and the same objects (managedFields times and server-assigned values aside).
const differential = () => (KUBECTL ? describe : describe.skip);

interface Step {
  args: string[];
  /** Manifest text for -f (written to the same file for both tools). */
  manifest?: string;
  stdin?: string;
  /** Only datumctl's extra flags (e.g. its SSA manager name to match kubectl's). */
  oursExtra?: string[];
}

/** Volatile values out of output text, and each tool's namespace replaced by NS. */
function normalize(text: string, ns: string): string {
  return text
    .replaceAll(ns, "NS")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>")
    .replace(/("?(resourceVersion|creationTimestamp|time)"?: )"[^"]*"/g, '$1"<v>"')
    .replace(/\bdatumctl\b/g, "kubectl");
}

function comparable(o: Obj | undefined, ns: string): unknown {
  if (!o) return o;
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, namespace: _n, managedFields, annotations, ...meta } = o.metadata;
  return {
    ...o,
    metadata: {
      ...meta,
      annotations: annotations && JSON.parse(JSON.stringify(annotations).replaceAll(ns, "NS")),
      managedFields: managedFields?.map(({ time: _t, ...m }: Obj) => m),
    },
  };
}

let runCount = 0;
async function both(steps: Step[], names: string[]): Promise<void> {
  const id = ++runCount;
  const nsK = `k-diff-${id}`;
  const nsD = `d-diff-${id}`;
  const path = join(dir, `diff-${id}.yaml`);
  for (const [i, step] of steps.entries()) {
    if (step.manifest !== undefined) writeFileSync(path, step.manifest);
    const args = step.args.map((a) => (a === "FILE" ? path : a));
    const theirs = await kubectl!.kubectl("web", ["-n", nsK, ...args], step.stdin);
    const ours = await run(["-n", nsD, ...args, ...(step.oursExtra ?? [])], step.stdin);
    const label = `step ${i + 1}: ${args.join(" ")}`;
    expect({ label, stdout: normalize(ours.stdout, nsD), code: ours.exitCode }).toEqual({ label, stdout: normalize(theirs.stdout, nsK), code: theirs.code });
    expect({ label, stderr: normalize(ours.stderr, nsD) }).toEqual({ label, stderr: normalize(theirs.stderr, nsK) });
  }
  for (const name of names) {
    for (const resource of ["dnszones", "dnsrecordsets"]) {
      const k = datum.api.get(WEB, resource, name, nsK);
      const d = datum.api.get(WEB, resource, name, nsD);
      expect({ name, resource, object: comparable(d, nsD) }).toEqual({ name, resource, object: comparable(k, nsK) });
    }
  }
}

differential()("the same as kubectl", () => {
  test("create, unchanged, configured, a field removed, server-added label kept", async () => {
    await both(
      [
        { args: ["apply", "-f", "FILE"], manifest: zone("df-a", { labels: { a: "1", b: "2" } }) },
        { args: ["apply", "-f", "FILE"] },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-a", { labels: { a: "1", c: "3" }, domain: "changed.example" }) },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-a", { labels: { c: "3" } }) },
        { args: ["apply", "-f", "FILE", "-o", "name"] },
      ],
      ["df-a"],
    );
  });

  test("several objects with -o json and -o yaml, then -o name", async () => {
    const two = `${zone("df-o1")}---\n${zone("df-o2", { labels: { z: "1" } })}`;
    await both(
      [
        { args: ["apply", "-f", "FILE", "-o", "json"], manifest: two },
        { args: ["apply", "-f", "FILE", "-o", "yaml"] },
        { args: ["apply", "-f", "FILE", "-o", "yaml"], manifest: zone("df-o1", { labels: { y: "2" } }) },
        { args: ["apply", "-f", "FILE", "-o", "name"], manifest: two },
      ],
      ["df-o1", "df-o2"],
    );
  });

  test("dry runs, new and existing", async () => {
    await both(
      [
        { args: ["apply", "-f", "FILE", "--dry-run=client"], manifest: zone("df-dry") },
        { args: ["apply", "-f", "FILE", "--dry-run=server"] },
        { args: ["apply", "-f", "FILE", "--dry-run=client", "-o", "yaml"] },
        { args: ["apply", "-f", "FILE"] },
        { args: ["apply", "-f", "FILE", "--dry-run=server"] },
        { args: ["apply", "-f", "FILE", "--dry-run=client"], manifest: zone("df-dry", { labels: { n: "1" } }) },
        { args: ["apply", "-f", "FILE", "--dry-run=server", "-o", "json"] },
      ],
      ["df-dry"],
    );
  });

  test("server-side: new, again, after client-side (migration), dropping a field, conflicts, --force-conflicts", async () => {
    // kubectl's server-side manager is "kubectl"; datumctl's is "datumctl". Same name here.
    const ssa = ["--field-manager", "kubectl"];
    await both(
      [
        { args: ["apply", "--server-side", "-f", "FILE"], manifest: zone("df-ss1", { labels: { a: "1" } }), oursExtra: ssa },
        { args: ["apply", "--server-side", "-f", "FILE"], oursExtra: ssa },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-ss2", { labels: { a: "1", b: "2" } }) },
        { args: ["apply", "--server-side", "-f", "FILE"], oursExtra: ssa },
        { args: ["apply", "--server-side", "-f", "FILE"], manifest: zone("df-ss2", { labels: { a: "1" } }), oursExtra: ssa },
        { args: ["apply", "--server-side", "--field-manager", "other", "-f", "FILE"], manifest: zone("df-ss2", { labels: { a: "9" }, domain: "x.example" }) },
        { args: ["apply", "--server-side", "--field-manager", "other", "--force-conflicts", "-f", "FILE"] },
        { args: ["apply", "-f", "FILE"] },
      ],
      ["df-ss1", "df-ss2"],
    );
  });

  test("a cluster-scoped object (a project in the organization's control plane)", async () => {
    const project = (name: string, display: string) =>
      `apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Project\nmetadata:\n  name: ${name}\n  annotations:\n    kubernetes.io/display-name: ${display}\nspec:\n  ownerRef:\n    kind: Organization\n    name: acme\n`;
    const ACME = datum.api.orgPath("acme");
    for (const display of ["One", "One", "Two"]) {
      const k = file(project("df-pk", display));
      const d = file(project("df-pd", display));
      const theirs = await kubectl!.kubectl("acme", ["apply", "-f", k]);
      const ours = await run(["apply", "--organization", "acme", "-f", d]);
      expect({ out: ours.stdout.replace("df-pd", "NAME"), err: ours.stderr, code: ours.exitCode }).toEqual({
        out: theirs.stdout.replace("df-pk", "NAME"),
        err: theirs.stderr,
        code: theirs.code,
      });
    }
    const strip = (o: Obj, name: string) => JSON.parse(JSON.stringify(comparable(o, "<no namespace>")).replaceAll(name, "NAME"));
    expect(strip(datum.api.get(ACME, "projects", "df-pd")!, "df-pd")).toEqual(strip(datum.api.get(ACME, "projects", "df-pk")!, "df-pk"));
  });

  test("the tools take turns on the same objects: each sees the other's apply as unchanged", async () => {
    const a = file(zone("df-turns", { labels: { t: "1" } }));
    const ns = "turns";
    const k1 = await kubectl!.kubectl("web", ["-n", ns, "apply", "-f", a]);
    expect(k1.stdout).toBe("dnszone.dns.networking.miloapis.com/df-turns created\n");
    expectOk(await run(["-n", ns, "apply", "-f", a]), "dnszone.dns.networking.miloapis.com/df-turns unchanged\n");
    writeFileSync(a, zone("df-turns", { labels: { t: "2" } }));
    expectOk(await run(["-n", ns, "apply", "-f", a]), "dnszone.dns.networking.miloapis.com/df-turns configured\n");
    const k2 = await kubectl!.kubectl("web", ["-n", ns, "apply", "-f", a]);
    expect([k2.stdout, k2.stderr]).toEqual(["dnszone.dns.networking.miloapis.com/df-turns unchanged\n", ""]);
  });

  test("errors: invalid, unknown fields, wrong namespace, several at once", async () => {
    await both(
      [
        { args: ["apply", "-f", "FILE"], manifest: zone("df-e1", { cls: null }) },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-e2", { extra: "  bogus: true" }) },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-e3") },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-e3", { extra: "  bogus: true" }) },
        { args: ["apply", "--server-side", "-f", "FILE"], oursExtra: ["--field-manager", "kubectl"] },
        {
          args: ["apply", "-f", "FILE"],
          manifest: [zone("df-e4"), zone("df-e5", { namespace: "nowhere" }), zone("df-e6", { cls: null }), zone("df-e7", { extra: "  bogus: 1" })].join(
            "---\n",
          ),
        },
        { args: ["apply", "-f", "FILE"], manifest: zone("df-e8").replace("metadata:\n", "metadata:\n  labels:\n    n: 1\n") },
      ],
      ["df-e1", "df-e2", "df-e3", "df-e4", "df-e5", "df-e6", "df-e7"],
    );
  });

  test("stdin and a List", async () => {
    const list = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [{ apiVersion: DNS, kind: "DNSZone", metadata: { name: "df-l1" }, spec: { domainName: "l.example", dnsZoneClassName: "c" } }],
    });
    await both(
      [
        { args: ["apply", "-f", "-"], stdin: `${zone("df-s1")}---\n${zone("df-s2")}` },
        // The local control plane serves no OpenAPI for v1, which kubectl validates a List against.
        { args: ["apply", "--validate=false", "-f", "-"], stdin: list },
        { args: ["apply", "--validate=false", "-f", "-", "-o", "json"], stdin: list },
      ],
      ["df-s1", "df-s2", "df-l1"],
    );
  });
});

describe("three-way merge patch and the managed-fields move (in process)", () => {
  test("deletions come from the last applied configuration, additions and changes from the live object", () => {
    const original = { metadata: { labels: { a: "1", gone: "x" } }, spec: { list: [1, 2], keep: "k", nested: { drop: 1, stay: 2 } } };
    const modified = { metadata: { labels: { a: "2" } }, spec: { list: [1, 2, 3], keep: "k", nested: { stay: 2 }, empty: {} } };
    const current = {
      metadata: { labels: { a: "1", gone: "x", server: "s" }, uid: "u" },
      spec: { list: [1, 2], keep: "k", nested: { drop: 1, stay: 2, defaulted: true } },
      status: { ok: true },
    };
    expect(threeWayMergePatch(original, modified, current)).toEqual({
      metadata: { labels: { a: "2", gone: null } },
      spec: { list: [1, 2, 3], nested: { drop: null }, empty: {} },
    });
    // Nothing changed: an empty patch, so nothing is sent.
    expect(threeWayMergePatch(modified, modified, { ...modified, status: { x: 1 } })).toEqual({});
    // A value someone else changed is put back; a key only the server has stays.
    expect(threeWayMergePatch(modified, modified, { ...modified, spec: { ...modified.spec, keep: "other", extra: 1 } })).toEqual({ spec: { keep: "k" } });
    expect(() => threeWayMergePatch({}, { kind: "B" }, { kind: "A" })).toThrow("At least one of apiVersion, kind and name was changed");
    expect(createMergePatch({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });

  test("client-side managers owning the last-applied annotation hand their fields to the server-side one", () => {
    const entries = [
      {
        manager: "kubectl-client-side-apply",
        operation: "Update",
        apiVersion: "g/v1",
        time: "t1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, [`f:${LAST_APPLIED}`]: {} } }, "f:spec": { "f:a": {} } },
      },
      { manager: "datumctl", operation: "Apply", apiVersion: "g/v1", time: "t2", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:b": {}, "f:a": {} } } },
      {
        manager: "controller",
        operation: "Update",
        apiVersion: "g/v1",
        time: "t3",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:status": {} },
        subresource: "status",
      },
    ];
    expect(upgradePatch(entries, "42", "datumctl")).toEqual([
      {
        op: "replace",
        path: "/metadata/managedFields",
        value: [
          {
            manager: "datumctl",
            operation: "Apply",
            apiVersion: "g/v1",
            time: "t2",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, [`f:${LAST_APPLIED}`]: {} } }, "f:spec": { "f:a": {}, "f:b": {} } },
          },
          entries[2],
        ],
      },
      { op: "replace", path: "/metadata/resourceVersion", value: "42" },
    ]);
    // No server-side entry yet: the client-side one becomes it, in place.
    const [first] = upgradePatch([entries[0]!], "7", "kubectl") as [{ value: Obj[] }];
    expect(first.value.map((e) => [e.manager, e.operation, e.time])).toEqual([["kubectl", "Apply", "t1"]]);
    // Nothing to move.
    expect(upgradePatch([entries[1]!, entries[2]!], "1", "datumctl")).toBeUndefined();
  });
});
