// Discovery and the REST mapper, in-process against a fake control plane that serves the
// same surface as aggregated v2, v2beta1 or legacy documents and counts every request.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallOptions } from "../src/api/client";
import { DEFAULT_GLOBALS } from "../src/cli/globals";
import { renderApiResources } from "../src/commands/api-resources";
import {
  type ApiResource,
  type ApiSurface,
  CACHE_TTL_MS,
  cacheFile,
  type DiscoveryTarget,
  discover,
  groupVersions,
  preferredResources,
  resolveIn,
  resolveResource,
} from "../src/discovery/index";
import { AGGREGATED_ACCEPT } from "../src/discovery/fetch";
import { DatumctlError } from "../src/errors";
import { captureIO } from "../src/io";
import type { Scope } from "../src/scope/resolve";

// ---- the fake control plane ----

interface Served {
  group: string;
  version: string;
  plural: string;
  singular?: string;
  kind: string;
  namespaced?: boolean;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
}

const CRUD = ["create", "delete", "get", "list", "patch", "update", "watch"];

/** Groups in the server's order; the first version of each group is its preferred one. */
const BASE: Served[] = [
  { group: "", version: "v1", plural: "events", singular: "event", kind: "Event", namespaced: true, shortNames: ["ev"] },
  {
    group: "",
    version: "v1",
    plural: "pods",
    singular: "pod",
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log"],
  },
  { group: "", version: "v1", plural: "bindings", singular: "", kind: "Binding", namespaced: true, verbs: ["create"] },
  {
    group: "apps",
    version: "v1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["scale"],
  },
  {
    group: "apps",
    version: "v1beta1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
  },
  { group: "apps", version: "v1beta1", plural: "legacythings", singular: "legacything", kind: "LegacyThing", namespaced: true },
  { group: "events.k8s.io", version: "v1", plural: "events", singular: "event", kind: "Event", namespaced: true, shortNames: ["ev"] },
  { group: "storage.k8s.io", version: "v1", plural: "storageclasses", singular: "storageclass", kind: "StorageClass", shortNames: ["sc"] },
  {
    group: "dns.networking.miloapis.com",
    version: "v1alpha1",
    plural: "dnszones",
    singular: "dnszone",
    kind: "DNSZone",
    namespaced: true,
    categories: ["datum"],
  },
  { group: "resourcemanager.miloapis.com", version: "v1alpha1", plural: "projects", singular: "project", kind: "Project", categories: ["datum"] },
  // One group/version where a plural is another resource's singular.
  { group: "weird.example.com", version: "v1", plural: "foos", singular: "foo", kind: "Foo" },
  { group: "weird.example.com", version: "v1", plural: "foo", singular: "bar", kind: "Bar" },
  // A kind whose lower case is not its singular.
  { group: "widgets.example.com", version: "v1", plural: "gadgets", singular: "gadget", kind: "Widget", verbs: [] },
];

type Mode = "v2" | "v2beta1" | "legacy";

class FakePlane {
  served: Served[] = [...BASE];
  mode: Mode = "v2";
  requests: { path: string; accept: string }[] = [];
  failing = new Set<string>();
  /** Answer 404 to everything (no control plane at this URL). */
  gone = false;
  constructor(readonly base = "https://api.example.test:8443/apis/resourcemanager.miloapis.com/v1alpha1/projects/web/control-plane") {}

  url(path: string): string {
    return this.base + path;
  }

  private groups(): Map<string, Map<string, Served[]>> {
    const out = new Map<string, Map<string, Served[]>>();
    for (const s of this.served) {
      const versions = out.get(s.group) ?? new Map<string, Served[]>();
      versions.set(s.version, [...(versions.get(s.version) ?? []), s]);
      out.set(s.group, versions);
    }
    return out;
  }

  async call(path: string, opts: CallOptions = {}): Promise<Response> {
    const accept = opts.headers?.accept ?? "application/json";
    this.requests.push({ path, accept });
    if (this.gone) {
      const status = {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        message: 'projects.resourcemanager.miloapis.com "web" not found',
        reason: "NotFound",
        code: 404,
      };
      return new Response(JSON.stringify(status), { status: 404, headers: { "content-type": "application/json" } });
    }
    const json = (body: unknown, type = "application/json") => new Response(JSON.stringify(body), { headers: { "content-type": type } });
    const groups = this.groups();
    const verbsOf = (s: Served) => s.verbs ?? CRUD;
    if ((path === "/api" || path === "/apis") && this.mode !== "legacy") {
      const core = path === "/api";
      const items = [...groups]
        .filter(([g]) => (g === "") === core)
        .map(([g, versions]) => ({
          metadata: g ? { name: g } : {},
          versions: [...versions].map(([version, list]) => ({
            version,
            freshness: "Current",
            resources: list.map((s) => ({
              resource: s.plural,
              responseKind: { group: s.group, version: s.version, kind: s.kind },
              scope: s.namespaced ? "Namespaced" : "Cluster",
              singularResource: s.singular ?? "",
              verbs: verbsOf(s),
              ...(s.shortNames ? { shortNames: s.shortNames } : {}),
              ...(s.categories ? { categories: s.categories } : {}),
              ...(s.subresources
                ? {
                    subresources: s.subresources.map((n) => ({
                      subresource: n,
                      responseKind: { group: s.group, version: s.version, kind: s.kind },
                      verbs: ["get"],
                    })),
                  }
                : {}),
            })),
          })),
        }));
      return json(
        { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${this.mode}`, items },
        `application/json;g=apidiscovery.k8s.io;v=${this.mode};as=APIGroupDiscoveryList`,
      );
    }
    if (path === "/api") return json({ kind: "APIVersions", versions: ["v1"] });
    if (path === "/apis") {
      const list = [...groups]
        .filter(([g]) => g)
        .map(([name, versions]) => {
          const vs = [...versions.keys()].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
          return { name, versions: vs, preferredVersion: vs[0] };
        });
      return json({ kind: "APIGroupList", groups: list });
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    const gv = m ? (m[2] ? `${m[2]}/${m[3]}` : m[1]!) : "";
    if (this.failing.has(gv)) throw new DatumctlError("the server is down", { code: "SERVER" });
    const list = m ? groups.get(m[2] ?? "")?.get(m[1] ?? m[3]!) : undefined;
    if (!list) return new Response("{}", { status: 404 });
    return json({
      kind: "APIResourceList",
      groupVersion: gv,
      resources: list.flatMap((s) => [
        {
          name: s.plural,
          singularName: s.singular ?? "",
          namespaced: !!s.namespaced,
          kind: s.kind,
          verbs: verbsOf(s),
          ...(s.shortNames ? { shortNames: s.shortNames } : {}),
          ...(s.categories ? { categories: s.categories } : {}),
        },
        ...(s.subresources ?? []).map((n) => ({ name: `${s.plural}/${n}`, singularName: "", namespaced: !!s.namespaced, kind: s.kind, verbs: ["get"] })),
      ]),
    });
  }

  discoveryRequests(): number {
    return this.requests.length;
  }
}

// ---- helpers ----

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function runtimeFor() {
  const configDir = mkdtempSync(join(tmpdir(), "datumctl-discovery-"));
  dirs.push(configDir);
  return { io: captureIO(), globals: DEFAULT_GLOBALS, configDir, serverWarnings: 0 };
}

const PROJECT: Scope = { kind: "project", project: "web", source: "flag" };
const target = (plane: FakePlane, scope: Scope = PROJECT): DiscoveryTarget => ({ client: plane, scope, subject: "ada" });

let plane: FakePlane;
let surface: ApiSurface;
beforeEach(async () => {
  plane = new FakePlane();
  surface = await discover(runtimeFor(), target(plane), { cached: false });
});

const short = (r: ApiResource) => `${r.resource}.${r.group || "core"}/${r.version}`;
const resolve = (arg: string) => resolveIn(surface, arg).resources.map(short);
function failure(fn: () => unknown): DatumctlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatumctlError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

// ---- tests ----

describe("fetching", () => {
  test("aggregated v2: two requests with kubectl's Accept, one model", () => {
    expect(plane.requests).toEqual([
      { path: "/api", accept: AGGREGATED_ACCEPT },
      { path: "/apis", accept: AGGREGATED_ACCEPT },
    ]);
    expect(AGGREGATED_ACCEPT).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
    );
    expect(surface.source).toBe("aggregated/v2");
    expect(surface.groups.map((g) => [g.name, g.versions.join(","), g.preferredVersion])).toEqual([
      ["", "v1", "v1"],
      ["apps", "v1,v1beta1", "v1"],
      ["events.k8s.io", "v1", "v1"],
      ["storage.k8s.io", "v1", "v1"],
      ["dns.networking.miloapis.com", "v1alpha1", "v1alpha1"],
      ["resourcemanager.miloapis.com", "v1alpha1", "v1alpha1"],
      ["weird.example.com", "v1", "v1"],
      ["widgets.example.com", "v1", "v1"],
    ]);
    const pods = surface.resources.find((r) => r.resource === "pods")!;
    expect(pods).toEqual({
      group: "",
      version: "v1",
      resource: "pods",
      singular: "pod",
      kind: "Pod",
      namespaced: true,
      verbs: CRUD,
      shortNames: ["po"],
      categories: ["all"],
      subresources: [
        { name: "status", kind: "Pod", verbs: ["get"] },
        { name: "log", kind: "Pod", verbs: ["get"] },
      ],
    });
    // No singular from the server: the kind, lower-cased.
    expect(surface.resources.find((r) => r.resource === "bindings")!.singular).toBe("binding");
    expect(surface.failed).toEqual([]);
  });

  test("aggregated v2beta1 reads the same", async () => {
    const p = new FakePlane();
    p.mode = "v2beta1";
    const s = await discover(runtimeFor(), target(p), { cached: false });
    expect(s.source).toBe("aggregated/v2beta1");
    expect(s.resources).toEqual(surface.resources);
    expect(s.groups).toEqual(surface.groups);
  });

  test("legacy fallback: /api, /apis, then every group/version, into the same model", async () => {
    const p = new FakePlane();
    p.mode = "legacy";
    const s = await discover(runtimeFor(), target(p), { cached: false });
    expect(s.source).toBe("legacy");
    expect(s.groups).toEqual(surface.groups);
    expect(s.resources).toEqual(surface.resources);
    expect(p.requests.map((r) => r.path)).toEqual([
      "/api",
      "/apis",
      "/api/v1",
      "/apis/apps/v1",
      "/apis/apps/v1beta1",
      "/apis/events.k8s.io/v1",
      "/apis/storage.k8s.io/v1",
      "/apis/dns.networking.miloapis.com/v1alpha1",
      "/apis/resourcemanager.miloapis.com/v1alpha1",
      "/apis/weird.example.com/v1",
      "/apis/widgets.example.com/v1",
    ]);
    expect(p.requests.slice(2).every((r) => r.accept === "application/json")).toBe(true);
  });

  test("a failing group/version: the rest is kept, the failure named, nothing cached", async () => {
    const p = new FakePlane();
    p.mode = "legacy";
    p.failing.add("apps/v1beta1");
    const rt = runtimeFor();
    const s = await discover(rt, target(p), { cached: false });
    expect(s.failed).toEqual([{ groupVersion: "apps/v1beta1", message: "the server is down" }]);
    expect(s.resources.some((r) => r.resource === "dnszones")).toBe(true);
    expect(() => statSync(s.cacheFile)).toThrow();
  });

  test("no /api and no /apis: the server's error, not an empty list", async () => {
    const p = new FakePlane();
    p.gone = true;
    const rt = runtimeFor();
    const e = await discover(rt, target(p), { cached: false }).catch((x) => x);
    expect(e).toBeInstanceOf(DatumctlError);
    expect(e.code).toBe("NOT_FOUND");
    expect(e.human).toBe('Error from server (NotFound): projects.resourcemanager.miloapis.com "web" not found');
    expect(() => statSync(cacheFile(rt.configDir, p.base, PROJECT, "ada"))).toThrow();
  });

  test("preferred resources and api-versions", () => {
    const preferred = preferredResources(surface).map(short);
    expect(preferred).toContain("deployments.apps/v1");
    expect(preferred).not.toContain("deployments.apps/v1beta1");
    expect(preferred).toContain("legacythings.apps/v1beta1");
    expect(groupVersions(surface)).toEqual([
      "apps/v1",
      "apps/v1beta1",
      "dns.networking.miloapis.com/v1alpha1",
      "events.k8s.io/v1",
      "resourcemanager.miloapis.com/v1alpha1",
      "storage.k8s.io/v1",
      "v1",
      "weird.example.com/v1",
      "widgets.example.com/v1",
    ]);
  });
});

describe("the REST mapper", () => {
  test("every way to name a type", () => {
    const zone = ["dnszones.dns.networking.miloapis.com/v1alpha1"];
    for (const arg of [
      "dnszones",
      "dnszone",
      "DNSZone",
      "DnsZones",
      "dnszones.dns.networking.miloapis.com",
      "dnszone.dns.networking.miloapis.com",
      "dnszones.dns",
      "dnszones.dns.networking",
      "dnszones.v1alpha1.dns.networking.miloapis.com",
      "DNSZone.dns.networking.miloapis.com",
      "DNSZone.v1alpha1.dns.networking.miloapis.com",
    ]) {
      expect([arg, resolve(arg)]).toEqual([arg, zone]);
    }
    expect(resolve("sc")).toEqual(["storageclasses.storage.k8s.io/v1"]);
    expect(resolve("SC")).toEqual(["storageclasses.storage.k8s.io/v1"]);
    expect(resolve("sc.storage")).toEqual(["storageclasses.storage.k8s.io/v1"]);
    expect(resolve("storageclass.storage")).toEqual(["storageclasses.storage.k8s.io/v1"]);
    // A kind that is neither plural nor singular, in any group, case-insensitive.
    expect(resolve("widget")).toEqual(["gadgets.widgets.example.com/v1"]);
    expect(resolve("WIDGET.widgets.example.com")).toEqual(["gadgets.widgets.example.com/v1"]);
    // Subresources are not types.
    expect(failure(() => resolve("status")).code).toBe("NOT_FOUND");
  });

  test("several groups or versions: core v1 first, then server order, preferred version first", () => {
    expect(resolve("events")).toEqual(["events.core/v1"]);
    expect(resolve("event")).toEqual(["events.core/v1"]);
    expect(resolve("Event")).toEqual(["events.core/v1"]);
    expect(resolve("events.events.k8s.io")).toEqual(["events.events.k8s.io/v1"]);
    expect(resolve("event.events")).toEqual(["events.events.k8s.io/v1"]);
    expect(resolve("Event.events.k8s.io")).toEqual(["events.events.k8s.io/v1"]);
    expect(resolve("deployments")).toEqual(["deployments.apps/v1"]);
    expect(resolve("deploy")).toEqual(["deployments.apps/v1"]);
    expect(resolve("deployments.v1beta1.apps")).toEqual(["deployments.apps/v1beta1"]);
    expect(resolve("legacythings")).toEqual(["legacythings.apps/v1beta1"]);
  });

  test("a short name two groups use: the first, with kubectl's warning", () => {
    const r = resolveIn(surface, "ev");
    expect(r.resources.map(short)).toEqual(["events.core/v1"]);
    expect(r.warnings).toEqual(['short name "ev" could also match lower priority resource events.events.k8s.io']);
    // Naming the group removes the doubt, by its full name or a prefix.
    expect(resolveIn(surface, "ev.events.k8s.io")).toEqual({ resources: [surface.resources.find((x) => x.group === "events.k8s.io")!], warnings: [] });
    expect(resolve("ev.events")).toEqual(["events.events.k8s.io/v1"]);
    expect(resolveIn(surface, "events").warnings).toEqual([]);
  });

  test("categories expand to every resource in them, each at its preferred version", () => {
    expect(resolve("all")).toEqual(["pods.core/v1", "deployments.apps/v1"]);
    expect(resolve("datum")).toEqual(["dnszones.dns.networking.miloapis.com/v1alpha1", "projects.resourcemanager.miloapis.com/v1alpha1"]);
    expect(resolve("Datum")).toEqual(resolve("datum"));
  });

  test("a real tie is ambiguous, and says how to be precise", () => {
    const e = failure(() => resolve("foo"));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toBe(
      'the resource type "foo" is ambiguous: it matches foos.weird.example.com (Foo, weird.example.com/v1) and foo.weird.example.com (Bar, weird.example.com/v1)',
    );
    expect(resolve("foos")).toEqual(["foos.weird.example.com/v1"]);
    expect(resolve("bar")).toEqual(["foo.weird.example.com/v1"]);
  });

  test("unknown types: kubectl's words, naming the resource part as typed, and a hint", () => {
    for (const [arg, named] of [
      ["nope", "nope"],
      ["Nope.example.com", "Nope"],
      ["dnszone.v1alpha1", "dnszone"],
      ["events.v1", "events"],
      ["", ""],
    ]) {
      const e = failure(() => resolve(arg!));
      expect(e.code).toBe("NOT_FOUND");
      expect(e.message).toBe(`the server doesn't have a resource type "${named}"`);
      expect(e.hint).toBe("Run 'datumctl api-resources' to see the resource types this control plane serves.");
    }
  });
});

describe("the disk cache", () => {
  test("one file per host and scope, 0600, no ':' in any name", async () => {
    const rt = runtimeFor();
    const file = cacheFile(rt.configDir, plane.base, PROJECT, "ada");
    expect(file).toBe(join(rt.configDir, "cache", "discovery", "api.example.test_8443", "project-web.json"));
    const scopes: [Scope, string][] = [
      [{ kind: "organization", organization: "acme", source: "flag" }, "organization-acme.json"],
      [{ kind: "user", source: "default" }, "user-ada.json"],
      [{ kind: "platform", source: "flag" }, "platform.json"],
      [{ kind: "project", project: "We:b/..\\x_Y", source: "flag" }, "project-_57e_3ab_2f.._5cx_5f_59.json"],
    ];
    for (const [scope, name] of scopes) expect(cacheFile(rt.configDir, plane.base, scope, "ada")).toEndWith(`api.example.test_8443/${name}`);
    await discover(rt, target(plane), { cached: false });
    if (process.platform !== "win32") {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(rt.configDir, "cache", "discovery")).mode & 0o777).toBe(0o700);
    }
    expect(JSON.parse(readFileSync(file, "utf8")).server).toBe(plane.base);
  });

  test("a fresh cache is used with no request; cached: false always asks; an old one is refetched", async () => {
    const rt = runtimeFor();
    const first = await discover(rt, target(plane));
    expect(first.fromCache).toBe(false);
    const p2 = new FakePlane();
    const second = await discover(runtimeFor2(rt), target(p2));
    expect(second.fromCache).toBe(true);
    expect(p2.requests).toEqual([]);
    expect(second.resources).toEqual(first.resources);

    await discover(runtimeFor2(rt), target(p2), { cached: false });
    expect(p2.requests.length).toBe(2);

    const file = first.cacheFile;
    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.fetchedAt = new Date(Date.now() - CACHE_TTL_MS - 1000).toISOString();
    writeFileSync(file, JSON.stringify(doc));
    const p3 = new FakePlane();
    const third = await discover(runtimeFor2(rt), target(p3));
    expect(third.fromCache).toBe(false);
    expect(p3.requests.length).toBe(2);
  });

  test("a cache for another control plane at the same path is not used", async () => {
    const rt = runtimeFor();
    await discover(rt, target(plane));
    const other = new FakePlane(plane.base.replace("/control-plane", "/control-plane-2"));
    // Same host and scope key, different base URL: never trusted.
    const s = await discover(runtimeFor2(rt), target(other));
    expect(s.fromCache).toBe(false);
  });

  test("a corrupt cache is warned about by name, ignored and replaced", async () => {
    const rt = runtimeFor();
    const file = cacheFile(rt.configDir, plane.base, PROJECT, "ada");
    await discover(rt, target(plane));
    for (const junk of ["{not json", JSON.stringify({ format: 1, server: plane.base, groups: "x" }), "null"]) {
      writeFileSync(file, junk);
      const rt2 = runtimeFor2(rt);
      const p = new FakePlane();
      const s = await discover(rt2, target(p));
      expect(s.fromCache).toBe(false);
      expect(rt2.io.stderr).toStartWith(`Warning: ignoring corrupt discovery cache ${file} (`);
      expect(rt2.io.stderr).toEndWith("); fetching discovery again\n");
      expect(JSON.parse(readFileSync(file, "utf8")).resources.length).toBe(surface.resources.length);
    }
  });
});

describe("resolveResource", () => {
  test("a type missing from a fresh cache refreshes it once, then resolves", async () => {
    const rt = runtimeFor();
    await discover(rt, target(plane));
    const p = new FakePlane();
    p.served.push({
      group: "networking.datumapis.com",
      version: "v1alpha",
      plural: "httpproxies",
      singular: "httpproxy",
      kind: "HTTPProxy",
      namespaced: true,
      shortNames: ["hp"],
    });
    const rt2 = runtimeFor2(rt);
    const found = await resolveResource(rt2, target(p), "hp");
    expect(found.map(short)).toEqual(["httpproxies.networking.datumapis.com/v1alpha"]);
    expect(p.requests.map((r) => r.path)).toEqual(["/api", "/apis"]);
    // The refreshed surface was written back: the next run finds it in the cache.
    const p2 = new FakePlane();
    expect((await resolveResource(runtimeFor2(rt), target(p2), "httpproxies")).map(short)).toEqual(["httpproxies.networking.datumapis.com/v1alpha"]);
    expect(p2.requests).toEqual([]);
  });

  test("an unknown type costs one refresh, then NOT_FOUND; in the same run, no more", async () => {
    const rt = runtimeFor();
    await discover(rt, target(plane));
    const p = new FakePlane();
    const rt2 = runtimeFor2(rt);
    const e = await resolveResource(rt2, target(p), "nope").catch((x) => x);
    expect(e).toBeInstanceOf(DatumctlError);
    expect(e.code).toBe("NOT_FOUND");
    expect(p.requests.length).toBe(2);
    // Already fetched this run: answered from memory, no second refresh.
    await resolveResource(rt2, target(p), "nope2").catch(() => {});
    expect((await resolveResource(rt2, target(p), "dnszones")).map(short)).toEqual(["dnszones.dns.networking.miloapis.com/v1alpha1"]);
    expect(p.requests.length).toBe(2);
  });

  test("short-name warnings go to stderr", async () => {
    const rt = runtimeFor();
    await resolveResource(rt, target(plane), "ev");
    expect(rt.io.stderr).toBe('Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n');
  });
});

describe("api-resources rendering", () => {
  const opts = { output: "", verbs: [], categories: [], sortBy: "", noHeaders: false };
  test("kubectl's columns and order; wide pads an empty last column like Go's tabwriter", () => {
    const text = renderApiResources(preferredResources(surface), { ...opts, apiGroup: "apps" });
    expect(text).toBe(
      [
        "NAME           SHORTNAMES   APIVERSION     NAMESPACED   KIND",
        "deployments    deploy       apps/v1        true         Deployment",
        "legacythings                apps/v1beta1   true         LegacyThing",
        "",
      ].join("\n"),
    );
    const wide = renderApiResources(preferredResources(surface), { ...opts, output: "wide", apiGroup: "", noHeaders: true });
    const verbs = CRUD.join(",");
    const line = (name: string, shortNames: string, kind: string, v: string, categories: string) =>
      name.padEnd(11) + shortNames.padEnd(6) + "v1".padEnd(6) + "true".padEnd(7) + kind.padEnd(10) + v.padEnd(verbs.length + 3) + categories;
    expect(wide).toBe(
      [line("bindings", "", "Binding", "create", ""), line("events", "ev", "Event", verbs, ""), line("pods", "po", "Pod", verbs, "all"), ""].join("\n"),
    );
    expect(wide.split("\n")[0]).toEndWith("create" + " ".repeat(verbs.length + 3 - 6));
    expect(renderApiResources(preferredResources(surface), { ...opts, output: "name", sortBy: "kind", categories: ["datum"] })).toBe(
      "dnszones.dns.networking.miloapis.com\nprojects.resourcemanager.miloapis.com\n",
    );
    // No verbs: left out, as kubectl does.
    expect(renderApiResources(preferredResources(surface), { ...opts, output: "name" })).not.toContain("gadgets");
  });
});

/** A new runtime (a new command run) sharing another's config dir. */
function runtimeFor2(rt: { configDir: string }) {
  return { io: captureIO(), globals: DEFAULT_GLOBALS, configDir: rt.configDir, serverWarnings: 0 };
}
