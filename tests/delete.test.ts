// `datumctl delete` through the built binary against the local control plane: every way of
// naming objects, the requests it sends (DELETE with propagationPolicy, then the --wait read
// until 404), dry runs, errors; and, where a kubectl is at hand, the same cases run by kubectl
// on the same server must print the same lines and send the same requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, Obj } from "./support/control-plane/index";
import { type KubectlRunner, kubectlRunner } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const DNS = "dns.networking.miloapis.com/v1alpha1";
const ZONES = "dnszones.dns.networking.miloapis.com";

let datum: LocalDatum;
let ada: Sandbox;
let bob: Sandbox;
let k: KubectlRunner | undefined;
const kubectlPath = await findKubectl();

const web = () => datum.api.projectPath("web");

function zone(name: string, opts: { namespace?: string; labels?: Record<string, string>; finalizers?: string[] } = {}): Obj {
  return {
    apiVersion: DNS,
    kind: "DNSZone",
    metadata: {
      name,
      namespace: opts.namespace ?? "default",
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.finalizers ? { finalizers: opts.finalizers } : {}),
    },
    spec: { domainName: `${name}.example`, dnsZoneClassName: "datum-external-global-dns" },
  };
}

const put = (...objs: Obj[]) => objs.forEach((o) => datum.api.put(web(), o));
const exists = (name: string, namespace = "default") => datum.api.get(web(), ZONES, name, namespace) !== undefined;

/** The resource requests (no discovery) a run sent to the web project (or the acme organization), as `METHOD path?query body`. */
function resourceCalls(from: number, org = false): string[] {
  return datum.api.requests
    .slice(from)
    .filter(
      (r: LoggedRequest) =>
        r.plane?.kind === (org ? "organization" : "project") && /^\/apis?\/[^/]+\/[^/]+\/.+/.test(r.planePath) && !r.planePath.startsWith("/openapi"),
    )
    .map((r) => {
      const q = Object.keys(r.query)
        .sort()
        .filter((key) => key !== "timeout")
        .map((key) => `${key}=${r.query[key]}`)
        .join("&");
      return `${r.method} ${r.planePath}${q ? `?${q}` : ""}${r.body.trim() ? ` ${r.body.trim()}` : ""}`;
    });
}

const mark = () => datum.api.requests.length;
const zonePath = (name: string, namespace = "default") => `/apis/dns.networking.miloapis.com/v1alpha1/namespaces/${namespace}/dnszones/${name}`;

beforeAll(async () => {
  datum = await startLocalDatum();
  ada = sandbox();
  bob = sandbox();
  await datum.signIn(ada, "ada");
  await datum.signIn(bob, "bob");
  if (kubectlPath) k = await kubectlRunner(kubectlPath, datum);
});
afterAll(async () => {
  ada?.cleanup();
  bob?.cleanup();
  await datum?.close();
});

describe("delete", () => {
  test("TYPE NAME: one DELETE with propagationPolicy Background, then the --wait GET until 404", async () => {
    put(zone("d-name"));
    const from = mark();
    const r = await ada.run(["delete", "dnszone", "d-name"]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-name" deleted\n`);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(exists("d-name")).toBe(false);
    expect(resourceCalls(from)).toEqual([`DELETE ${zonePath("d-name")} {"propagationPolicy":"Background"}`, `GET ${zonePath("d-name")}`]);
    expect(datum.api.requests.slice(from).at(-1)?.status).toBe(404);
  });

  test("TYPE/NAME, several, and several names after one type", async () => {
    put(zone("d-slash-a"), zone("d-slash-b"), zone("d-names-a"), zone("d-names-b"));
    const slashed = await ada.run(["delete", "dnszones/d-slash-a", "dnszone/d-slash-b"]);
    expect(slashed.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-slash-a" deleted\ndnszone.dns.networking.miloapis.com "d-slash-b" deleted\n`);
    expect(slashed.exitCode).toBe(0);
    const named = await ada.run(["delete", "dnszones", "d-names-a", "d-names-b"]);
    expect(named.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-names-a" deleted\ndnszone.dns.networking.miloapis.com "d-names-b" deleted\n`);
    for (const n of ["d-slash-a", "d-slash-b", "d-names-a", "d-names-b"]) expect(exists(n)).toBe(false);
  });

  test("-f: the objects of a manifest file, and of stdin", async () => {
    put(zone("d-file-a"), zone("d-file-b"), zone("d-stdin"));
    const file = join(ada.home, "zones.yaml");
    writeFileSync(file, `${YAML.stringify(zone("d-file-a"))}---\n${YAML.stringify(zone("d-file-b"))}`);
    const r = await ada.run(["delete", "-f", file]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-file-a" deleted\ndnszone.dns.networking.miloapis.com "d-file-b" deleted\n`);
    expect(r.exitCode).toBe(0);
    const s = await ada.run(["delete", "-f", "-"], { stdin: JSON.stringify(zone("d-stdin")) });
    expect(s.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-stdin" deleted\n`);
    for (const n of ["d-file-a", "d-file-b", "d-stdin"]) expect(exists(n)).toBe(false);
  });

  test("-f naming a missing object: kubectl's NotFound line with the file, exit 1", async () => {
    const file = join(ada.home, "missing.yaml");
    writeFileSync(file, JSON.stringify(zone("d-file-missing")));
    const r = await ada.run(["delete", "-f", file]);
    expect(r.stderr).toBe(`Error from server (NotFound): error when deleting "${file}": ${ZONES} "d-file-missing" not found\n`);
    expect(r.stdout).toBe("");
    expect(r.exitCode).toBe(1);
  });

  test("-l: only the objects whose labels match, listed then deleted one by one", async () => {
    put(zone("d-sel-a", { labels: { sweep: "yes" } }), zone("d-sel-b", { labels: { sweep: "yes" } }), zone("d-sel-keep", { labels: { sweep: "no" } }));
    const from = mark();
    const r = await ada.run(["delete", "dnszones", "-l", "sweep=yes"]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-sel-a" deleted\ndnszone.dns.networking.miloapis.com "d-sel-b" deleted\n`);
    expect(r.exitCode).toBe(0);
    expect(resourceCalls(from)[0]).toBe("GET /apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones?labelSelector=sweep=yes");
    expect(exists("d-sel-keep")).toBe(true);
    const none = await ada.run(["delete", "dnszones", "-l", "sweep=yes"]);
    expect(none.stdout).toBe("No resources found\n");
    expect(none.exitCode).toBe(0);
  });

  test("--all: every object of the type in the namespace, and no other", async () => {
    put(zone("d-all-a", { namespace: "sweep" }), zone("d-all-b", { namespace: "sweep" }));
    const r = await ada.run(["delete", "dnszones", "--all", "-n", "sweep"]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-all-a" deleted\ndnszone.dns.networking.miloapis.com "d-all-b" deleted\n`);
    expect(r.exitCode).toBe(0);
    expect(datum.api.list(web(), ZONES, "sweep")).toEqual([]);
    expect(exists("example-com")).toBe(true);
  });

  test("a missing name: kubectl's NotFound line and exit 1; the other names are still deleted", async () => {
    put(zone("d-missing-ok"));
    const r = await ada.run(["delete", "dnszone", "d-missing-nope", "d-missing-ok"]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-missing-ok" deleted\n`);
    expect(r.stderr).toBe(`Error from server (NotFound): ${ZONES} "d-missing-nope" not found\n`);
    expect(r.exitCode).toBe(1);
    expect(exists("d-missing-ok")).toBe(false);
  });

  test("--ignore-not-found: a missing name is no error and prints nothing", async () => {
    const r = await ada.run(["delete", "dnszone", "d-ignored", "--ignore-not-found"]);
    expect(r).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  test("--dry-run=client sends nothing; --dry-run=server sends dryRun and deletes nothing; neither waits", async () => {
    put(zone("d-dry"));
    let from = mark();
    const client = await ada.run(["delete", "dnszone", "d-dry", "--dry-run=client"]);
    expect(client.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-dry" deleted (dry run)\n`);
    expect(resourceCalls(from)).toEqual([]);
    from = mark();
    const server = await ada.run(["delete", "dnszone", "d-dry", "--dry-run=server"]);
    expect(server.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-dry" deleted (server dry run)\n`);
    expect(resourceCalls(from)).toEqual([`DELETE ${zonePath("d-dry")} {"propagationPolicy":"Background","dryRun":["All"]}`]);
    expect(exists("d-dry")).toBe(true);
  });

  test("--wait=false: the DELETE alone, no read-back", async () => {
    put(zone("d-nowait"));
    const from = mark();
    const r = await ada.run(["delete", "dnszone", "d-nowait", "--wait=false"]);
    expect(r.exitCode).toBe(0);
    expect(resourceCalls(from)).toEqual([`DELETE ${zonePath("d-nowait")} {"propagationPolicy":"Background"}`]);
  });

  test("--cascade values become propagationPolicy; a bad one is refused before anything is sent", async () => {
    for (const [flag, policy] of [
      ["foreground", "Foreground"],
      ["orphan", "Orphan"],
      ["background", "Background"],
    ] as const) {
      const name = `d-cascade-${flag}`;
      put(zone(name));
      const from = mark();
      const r = await ada.run(["delete", "dnszone", name, `--cascade=${flag}`, "--wait=false"]);
      expect(r.exitCode).toBe(0);
      expect(resourceCalls(from)).toEqual([`DELETE ${zonePath(name)} {"propagationPolicy":"${policy}"}`]);
    }
    const from = mark();
    const bad = await ada.run(["delete", "dnszone", "example-com", "--cascade=sideways"]);
    expect(bad.stderr).toContain(`error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"`);
    expect(bad.exitCode).toBe(1);
    expect(resourceCalls(from)).toEqual([]);
  });

  test("--grace-period, --now and --force set gracePeriodSeconds", async () => {
    const cases: [string[], string, string][] = [
      [["--grace-period=30"], `{"gracePeriodSeconds":30,"propagationPolicy":"Background"}`, "deleted"],
      [["--now"], `{"gracePeriodSeconds":1,"propagationPolicy":"Background"}`, "deleted"],
      [["--grace-period=0"], `{"gracePeriodSeconds":1,"propagationPolicy":"Background"}`, "deleted"],
      [["--force"], `{"gracePeriodSeconds":0,"propagationPolicy":"Background"}`, "force deleted"],
    ];
    for (const [i, [flags, body, verb]] of cases.entries()) {
      const name = `d-grace-${i}`;
      put(zone(name));
      const from = mark();
      const r = await ada.run(["delete", "dnszone", name, "--wait=false", ...flags]);
      expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "${name}" ${verb}\n`);
      expect(r.exitCode).toBe(0);
      expect(resourceCalls(from)).toEqual([`DELETE ${zonePath(name)} ${body}`]);
    }
  });

  test("--wait follows an object held by a finalizer until the server drops it", async () => {
    put(zone("d-final", { finalizers: ["dns.networking.miloapis.com/cleanup"] }));
    const run = ada.start(["delete", "dnszone", "d-final", "-v", "6"]);
    await run.waitForStderr(/GET \S+dnszones\?\S*watch=1\S* 200/);
    expect(exists("d-final")).toBe(true);
    datum.api.remove(web(), ZONES, "d-final");
    const r = await run.result();
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-final" deleted\n`);
    expect(r.exitCode).toBe(0);
  });

  test("--timeout ends the wait with kubectl's timeout error", async () => {
    put(zone("d-stuck", { finalizers: ["dns.networking.miloapis.com/cleanup"] }));
    const r = await ada.run(["delete", "dnszone", "d-stuck", "--timeout=1s"]);
    expect(r.stdout).toBe(`dnszone.dns.networking.miloapis.com "d-stuck" deleted\n`);
    expect(r.stderr).toBe("error: timed out waiting for the condition on dnszones/d-stuck\n");
    expect(r.exitCode).toBe(1);
    datum.api.remove(web(), ZONES, "d-stuck");
  });

  test("a viewer gets kubectl's Forbidden line, exit 1, and the object stays", async () => {
    put(zone("d-bob"));
    const r = await bob.run(["delete", "dnszone", "d-bob"]);
    expect(r.stderr).toBe(
      `Error from server (Forbidden): ${ZONES} "d-bob" is forbidden: User "bob@example.com" cannot delete resource "dnszones" in API group "dns.networking.miloapis.com" in the namespace "default"\n`,
    );
    expect(r.stdout).toBe("");
    expect(r.exitCode).toBe(1);
    expect(exists("d-bob")).toBe(true);
  });

  test("argument errors, before anything is sent", async () => {
    const cases: [string[], string][] = [
      [["delete"], "error: You must provide one or more resources by argument or filename."],
      [["delete", "dnszones"], "error: resource(s) were provided, but no name was specified"],
      [["delete", "dnszones", "x", "-l", "a=b"], "error: name cannot be provided when a selector is specified"],
      [["delete", "dnszones", "--all", "-l", "a=b"], "error: setting 'all' parameter but found a non empty selector. "],
      [["delete", "dnszone", "x", "-o", "yaml"], "error: unexpected -o output mode: yaml. We only support '-o name'"],
      [["delete", "dnszone", "x", "--dry-run=maybe"], `error: Invalid dry-run value (maybe). Must be "none", "server", or "client".`],
    ];
    for (const [args, line] of cases) {
      const from = mark();
      const r = await ada.run(args);
      expect(r.stderr.split("\n")[0]).toBe(line);
      expect(r.exitCode).toBe(1);
      expect(resourceCalls(from).filter((c) => !c.startsWith("GET"))).toEqual([]);
    }
  });
});

// The same case run by kubectl and by datumctl, each on its own fresh copy of the objects.
interface Case {
  name: string;
  args: string[];
  objects: Obj[];
  /** The organization's plane (projects) instead of the web project's. */
  acme?: boolean;
  /** A manifest written before the run, named by -f. */
  file?: Obj[];
}

function project(name: string): Obj {
  return {
    apiVersion: "resourcemanager.miloapis.com/v1alpha1",
    kind: "Project",
    metadata: { name },
    spec: { ownerRef: { kind: "Organization", name: "acme" } },
  };
}

const CASES: Case[] = [
  { name: "by name", args: ["dnszone", "k-name"], objects: [zone("k-name")] },
  { name: "TYPE/NAME, two", args: ["dnszones/k-slash-a", "dnszones/k-slash-b"], objects: [zone("k-slash-a"), zone("k-slash-b")] },
  { name: "missing", args: ["dnszone", "k-missing"], objects: [] },
  { name: "missing among others", args: ["dnszone", "k-among-a", "k-among-nope", "k-among-b"], objects: [zone("k-among-a"), zone("k-among-b")] },
  { name: "--ignore-not-found", args: ["dnszone", "k-ignored", "--ignore-not-found"], objects: [] },
  {
    name: "-l",
    args: ["dnszones", "-l", "kcase=sel"],
    objects: [zone("k-sel-a", { labels: { kcase: "sel" } }), zone("k-sel-b", { labels: { kcase: "sel" } })],
  },
  { name: "-l, nothing matches", args: ["dnszones", "-l", "kcase=none"], objects: [] },
  {
    name: "--all in a namespace",
    args: ["dnszones", "--all", "-n", "kall"],
    objects: [zone("k-all-a", { namespace: "kall" }), zone("k-all-b", { namespace: "kall" })],
  },
  { name: "--dry-run=client", args: ["dnszone", "k-dry-client", "--dry-run=client"], objects: [zone("k-dry-client")] },
  { name: "--dry-run=server", args: ["dnszone", "k-dry-server", "--dry-run=server"], objects: [zone("k-dry-server")] },
  { name: "--wait=false", args: ["dnszone", "k-nowait", "--wait=false"], objects: [zone("k-nowait")] },
  { name: "-o name", args: ["dnszone", "k-oname", "-o", "name"], objects: [zone("k-oname")] },
  { name: "--cascade=orphan", args: ["dnszone", "k-orphan", "--cascade=orphan"], objects: [zone("k-orphan")] },
  { name: "--cascade=false (deprecated)", args: ["dnszone", "k-cascade-false", "--cascade=false"], objects: [zone("k-cascade-false")] },
  { name: "--grace-period=0 --force", args: ["dnszone", "k-force", "--grace-period=0", "--force"], objects: [zone("k-force")] },
  { name: "--now", args: ["dnszone", "k-now", "--now"], objects: [zone("k-now")] },
  { name: "no arguments", args: [], objects: [] },
  { name: "a type alone", args: ["dnszones"], objects: [] },
  { name: "--all with -l", args: ["dnszones", "--all", "-l", "a=b"], objects: [] },
  { name: "an unknown type", args: ["nosuchthings", "x"], objects: [] },
  { name: "-f, one there and one missing", args: ["-f", "FILE"], objects: [zone("k-file-there")], file: [zone("k-file-there"), zone("k-file-gone")] },
  { name: "-f with an unknown kind", args: ["-f", "FILE"], objects: [], file: [{ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" } }] },
  { name: "-f, a file with no objects", args: ["-f", "FILE"], objects: [], file: [] },
  { name: "-f with a type argument", args: ["dnszones", "-f", "FILE"], objects: [], file: [zone("k-file-x")] },
  { name: "a cluster-scoped object with -n: kubectl's warning", args: ["project", "k-proj", "-n", "default"], objects: [project("k-proj")], acme: true },
  {
    name: "an object held by a finalizer, with --timeout",
    args: ["dnszone", "k-held", "--timeout=1s"],
    objects: [zone("k-held", { finalizers: ["dns.networking.miloapis.com/cleanup"] })],
  },
];

const maybe = kubectlPath ? describe : describe.skip;
if (!kubectlPath) test.skip("delete next to kubectl (no kubectl found)", () => {});

maybe("delete, next to kubectl", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const plane = c.acme ? datum.api.orgPath("acme") : web();
      const remove = () => {
        for (const o of c.objects) datum.api.remove(plane, c.acme ? "projects" : ZONES, o.metadata.name, o.metadata.namespace);
      };
      const reset = () => {
        remove();
        for (const o of c.objects) datum.api.put(plane, o);
      };
      const file = join(ada.home, `${c.name.replace(/\W+/g, "-")}.yaml`);
      if (c.file) writeFileSync(file, c.file.map((o) => YAML.stringify(o)).join("---\n"));
      const args = ["delete", ...c.args.map((a) => (a === "FILE" ? file : a))];
      reset();
      let from = mark();
      const theirs = await k!.kubectl(c.acme ? "acme" : "web", args);
      const theirCalls = resourceCalls(from, c.acme);
      reset();
      from = mark();
      const ours = await ada.run([...args, ...(c.acme ? ["--organization", "acme"] : [])]);
      const ourCalls = resourceCalls(from, c.acme);
      remove();

      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.exitCode).toBe(theirs.code);
      // kubectl's stderr lines all appear, in order; datumctl may add a hint line.
      let at = 0;
      const got = ours.stderr.split("\n");
      // (klog lines from kubectl's watch machinery vary from run to run.)
      for (const line of theirs.stderr.split("\n").filter((l) => l && !/^[IWE]\d{4} /.test(l))) {
        // (A hint may extend kubectl's line: "ensure CRDs are installed first; run …".)
        const i = got.findIndex((l, n) => n >= at && (l === line || l.startsWith(`${line};`)));
        expect({ line, found: i >= 0 }).toEqual({ line, found: true });
        at = i + 1;
      }
      // The same DELETEs with the same bodies; the same read-back for --wait.
      const writes = (calls: string[]) => calls.filter((x) => !x.startsWith("GET") || !x.includes("watch"));
      expect(writes(ourCalls).map(stripWatchParams)).toEqual(writes(theirCalls).map(stripWatchParams));
    });
  }
});

/** kubectl's list before a watch carries paging/bookmark parameters datumctl does not need. */
function stripWatchParams(call: string): string {
  return call
    .replace(/[?&](limit|resourceVersion|allowWatchBookmarks|timeoutSeconds)=[^&\s]*/g, "")
    .replace(/\?&/, "?")
    .replace(/\?(\s|$)/, "$1");
}
