// The local control plane (tests/support/control-plane) speaks the Kubernetes API the way
// kubectl 1.32 expects, under Datum's prefixes. These tests talk to it over HTTPS with Bun's
// fetch, exactly as a client would; kubectl itself is exercised elsewhere.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CallOptions, call as callTo, type Json, send as sendTo, watchReader } from "./support/control-plane/client";
import { type ControlPlane, defaultSeed, describeSeed, startControlPlane } from "./support/control-plane/index";
import { decodeReview, encodeAccessReview, envelope, message } from "./support/control-plane/protobuf";
import { humanDuration } from "./support/control-plane/table";
import { USERS } from "./support/users";

const TOKENS: Record<string, string> = { "ada-token": "ada", "bob-token": "bob" };
const START = Date.parse("2026-03-01T12:00:00Z");
let clock = START;
let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane({
    users: USERS,
    now: () => new Date(clock),
    verifyToken: async (t) => (TOKENS[t] ? { sub: TOKENS[t]! } : null),
  });
});
afterAll(() => cp.close());

const DNS = "/apis/dns.networking.miloapis.com/v1alpha1";
const RM = "/apis/resourcemanager.miloapis.com/v1alpha1";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const AGGREGATED =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
const web = () => cp.projectPath("web");
const zones = () => `${web()}${DNS}/namespaces/default/dnszones`;

const send = (path: string, c: CallOptions = {}) => sendTo(cp, path, { token: "ada-token", ...c });
const call = (path: string, c: CallOptions = {}) => callTo(cp, path, { token: "ada-token", ...c });

const zone = (name: string, domainName = `${name}.example.org`, labels: Record<string, string> = {}) => ({
  apiVersion: "dns.networking.miloapis.com/v1alpha1",
  kind: "DNSZone",
  metadata: { name, labels },
  spec: { domainName, dnsZoneClassName: "datum-external-global-dns" },
});

describe("discovery", () => {
  test("aggregated v2 for /apis and /api, chosen by Accept, with Datum's DNS types", async () => {
    const apis = await call(`${web()}/apis`, { accept: AGGREGATED });
    expect(apis.status).toBe(200);
    expect(apis.type).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    expect(apis.body.kind).toBe("APIGroupDiscoveryList");
    const groups = apis.body.items.map((i: Json) => i.metadata.name);
    expect(groups).toEqual(["dns.networking.miloapis.com", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io"]);
    const dz = apis.body.items[0].versions[0].resources.find((r: Json) => r.resource === "dnszones");
    expect(dz).toMatchObject({ scope: "Namespaced", singularResource: "dnszone", responseKind: { kind: "DNSZone", version: "v1alpha1" } });
    expect(dz.shortNames).toBeUndefined();
    expect(dz.verbs).toContain("patch");
    expect(dz.subresources[0]).toMatchObject({ subresource: "status", verbs: ["get", "patch", "update"] });

    const core = await call(`${web()}/api`, { accept: AGGREGATED });
    expect(core.body.items[0].versions[0].resources[0]).toMatchObject({ resource: "events", shortNames: ["ev"] });

    const beta = await call(`${web()}/apis`, { accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json" });
    expect(beta.type).toBe("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
    expect(beta.body.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
  });

  test("legacy discovery: APIVersions, APIGroupList, APIGroup and APIResourceList", async () => {
    const api = await call(`${web()}/api`, { accept: "application/json, */*" });
    expect(api.type).toBe("application/json");
    expect(api.body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const apis = await call(`${web()}/apis`);
    expect(apis.body.kind).toBe("APIGroupList");
    expect(apis.body.groups[0]).toEqual({
      name: "dns.networking.miloapis.com",
      versions: [{ groupVersion: "dns.networking.miloapis.com/v1alpha1", version: "v1alpha1" }],
      preferredVersion: { groupVersion: "dns.networking.miloapis.com/v1alpha1", version: "v1alpha1" },
    });
    const group = await call(`${web()}/apis/dns.networking.miloapis.com`);
    expect(group.body).toMatchObject({ kind: "APIGroup", name: "dns.networking.miloapis.com" });
    const list = await call(`${web()}${DNS}`);
    expect(list.body.kind).toBe("APIResourceList");
    expect(list.body.resources.map((r: Json) => r.name)).toEqual(["dnszones", "dnszones/status", "dnsrecordsets", "dnsrecordsets/status"]);
    expect(list.body.resources[0]).toMatchObject({ singularName: "dnszone", namespaced: true, kind: "DNSZone" });
    const v1 = await call(`${web()}/api/v1`);
    expect(v1.body.resources[0]).toMatchObject({ name: "events", shortNames: ["ev"], namespaced: true });
    const authz = await call(`${web()}/apis/authorization.k8s.io/v1`);
    expect(authz.body.resources.map((r: Json) => r.name)).toEqual(["selfsubjectaccessreviews", "selfsubjectrulesreviews"]);
  });

  test("each plane serves its own types", async () => {
    const kinds = async (prefix: string, token = "ada-token") => {
      const r = await call(`${prefix}/apis`, { accept: AGGREGATED, token });
      return r.body.items.flatMap((g: Json) => g.versions[0].resources.map((x: Json) => `${x.resource}:${x.verbs.length}`));
    };
    expect(await kinds(cp.userPath("ada"))).toEqual([
      "organizationmemberships:3",
      "organizations:3",
      "selfsubjectreviews:1",
      "selfsubjectaccessreviews:1",
      "selfsubjectrulesreviews:1",
    ]);
    expect((await kinds(cp.orgPath("acme")))[0]).toBe("projects:8");
    expect((await kinds("")).slice(0, 3)).toEqual(["organizations:8", "projects:8", "organizationmemberships:8"]);
    const root = await call("/apis", { accept: AGGREGATED });
    expect(root.body.items[0].versions[0].resources[0].categories).toEqual(["datum"]);
  });

  test("/version says 1.32 so kubectl's dispatcher picks kubectl 1.32", async () => {
    const v = await call(`${web()}/version`);
    expect(v.body).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.4-datum" });
  });

  test("/version under every plane's prefix, to any signed-in user, as an apiserver serves it", async () => {
    for (const prefix of [web(), cp.orgPath("acme"), cp.userPath("bob"), ""]) {
      const v = await call(`${prefix}/version`, { token: "bob-token" });
      expect({ prefix, status: v.status, gitVersion: v.body.gitVersion }).toEqual({ prefix, status: 200, gitVersion: "v1.32.4-datum" });
      for (const token of [null, "forged"])
        expect({ prefix, token, status: (await call(`${prefix}/version`, { token })).status }).toEqual({ prefix, token, status: 401 });
    }
  });
});

describe("tables", () => {
  test("dnszones: NAME then the printer columns, rows carry PartialObjectMetadata", async () => {
    const t = await call(zones(), { accept: TABLE });
    expect(t.type).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(t.body.kind).toBe("Table");
    expect(t.body.columnDefinitions.map((c: Json) => [c.name, c.type, c.priority])).toEqual([
      ["Name", "string", 0],
      ["Accepted", "string", 0],
      ["Programmed", "string", 0],
      ["Records", "integer", 0],
    ]);
    const example = t.body.rows.find((r: Json) => r.cells[0] === "example-com");
    expect(example.cells).toEqual(["example-com", "True", "True", 3]);
    expect(t.body.rows.find((r: Json) => r.cells[0] === "shop-example-com").cells).toEqual(["shop-example-com", "True", "False", 1]);
    expect(example.object).toMatchObject({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "example-com", namespace: "default" },
    });
    const one = await call(`${zones()}/example-com?includeObject=None`, { accept: TABLE });
    expect(one.body.rows).toEqual([{ cells: ["example-com", "True", "True", 3] }]);
  });

  test("escaped-dot JSONPath, filters, date columns as kubectl's human durations", async () => {
    const org = await call(`${cp.userPath("ada")}${RM}/organizations/acme`, { accept: TABLE });
    expect(org.body.columnDefinitions.map((c: Json) => c.name)).toEqual(["Name", "Display Name", "Type", "Ready", "Age"]);
    expect(org.body.rows[0].cells).toEqual(["acme", "Acme Corp", "Standard", "True", "30d"]);
    const projects = async () => (await call(`${cp.orgPath("acme")}${RM}/projects`, { accept: TABLE })).body.rows.map((r: Json) => r.cells);
    expect(await projects()).toEqual([
      ["data", "True", "6h"],
      ["web", "True", "20d"],
    ]);
    clock = START + 90 * 60_000;
    try {
      expect(await projects()).toEqual([
        ["data", "True", "7h30m"],
        ["web", "True", "20d"],
      ]);
    } finally {
      clock = START;
    }
  });

  test("priority-1 columns are flagged (kubectl shows them with -o wide)", async () => {
    const t = await call(`${cp.userPath("ada")}${RM}/organizationmemberships`, { accept: TABLE });
    const wide = t.body.columnDefinitions.filter((c: Json) => c.priority === 1).map((c: Json) => c.name);
    expect(wide).toEqual(["User Email", "User Given Name", "User Family Name"]);
    expect(t.body.rows.map((r: Json) => r.cells.slice(0, 5))).toEqual([
      ["member-ada", "acme", "Standard", "Acme Corp", "ada"],
      ["member-ada", "globex", "Standard", "Globex", "ada"],
    ]);
  });

  test("events use the built-in event columns", async () => {
    const t = await call(`${web()}/api/v1/namespaces/default/events`, { accept: TABLE });
    expect(t.body.columnDefinitions.filter((c: Json) => c.priority === 0).map((c: Json) => c.name)).toEqual([
      "Last Seen",
      "Type",
      "Reason",
      "Object",
      "Message",
    ]);
    expect(t.body.rows[0].cells.slice(0, 4)).toEqual(["3d", "Normal", "Programmed", "dnszone/example-com"]);
  });

  test("humanDuration matches apimachinery's", () => {
    const s = 1000;
    const cases: [number, string][] = [
      [-5 * s, "<invalid>"],
      [-1 * s, "0s"],
      [119 * s, "119s"],
      [125 * s, "2m5s"],
      [600 * s, "10m"],
      [3 * 3600 * s, "3h"],
      [(3 * 3600 + 60) * s, "3h1m"],
      [9 * 3600 * s, "9h"],
      [50 * 3600 * s, "2d2h"],
      [10 * 86400 * s, "10d"],
      [800 * 86400 * s, "2y70d"],
      [9 * 365 * 86400 * s, "9y"],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms)).toBe(want);
  });
});

describe("lists", () => {
  test("plain lists are <Kind>List with typed items", async () => {
    const l = await call(zones());
    expect(l.body).toMatchObject({ apiVersion: "dns.networking.miloapis.com/v1alpha1", kind: "DNSZoneList" });
    expect(l.body.items[0]).toMatchObject({ apiVersion: "dns.networking.miloapis.com/v1alpha1", kind: "DNSZone" });
    expect(Number(l.body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  test("limit/continue pages with remainingItemCount", async () => {
    const rs = `${web()}${DNS}/namespaces/default/dnsrecordsets`;
    const first = await call(`${rs}?limit=3`);
    expect(first.body.items.map((i: Json) => i.metadata.name)).toEqual(["example-com-mail", "example-com-spf", "example-com-www"]);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const second = await call(`${rs}?limit=3&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(second.body.items.map((i: Json) => i.metadata.name)).toEqual(["shop-example-com-www"]);
    expect(second.body.metadata.continue).toBeUndefined();
    const table = await call(`${rs}?limit=2`, { accept: TABLE });
    expect(table.body.metadata.continue).toBeString();
    expect((await call(`${rs}?limit=2&continue=garbage`)).status).toBe(400);
  });

  test("label selectors: =, ==, !=, in, notin, exists, !exists", async () => {
    const names = async (sel: string) => (await call(`${zones()}?labelSelector=${encodeURIComponent(sel)}`)).body.items.map((i: Json) => i.metadata.name);
    expect(await names("env=prod")).toEqual(["example-com"]);
    expect(await names("env==staging")).toEqual(["shop-example-com"]);
    expect(await names("env!=prod,team")).toEqual(["shop-example-com"]);
    expect(await names("env in (prod, staging)")).toEqual(["example-com", "shop-example-com"]);
    expect(await names("team notin (web)")).toEqual(["shop-example-com"]);
    expect(await names("!team")).toEqual([]);
    const bad = await call(`${zones()}?labelSelector=${encodeURIComponent("env=(")}`);
    expect(bad.status).toBe(400);
  });

  test("field selectors on metadata.name and metadata.namespace; others refused", async () => {
    const byName = await call(`${zones()}?fieldSelector=metadata.name%3Dexample-com`);
    expect(byName.body.items.map((i: Json) => i.metadata.name)).toEqual(["example-com"]);
    const all = await call(`${web()}${DNS}/dnszones?fieldSelector=metadata.namespace!%3Ddefault`);
    expect(all.body.items).toEqual([]);
    const bad = await call(`${zones()}?fieldSelector=spec.domainName%3Dexample.com`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('"spec.domainName" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });
});

describe("writes", () => {
  test("create: 201, system metadata stamped, status dropped; AlreadyExists on repeat", async () => {
    const body = { ...zone("created"), status: { recordCount: 99 } };
    const r = await call(`${zones()}?fieldManager=tester`, { method: "POST", body });
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({ name: "created", namespace: "default", generation: 1, creationTimestamp: "2026-03-01T12:00:00Z" });
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.managedFields).toEqual([
      {
        manager: "tester",
        operation: "Update",
        apiVersion: "dns.networking.miloapis.com/v1alpha1",
        time: "2026-03-01T12:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:spec": { "f:domainName": {}, "f:dnsZoneClassName": {} } },
      },
    ]);
    expect(r.body.status).toBeUndefined();
    const again = await call(zones(), { method: "POST", body: zone("created") });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "AlreadyExists",
      code: 409,
      message: 'dnszones.dns.networking.miloapis.com "created" already exists',
      details: { name: "created", group: "dns.networking.miloapis.com", kind: "dnszones" },
    });
  });

  test("update: resourceVersion precondition, generation bumps on spec changes only", async () => {
    const created = (await call(zones(), { method: "POST", body: zone("updated") })).body;
    const stale = { ...created, metadata: { ...created.metadata, resourceVersion: "1" } };
    const c = await call(`${zones()}/updated`, { method: "PUT", body: stale });
    expect(c.status).toBe(409);
    expect(c.body.message).toBe(
      'Operation cannot be fulfilled on dnszones.dns.networking.miloapis.com "updated": the object has been modified; please apply your changes to the latest version and try again',
    );
    const labelled = await call(`${zones()}/updated`, { method: "PUT", body: { ...created, metadata: { ...created.metadata, labels: { a: "b" } } } });
    expect(labelled.status).toBe(200);
    expect(labelled.body.metadata.generation).toBe(1);
    const changed = await call(`${zones()}/updated`, {
      method: "PUT",
      body: { ...labelled.body, spec: { ...created.spec, domainName: "changed.example.org" } },
    });
    expect(changed.body.metadata.generation).toBe(2);
    expect(Number(changed.body.metadata.resourceVersion)).toBeGreaterThan(Number(labelled.body.metadata.resourceVersion));
    const missing = await call(`${zones()}/nope`, { method: "PUT", body: zone("nope") });
    expect(missing.status).toBe(404);
  });

  test("merge patch and JSON patch", async () => {
    await call(zones(), { method: "POST", body: zone("patched") });
    const merge = await call(`${zones()}/patched`, {
      method: "PATCH",
      type: "application/merge-patch+json",
      body: { metadata: { labels: { tier: "gold" } }, spec: { domainName: "merged.example.org" } },
    });
    expect(merge.status).toBe(200);
    expect(merge.body.metadata.labels).toEqual({ tier: "gold" });
    expect(merge.body.spec.domainName).toBe("merged.example.org");
    const jp = await call(`${zones()}/patched`, {
      method: "PATCH",
      type: "application/json-patch+json",
      body: [
        { op: "test", path: "/spec/domainName", value: "merged.example.org" },
        { op: "remove", path: "/metadata/labels/tier" },
      ],
    });
    expect(jp.status).toBe(200);
    expect(jp.body.metadata.labels).toBeUndefined(); // empty maps are omitted, as by typed ObjectMeta
    const failed = await call(`${zones()}/patched`, {
      method: "PATCH",
      type: "application/json-patch+json",
      body: [{ op: "test", path: "/spec/domainName", value: "x" }],
    });
    expect(failed.status).toBe(422);
    const smp = await call(`${zones()}/patched`, { method: "PATCH", type: "application/strategic-merge-patch+json", body: {} });
    expect(smp.status).toBe(415);
  });

  test("schema validation: required and enum → 422 Invalid; unknown fields by fieldValidation", async () => {
    const rs = `${web()}${DNS}/namespaces/default/dnsrecordsets`;
    const bad = await call(rs, {
      method: "POST",
      body: {
        apiVersion: "dns.networking.miloapis.com/v1alpha1",
        kind: "DNSRecordSet",
        metadata: { name: "bad" },
        spec: { recordType: "BOGUS", records: [{ ttl: 60 }] },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe("Invalid");
    expect(bad.body.details.causes).toEqual([
      {
        reason: "FieldValueNotSupported",
        field: "spec.recordType",
        message:
          'Unsupported value: "BOGUS": supported values: "A", "AAAA", "ALIAS", "CNAME", "TXT", "MX", "SRV", "CAA", "NS", "SOA", "PTR", "TLSA", "HTTPS", "SVCB"',
      },
      { reason: "FieldValueRequired", field: "spec.records[0].name", message: "Required value" },
    ]);
    expect(bad.body.message).toStartWith('DNSRecordSet.dns.networking.miloapis.com "bad" is invalid: [spec.recordType: Unsupported value: "BOGUS"');
    const badName = await call(zones(), { method: "POST", body: zone("Bad_Name") });
    expect(badName.body.details.causes[0]).toMatchObject({ reason: "FieldValueInvalid", field: "metadata.name" });
    const noSpec = await call(zones(), { method: "POST", body: { ...zone("nospec"), spec: { domainName: "x.org" } } });
    expect(noSpec.body.message).toBe('DNSZone.dns.networking.miloapis.com "nospec" is invalid: spec.dnsZoneClassName: Required value');

    const extra = { ...zone("extra"), spec: { ...zone("extra").spec, bogus: 1 } };
    const strict = await call(`${zones()}?fieldValidation=Strict`, { method: "POST", body: extra });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('DNSZone in version "v1alpha1" cannot be handled as a DNSZone: strict decoding error: unknown field "spec.bogus"');
    const warn = await call(zones(), { method: "POST", body: extra });
    expect(warn.status).toBe(201);
    expect(warn.res.headers.get("warning")).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect(warn.body.spec.bogus).toBeUndefined();
  });

  test("status subresource: /status writes status only, the main resource ignores status", async () => {
    const created = (await call(zones(), { method: "POST", body: zone("with-status") })).body;
    const st = await call(`${zones()}/with-status/status`, {
      method: "PUT",
      body: { ...created, spec: { domainName: "ignored.org", dnsZoneClassName: "x" }, status: { recordCount: 7 } },
    });
    expect(st.status).toBe(200);
    expect(st.body.status).toEqual({ recordCount: 7 });
    expect(st.body.spec.domainName).toBe("with-status.example.org");
    expect(st.body.metadata.managedFields.at(-1)).toMatchObject({ manager: "Bun", subresource: "status" });
    const main = await call(`${zones()}/with-status`, { method: "PATCH", type: "application/merge-patch+json", body: { status: { recordCount: 1 } } });
    expect(main.body.status).toEqual({ recordCount: 7 });
  });

  test("delete: body or query propagationPolicy, the object back, then 404; uid precondition", async () => {
    await call(zones(), { method: "POST", body: zone("doomed") });
    const d = await call(`${zones()}/doomed`, { method: "DELETE", body: { propagationPolicy: "Background" } });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ kind: "DNSZone", metadata: { name: "doomed" } });
    const gone = await call(`${zones()}/doomed`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('dnszones.dns.networking.miloapis.com "doomed" not found');
    await call(zones(), { method: "POST", body: zone("doomed2") });
    const pre = await call(`${zones()}/doomed2`, { method: "DELETE", body: { preconditions: { uid: "not-it" } } });
    expect(pre.status).toBe(409);
    expect((await call(`${zones()}/doomed2?propagationPolicy=Foreground`, { method: "DELETE" })).status).toBe(200);
    expect((await call(`${zones()}/doomed2`, { method: "DELETE" })).status).toBe(404);
  });

  test("finalizers hold a deleted object until they are removed", async () => {
    cp.put(web(), { ...zone("held"), metadata: { name: "held", finalizers: ["dns.networking.miloapis.com/cleanup"] } });
    const d = await call(`${zones()}/held`, { method: "DELETE" });
    expect(d.body.metadata.deletionTimestamp).toBe("2026-03-01T12:00:00Z");
    expect((await call(`${zones()}/held`)).status).toBe(200);
    const released = await call(`${zones()}/held`, { method: "PATCH", type: "application/merge-patch+json", body: { metadata: { finalizers: null } } });
    expect(released.status).toBe(200);
    expect((await call(`${zones()}/held`)).status).toBe(404);
  });

  test("dryRun=All on every write changes nothing", async () => {
    const before = cp.list(web(), "dnszones").map((z) => z.metadata.resourceVersion);
    const rv = (await call(zones())).body.metadata.resourceVersion;
    const create = await call(`${zones()}?dryRun=All`, { method: "POST", body: zone("dry") });
    expect(create.status).toBe(201);
    expect(create.body.metadata.name).toBe("dry");
    const patch = await call(`${zones()}/example-com?dryRun=All`, {
      method: "PATCH",
      type: "application/merge-patch+json",
      body: { spec: { domainName: "dry.org" } },
    });
    expect(patch.body.spec.domainName).toBe("dry.org");
    const applied = await call(`${zones()}/dry-applied?dryRun=All&fieldManager=kubectl`, {
      method: "PATCH",
      type: "application/apply-patch+yaml",
      body: zone("dry-applied"),
    });
    expect(applied.status).toBe(201);
    const del = await call(`${zones()}/example-com?dryRun=All`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await call(zones())).body.metadata.resourceVersion).toBe(rv);
    expect(cp.list(web(), "dnszones").map((z) => z.metadata.resourceVersion)).toEqual(before);
    expect(cp.get(web(), "dnszones", "example-com")?.spec.domainName).toBe("example.com");
    expect(cp.get(web(), "dnszones", "dry")).toBeUndefined();
  });
});

describe("server-side apply", () => {
  const apply = (name: string, body: unknown, q = "fieldManager=kubectl") =>
    call(`${zones()}/${name}?${q}`, { method: "PATCH", type: "application/apply-patch+yaml", body: typeof body === "string" ? body : JSON.stringify(body) });

  test("creates (201), updates (200), tracks Apply ownership, removes fields it stops applying", async () => {
    const yaml =
      "apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSZone\nmetadata:\n  name: ssa\n  labels:\n    a: one\n    b: two\nspec:\n  domainName: ssa.example.org\n  dnsZoneClassName: c\n";
    const created = await apply("ssa", yaml);
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "dns.networking.miloapis.com/v1alpha1",
        time: "2026-03-01T12:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { "f:a": {}, "f:b": {} } }, "f:spec": { "f:domainName": {}, "f:dnsZoneClassName": {} } },
      },
    ]);
    const updated = await apply("ssa", { ...zone("ssa", "ssa2.example.org", { a: "one" }), spec: { domainName: "ssa2.example.org", dnsZoneClassName: "c" } });
    expect(updated.status).toBe(200);
    expect(updated.body.metadata.labels).toEqual({ a: "one" });
    expect(updated.body.spec.domainName).toBe("ssa2.example.org");
    expect(updated.body.metadata.generation).toBe(2);
  });

  test("conflicts with another manager: 409 FieldManagerConflict; force takes the field", async () => {
    await apply("contested", { ...zone("contested"), spec: { domainName: "mine.example.org", dnsZoneClassName: "c" } });
    const conflict = await apply(
      "contested",
      { ...zone("contested"), spec: { domainName: "theirs.example.org", dnsZoneClassName: "c" } },
      "fieldManager=other&force=false",
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.domainName',
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl"', field: ".spec.domainName" }] },
    });
    const forced = await apply(
      "contested",
      { ...zone("contested"), spec: { domainName: "theirs.example.org", dnsZoneClassName: "c" } },
      "fieldManager=other&force=true",
    );
    expect(forced.status).toBe(200);
    const owners = Object.fromEntries(forced.body.metadata.managedFields.map((m: Json) => [m.manager, Object.keys(m.fieldsV1["f:spec"])]));
    expect(owners).toEqual({ kubectl: ["f:dnsZoneClassName"], other: ["f:domainName", "f:dnsZoneClassName"] });
  });

  test("conflicts with an Update manager name its apiVersion; same values are shared, not conflicts", async () => {
    await call(`${zones()}?fieldManager=kubectl-client-side-apply`, { method: "POST", body: zone("csa") });
    const same = await apply("csa", zone("csa"));
    expect(same.status).toBe(200);
    const diff = await apply("csa", zone("csa", "other.example.org"));
    expect(diff.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using dns.networking.miloapis.com/v1alpha1: .spec.domainName',
    );
  });

  test("a write that sets managedFields itself wins (kubectl's client-side to server-side migration)", async () => {
    const created = (await call(`${zones()}?fieldManager=kubectl-client-side-apply`, { method: "POST", body: zone("migrated") })).body;
    const entry = { ...created.metadata.managedFields[0], manager: "kubectl", operation: "Apply" };
    const r = await call(`${zones()}/migrated?fieldManager=kubectl`, {
      method: "PATCH",
      type: "application/json-patch+json",
      body: [
        { op: "test", path: "/metadata/resourceVersion", value: created.metadata.resourceVersion },
        { op: "replace", path: "/metadata/managedFields", value: [entry] },
      ],
    });
    expect(r.body.metadata.managedFields).toEqual([entry]);
    expect((await apply("migrated", zone("migrated", "moved.example.org"))).status).toBe(200);
  });

  test("Strict refuses undeclared fields; fieldManager is required", async () => {
    const strict = await apply("ssa-strict", { ...zone("ssa-strict"), spec: { ...zone("x").spec, nope: true } }, "fieldManager=kubectl&fieldValidation=Strict");
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(".spec.nope: field not declared in schema");
    const noManager = await apply("ssa-strict", zone("ssa-strict"), "");
    expect(noManager.status).toBe(422);
  });
});

describe("watch", () => {
  test("from a list's resourceVersion: ADDED, MODIFIED, DELETED as they happen", async () => {
    const rv = (await call(zones())).body.metadata.resourceVersion;
    const res = await send(`${zones()}?watch=true&resourceVersion=${rv}`); // 200 before any event
    expect(res.headers.get("content-type")).toBe("application/json;stream=watch");
    const w = watchReader(res);
    await call(zones(), { method: "POST", body: zone("watched") });
    await call(`${zones()}/watched`, { method: "PATCH", type: "application/merge-patch+json", body: { metadata: { labels: { x: "y" } } } });
    await call(`${zones()}/watched`, { method: "DELETE" });
    const events = [await w.next(), await w.next(), await w.next()];
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED watched", "MODIFIED watched", "DELETED watched"]);
    expect(events[1].object.metadata.labels).toEqual({ x: "y" });
    expect(events[0].object.kind).toBe("DNSZone");
    await w.cancel();
  });

  test("a resourceVersion in the past replays what happened since", async () => {
    const rv = (await call(zones())).body.metadata.resourceVersion;
    await call(zones(), { method: "POST", body: zone("replayed") });
    const w = watchReader(await send(`${zones()}?watch=true&resourceVersion=${rv}`));
    expect(await w.next()).toMatchObject({ type: "ADDED", object: { metadata: { name: "replayed" } } });
    await w.cancel();
  });

  test("without a resourceVersion the current objects come first; selectors apply", async () => {
    const w = watchReader(await send(`${zones()}?watch=1&labelSelector=env%3Dprod`));
    const first = await w.next();
    expect(first).toMatchObject({ type: "ADDED", object: { metadata: { name: "example-com" } } });
    // leaving the selection is a DELETED for this watcher
    await call(`${zones()}/example-com`, { method: "PATCH", type: "application/merge-patch+json", body: { metadata: { labels: { env: "dev" } } } });
    expect(await w.next()).toMatchObject({ type: "DELETED", object: { metadata: { name: "example-com", labels: { env: "dev" } } } });
    await call(`${zones()}/example-com`, { method: "PATCH", type: "application/merge-patch+json", body: { metadata: { labels: { env: "prod" } } } });
    expect(await w.next()).toMatchObject({ type: "ADDED", object: { metadata: { name: "example-com" } } });
    await w.cancel();
  });

  test("Table watches carry one-row tables, column definitions on the first event only", async () => {
    const w = watchReader(await send(`${zones()}?watch=true&fieldSelector=metadata.name%3Dexample-com`, { accept: TABLE }));
    const first = await w.next();
    expect(first.object.kind).toBe("Table");
    expect(first.object.columnDefinitions.map((c: Json) => c.name)).toEqual(["Name", "Accepted", "Programmed", "Records"]);
    expect(first.object.rows[0].cells).toEqual(["example-com", "True", "True", 3]);
    cp.put(web(), { ...cp.get(web(), "dnszones", "example-com")!, status: { ...cp.get(web(), "dnszones", "example-com")!.status, recordCount: 4 } });
    const second = await w.next();
    expect(second.type).toBe("MODIFIED");
    expect(second.object.columnDefinitions).toBeNull();
    expect(second.object.rows[0].cells).toEqual(["example-com", "True", "True", 4]);
    await w.cancel();
  });

  test("timeoutSeconds ends the stream", async () => {
    const w = watchReader(await send(`${zones()}?watch=true&timeoutSeconds=1&resourceVersion=${(await call(zones())).body.metadata.resourceVersion}`));
    expect(await w.next()).toBeUndefined();
  });

  test("knobs.plainWatchEvents: a Table watch gets the objects themselves, as from a server without tables", async () => {
    cp.knobs.plainWatchEvents = true;
    try {
      const w = watchReader(await send(`${zones()}?watch=true&fieldSelector=metadata.name%3Dexample-com`, { accept: TABLE }));
      const first = await w.next();
      expect(first).toMatchObject({ type: "ADDED", object: { kind: "DNSZone", metadata: { name: "example-com" } } });
      expect(first.object.rows).toBeUndefined();
      await w.cancel();
      // lists are still tables
      expect((await call(zones(), { accept: TABLE })).body.kind).toBe("Table");
    } finally {
      cp.knobs.plainWatchEvents = false;
    }
  });

  test('endWatches() ends open streams cleanly; endWatches("reset") drops their connections', async () => {
    const rv = (await call(zones())).body.metadata.resourceVersion;
    const closed = watchReader(await send(`${zones()}?watch=true&resourceVersion=${rv}`));
    cp.endWatches();
    expect(await closed.next()).toBeUndefined();

    const reset = watchReader(await send(`${zones()}?watch=true&resourceVersion=${rv}`));
    cp.endWatches("reset");
    await expect(reset.next()).rejects.toThrow();
    // the server carries on
    expect((await call(zones())).status).toBe(200);
  });
});

describe("authentication and authorization", () => {
  test("no token or a bad one: 401 Unauthorized Status", async () => {
    for (const token of [null, "forged"]) {
      const r = await call(zones(), { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    }
    expect((await call("/version", { token: null })).status).toBe(401);
  });

  test("viewers read but may not write, in kubectl's words", async () => {
    expect((await call(zones(), { token: "bob-token" })).status).toBe(200);
    const del = await call(`${zones()}/example-com`, { method: "DELETE", token: "bob-token" });
    expect(del.status).toBe(403);
    expect(del.body).toMatchObject({
      reason: "Forbidden",
      code: 403,
      message:
        'dnszones.dns.networking.miloapis.com "example-com" is forbidden: User "bob@example.com" cannot delete resource "dnszones" in API group "dns.networking.miloapis.com" in the namespace "default"',
      details: { name: "example-com", group: "dns.networking.miloapis.com", kind: "dnszones" },
    });
    const create = await call(`${cp.projectPath("ops")}${DNS}/namespaces/default/dnszones`, { method: "POST", body: zone("nope") });
    expect(create.body.message).toBe(
      'dnszones.dns.networking.miloapis.com is forbidden: User "ada@example.com" cannot create resource "dnszones" in API group "dns.networking.miloapis.com" in the namespace "default"',
    );
    const outsider = await call(`${cp.orgPath("globex")}${RM}/projects`, { token: "bob-token" });
    expect(outsider.body.message).toBe(
      'projects.resourcemanager.miloapis.com is forbidden: User "bob@example.com" cannot list resource "projects" in API group "resourcemanager.miloapis.com" at the cluster scope',
    );
  });

  test("a user's own plane: their memberships and organizations, read-only; nobody else's", async () => {
    const mine = await call(`${cp.userPath("ada")}${RM}/organizationmemberships`);
    expect(mine.body.items.map((m: Json) => m.spec.organizationRef.name)).toEqual(["acme", "globex"]);
    expect(mine.body.items[0].status).toMatchObject({
      organization: { displayName: "Acme Corp", type: "Standard" },
      user: { email: "ada@example.com", givenName: "Ada", familyName: "Lovelace" },
    });
    const org = await call(`${cp.userPath("ada")}${RM}/organizations/globex`);
    expect(org.body.status.conditions.find((c: Json) => c.type === "OnboardingComplete")).toMatchObject({ status: "False", reason: "BillingAccountMissing" });
    expect((await call(`${cp.userPath("bob")}${RM}/organizations/globex`, { token: "bob-token" })).status).toBe(404);
    expect((await call(`${cp.userPath("ada")}${RM}/organizationmemberships`, { token: "bob-token" })).status).toBe(403);
    const write = await call(`${cp.userPath("ada")}${RM}/namespaces/organization-acme/organizationmemberships/member-ada`, { method: "DELETE" });
    expect(write.status).toBe(403);
  });

  test("the platform root is for platform admins", async () => {
    expect((await call(`${RM}/organizations`)).status).toBe(403);
    cp.platformAdmins.add("ada");
    try {
      const orgs = await call(`${RM}/organizations`);
      expect(orgs.body.items.map((o: Json) => o.metadata.name)).toEqual(["acme", "globex"]);
    } finally {
      cp.platformAdmins.delete("ada");
    }
  });
});

describe("reviews", () => {
  const review = (plane: string, resource: string, body: unknown, token = "ada-token", type = "application/json") =>
    call(`${plane}/apis/${resource}`, { method: "POST", token, type, body, accept: "application/vnd.kubernetes.protobuf,application/json" });

  test("SelfSubjectReview: username is the email, uid the subject", async () => {
    const r = await review(
      web(),
      "authentication.k8s.io/v1/selfsubjectreviews",
      envelope("authentication.k8s.io/v1", "SelfSubjectReview", new Uint8Array()),
      "bob-token",
      "application/vnd.kubernetes.protobuf",
    );
    expect(r.status).toBe(201);
    expect(r.type).toBe("application/json");
    expect(r.body).toMatchObject({
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      status: { userInfo: { username: "bob@example.com", uid: "bob", groups: ["system:authenticated"] } },
    });
  });

  test("SelfSubjectAccessReview from JSON and from kubectl's protobuf", async () => {
    const spec = {
      resourceAttributes: { namespace: "default", verb: "delete", group: "dns.networking.miloapis.com", resource: "dnszones", name: "example-com" },
    };
    const bob = await review(
      web(),
      "authorization.k8s.io/v1/selfsubjectaccessreviews",
      { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", spec },
      "bob-token",
    );
    expect(bob.body).toMatchObject({ kind: "SelfSubjectAccessReview", spec, status: { allowed: false } });
    const pb = encodeAccessReview({ namespace: "default", verb: "delete", group: "dns.networking.miloapis.com", resource: "dnszones", name: "example-com" });
    expect(decodeReview(pb).spec.resourceAttributes).toEqual({ ...spec.resourceAttributes, version: "" });
    const ada = await review(web(), "authorization.k8s.io/v1/selfsubjectaccessreviews", pb, "ada-token", "application/vnd.kubernetes.protobuf");
    expect(ada.body.status).toEqual({ allowed: true, reason: 'owner of organization "acme"' });
    const nonResource = envelope(
      "authorization.k8s.io/v1",
      "SelfSubjectAccessReview",
      message([
        [
          2,
          message([
            [
              2,
              message([
                [1, "/version"],
                [2, "get"],
              ]),
            ],
          ]),
        ],
      ]),
    );
    const nr = await review(web(), "authorization.k8s.io/v1/selfsubjectaccessreviews", nonResource, "bob-token", "application/vnd.kubernetes.protobuf");
    expect(nr.body).toMatchObject({ spec: { nonResourceAttributes: { path: "/version", verb: "get" } }, status: { allowed: true } });
  });

  test("SelfSubjectRulesReview lists the plane's rules", async () => {
    const body = envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", message([[2, message([[1, "default"]])]]));
    const r = await review(web(), "authorization.k8s.io/v1/selfsubjectrulesreviews", body, "bob-token", "application/vnd.kubernetes.protobuf");
    expect(r.body.spec).toEqual({ namespace: "default" });
    expect(r.body.status.resourceRules).toContainEqual({
      verbs: ["get", "list", "watch"],
      apiGroups: ["dns.networking.miloapis.com"],
      resources: ["dnszones", "dnsrecordsets"],
    });
    expect(r.body.status.incomplete).toBe(false);
  });
});

describe("openapi", () => {
  test("v3 root points at per-group-version documents with hashes", async () => {
    const root = await call(`${web()}/openapi/v3`);
    const entry = root.body.paths["apis/dns.networking.miloapis.com/v1alpha1"];
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/dns\.networking\.miloapis\.com\/v1alpha1\?hash=[0-9A-F]{128}$/);
    expect(Object.keys(root.body.paths).sort()).toEqual([
      "api/v1",
      "apis/authentication.k8s.io/v1",
      "apis/authorization.k8s.io/v1",
      "apis/dns.networking.miloapis.com/v1alpha1",
      "apis/events.k8s.io/v1",
    ]);
    const doc = await call(`${web()}${entry.serverRelativeURL}`);
    expect(doc.status).toBe(200);
    const schema = doc.body.components.schemas["com.miloapis.networking.dns.v1alpha1.DNSZone"];
    expect(schema["x-kubernetes-group-version-kind"]).toEqual([{ group: "dns.networking.miloapis.com", version: "v1alpha1", kind: "DNSZone" }]);
    expect(schema.properties.spec.required).toEqual(["domainName", "dnsZoneClassName"]);
    const patch = doc.body.paths["/apis/dns.networking.miloapis.com/v1alpha1/namespaces/{namespace}/dnszones/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "dns.networking.miloapis.com", version: "v1alpha1", kind: "DNSZone" });
    expect(patch.parameters.map((p: Json) => p.name)).toContain("fieldValidation");
    // no strategic merge for custom resources, so kubectl's client-side apply sends merge patches
    expect(Object.keys(patch.requestBody.content)).not.toContain("application/strategic-merge-patch+json");
  });

  test("v2 is absent, so kubectl falls back to JSON merge patch", async () => {
    expect((await call(`${web()}/openapi/v2`)).status).toBe(404);
  });
});

describe("Datum prefixes", () => {
  test("unknown organization and project ids are 404 Status", async () => {
    const org = await call(`${cp.orgPath("nope")}${RM}/projects`);
    expect(org.status).toBe(404);
    expect(org.body).toMatchObject({ reason: "NotFound", message: 'organizations.resourcemanager.miloapis.com "nope" not found' });
    const project = await call(`${cp.projectPath("nope")}/api`);
    expect(project.body.message).toBe('projects.resourcemanager.miloapis.com "nope" not found');
    expect(cp.requests.at(-1)!.plane).toBeNull();
  });

  test("an organization's plane lists its projects only; new projects get planes, deleted ones lose them", async () => {
    const list = await call(`${cp.orgPath("acme")}${RM}/projects`);
    expect(list.body.items.map((p: Json) => [p.metadata.name, p.metadata.annotations["kubernetes.io/display-name"]])).toEqual([
      ["data", "Data Platform"],
      ["web", "Web Storefront"],
    ]);
    const created = await call(`${cp.orgPath("acme")}${RM}/projects`, {
      method: "POST",
      body: {
        apiVersion: "resourcemanager.miloapis.com/v1alpha1",
        kind: "Project",
        metadata: { name: "fresh", annotations: { "kubernetes.io/display-name": "Fresh" } },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.spec.ownerRef).toEqual({ kind: "Organization", name: "acme" });
    expect((await call(`${cp.projectPath("fresh")}${DNS}/namespaces/default/dnszones`)).body.items).toEqual([]);
    expect((await call(`${cp.orgPath("acme")}${RM}/projects/fresh`, { method: "DELETE" })).status).toBe(200);
    expect((await call(`${cp.projectPath("fresh")}${DNS}/namespaces/default/dnszones`)).status).toBe(404);
    const elsewhere = await call(`${cp.orgPath("acme")}${RM}/projects`, {
      method: "POST",
      body: {
        apiVersion: "resourcemanager.miloapis.com/v1alpha1",
        kind: "Project",
        metadata: { name: "sneaky" },
        spec: { ownerRef: { kind: "Organization", name: "globex" } },
      },
    });
    expect(elsewhere.status).toBe(422);
  });

  test("every request is logged: full path, plane, query, redacted headers, status, content type", async () => {
    cp.clearRequests();
    await call(`${zones()}?limit=1`, { accept: TABLE });
    expect(cp.requests).toHaveLength(1);
    const r = cp.requests[0]!;
    expect(r).toMatchObject({
      method: "GET",
      path: `${web()}${DNS}/namespaces/default/dnszones`,
      planePath: `${DNS}/namespaces/default/dnszones`,
      plane: { kind: "project", id: "web", prefix: web() },
      query: { limit: "1" },
      status: 200,
      contentType: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(r.headers.authorization).toBe("Bearer <redacted>");
    expect(r.headers.accept).toBe(TABLE);
  });

  test("protobuf bodies are logged by size; the seed can be described for people", async () => {
    cp.clearRequests();
    const body = encodeAccessReview({ verb: "get", resource: "dnszones", group: "dns.networking.miloapis.com", namespace: "default" });
    await call(`${web()}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, { method: "POST", type: "application/vnd.kubernetes.protobuf", body });
    expect(cp.requests[0]!.body).toBe(`<protobuf ${body.length} bytes>`);
    const text = describeSeed(defaultSeed(new Date(START)));
    expect(text).toContain('organization acme ("Acme Corp", onboarding True/Ready)');
    expect(text).toContain('organization globex ("Globex", onboarding False/BillingAccountMissing)');
    expect(text).toContain("member bob (bob@example.com): viewer");
  });

  test("tests can read and write objects directly; HTTP clients see the writes", async () => {
    const put = cp.put(web(), { ...zone("direct"), status: { recordCount: 2 } });
    expect(put.metadata.managedFields.map((m: Json) => m.manager)).toEqual(["datum-cloud-portal", "milo-controller-manager"]);
    const got = await call(`${zones()}/direct`);
    expect(got.body.status.recordCount).toBe(2);
    expect(cp.remove(web(), "dnszones", "direct")?.metadata.name).toBe("direct");
    expect((await call(`${zones()}/direct`)).status).toBe(404);
  });
});
