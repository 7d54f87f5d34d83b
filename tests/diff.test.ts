// `datumctl diff -f` through the built binary against the local control plane, next to the
// real kubectl's diff on the same server where one is at hand: the same unified diff (temp
// directory names, file times and fresh uids normalised), the same dry-run requests, the same
// exit codes (0 same, 1 different, 2 error), external diff programs from
// $DATUMCTL_EXTERNAL_DIFF / $KUBECTL_EXTERNAL_DIFF, and a server left as it was.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { hunks } from "../src/diff/unified";
import { type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, Obj } from "./support/control-plane/index";
import { startFixedDatum } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import type { LocalDatum } from "./support/local-datum";

const DNS = "dns.networking.miloapis.com/v1alpha1";
const ZONES = "dnszones.dns.networking.miloapis.com";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const kubectlPath = await findKubectl();
let datum: LocalDatum;
let ada: Sandbox;
let bob: Sandbox;
let work: string;
const kubeconfigs: Record<string, string> = {};

const web = () => datum.api.projectPath("web");

function zone(name: string, domain = `${name}.example`, metadata: Obj = {}): Obj {
  return { apiVersion: DNS, kind: "DNSZone", metadata: { name, ...metadata }, spec: { domainName: domain, dnsZoneClassName: "datum-external-global-dns" } };
}

/** Puts objects straight into the web project (namespace default). */
const put = (...objs: Obj[]) => objs.forEach((o) => datum.api.put(web(), { ...o, metadata: { namespace: "default", ...o.metadata } }));

function manifest(name: string, objs: Obj[]): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, objs.map((o) => YAML.stringify(o)).join("---\n"));
  return file;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function kubectl(user: "ada" | "bob", args: string[], env: Record<string, string> = {}): Promise<Run> {
  const proc = Bun.spawn([kubectlPath!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: work, KUBECONFIG: kubeconfigs[user]!, KUBECACHEDIR: join(work, `cache-${user}`), ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

async function datumctl(sb: Sandbox, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const r = await sb.run(args, { env });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** Temp dirs, file times and server-made uids differ from run to run. */
function normalise(out: string): string {
  return out
    .replace(/\/\S*?\/LIVE-[^/\s]+/g, "<LIVE>")
    .replace(/\/\S*?\/MERGED-[^/\s]+/g, "<MERGED>")
    .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}/g, "\t<time>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>");
}

/** Resource requests to the web project (no discovery, no openapi), as `METHOD path?query body`. */
function resourceCalls(from: number): string[] {
  return datum.api.requests
    .slice(from)
    .filter((r: LoggedRequest) => r.plane?.kind === "project" && /^\/apis?\/[^/]+\/[^/]+\/.+/.test(r.planePath))
    .map((r) => {
      const q = Object.keys(r.query)
        .sort()
        .filter((key) => key !== "timeout")
        .map((key) => `${key}=${r.query[key]}`)
        .join("&");
      return `${r.method} ${r.planePath}${q ? `?${q}` : ""}${r.body.trim() ? ` ${normalise(r.body.trim())}` : ""}`;
    });
}

const mark = () => datum.api.requests.length;

beforeAll(async () => {
  datum = await startFixedDatum();
  work = mkdtempSync(join(tmpdir(), "datumctl-diff-test-"));
  ada = sandbox();
  bob = sandbox();
  await datum.signIn(ada, "ada");
  await datum.signIn(bob, "bob");
  for (const user of ["ada", "bob"]) {
    kubeconfigs[user] = join(work, `${user}.kubeconfig`);
    writeFileSync(kubeconfigs[user], datum.tokenKubeconfig(web(), user, await datum.idp.mintAccessToken(user, 3600)));
  }
});
afterAll(async () => {
  ada?.cleanup();
  bob?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
  await datum?.close();
});

describe("diff", () => {
  test("no change: exit 0, nothing printed, and the server left as it was", async () => {
    put(zone("f-same"));
    const before = datum.api.get(web(), ZONES, "f-same");
    const from = mark();
    const r = await datumctl(ada, ["diff", "-f", manifest("f-same", [zone("f-same")])]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(datum.api.get(web(), ZONES, "f-same")).toEqual(before!);
    // The live object, then a dry run of the patch apply would send (with its precondition).
    expect(resourceCalls(from)).toEqual([
      "GET /apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones/f-same",
      `PATCH /apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones/f-same?dryRun=All&fieldManager=kubectl-client-side-apply {"metadata":{"annotations":{},"resourceVersion":"${before!.metadata.resourceVersion}"}}`,
    ]);
  });

  test("a change: exit 1 and the unified diff of LIVE and MERGED; nothing written", async () => {
    put(zone("f-change"));
    const before = datum.api.get(web(), ZONES, "f-change");
    const r = await datumctl(ada, ["diff", "-f", manifest("f-change", [zone("f-change", "changed.example", { labels: { tier: "gold" } })])]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(normalise(r.stdout)).toBe(
      [
        "diff -u -N <LIVE>/dns.networking.miloapis.com.v1alpha1.DNSZone.default.f-change <MERGED>/dns.networking.miloapis.com.v1alpha1.DNSZone.default.f-change",
        "--- <LIVE>/dns.networking.miloapis.com.v1alpha1.DNSZone.default.f-change\t<time>",
        "+++ <MERGED>/dns.networking.miloapis.com.v1alpha1.DNSZone.default.f-change\t<time>",
        "@@ -2,11 +2,13 @@",
        " kind: DNSZone",
        " metadata:",
        '   creationTimestamp: "2026-11-29T12:00:00Z"',
        "-  generation: 1",
        "+  generation: 2",
        "+  labels:",
        "+    tier: gold",
        "   name: f-change",
        "   namespace: default",
        `   resourceVersion: "${before!.metadata.resourceVersion}"`,
        "   uid: <uid>",
        " spec:",
        "   dnsZoneClassName: datum-external-global-dns",
        "-  domainName: f-change.example",
        "+  domainName: changed.example",
        "",
      ].join("\n"),
    );
    expect(datum.api.get(web(), ZONES, "f-change")).toEqual(before!);
  });

  test("a new object: a dry-run create, shown as added lines from an empty LIVE file", async () => {
    const from = mark();
    const r = await datumctl(ada, ["diff", "-f", manifest("f-new", [zone("f-new")])]);
    expect(r.code).toBe(1);
    const lines = normalise(r.stdout).split("\n");
    expect(lines[3]).toBe("@@ -0,0 +1,11 @@");
    expect(lines.slice(4, 8)).toEqual([
      "+apiVersion: dns.networking.miloapis.com/v1alpha1",
      "+kind: DNSZone",
      "+metadata:",
      '+  creationTimestamp: "2026-11-29T12:00:00Z"',
    ]);
    expect(resourceCalls(from)).toEqual([
      "GET /apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones/f-new",
      `POST /apis/dns.networking.miloapis.com/v1alpha1/namespaces/default/dnszones?dryRun=All&fieldManager=kubectl-client-side-apply {"apiVersion":"dns.networking.miloapis.com/v1alpha1","kind":"DNSZone","metadata":{"name":"f-new","namespace":"default"},"spec":{"dnsZoneClassName":"datum-external-global-dns","domainName":"f-new.example"}}`,
    ]);
    expect(datum.api.get(web(), ZONES, "f-new")).toBeUndefined();
  });

  test("a field removed since the last apply is deleted by the three-way patch; fields others set stay", async () => {
    const applied = zone("f-3way", "f-3way.example", { labels: { keep: "me", drop: "me" } });
    const lastApplied = `${JSON.stringify({ ...applied, metadata: { ...applied.metadata, namespace: "default" } })}\n`;
    put({
      ...applied,
      metadata: { ...applied.metadata, labels: { keep: "me", drop: "me", other: "controller" }, annotations: { [LAST_APPLIED]: lastApplied } },
    });
    const from = mark();
    const r = await datumctl(ada, ["diff", "-f", manifest("f-3way", [zone("f-3way", "f-3way.example", { labels: { keep: "me" } })])]);
    expect(r.code).toBe(1);
    expect(normalise(r.stdout)).toContain("\n-    drop: me\n     keep: me\n     other: controller\n");
    // The live object has annotations (the last-applied one), so the manifest's empty map adds nothing.
    expect(resourceCalls(from)[1]).toContain(`{"metadata":{"labels":{"drop":null},"resourceVersion":`);
  });

  test("errors exit 2, never 1: no -f, a bad manifest, an unknown kind", async () => {
    const cases: [string[], string][] = [
      [["diff"], "error: must specify one of -f and -k"],
      [["diff", "-f", join(work, "nope.yaml")], `error: the path "${join(work, "nope.yaml")}" does not exist`],
      [["diff", "-f", manifest("f-unknown", [{ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" } }])], "error: resource mapping not found"],
      // Flag and argument errors too, as kubectl's: a script reading 1 as "differences" must never see one.
      [["diff", "--bogus"], "error: unknown flag: --bogus"],
      [["diff", "-f"], "error: flag needs an argument: 'f' in -f"],
      [["diff", "-f", join(work, "nope.yaml"), "extra"], 'error: unexpected argument "extra"'],
      [["diff", "--concurrency=x", "-f", join(work, "nope.yaml")], 'error: invalid argument "x" for "--concurrency" flag'],
    ];
    for (const [args, line] of cases) {
      const r = await datumctl(ada, args);
      expect(r.stderr.split("\n")[0]).toStartWith(line);
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
    }
  });

  test("a live object whose last-applied annotation is not JSON: an error naming it (exit 2), not a patch from a guess", async () => {
    put(zone("f-corrupt", "f-corrupt.example", { annotations: { [LAST_APPLIED]: "{not json" } }));
    const r = await datumctl(ada, ["diff", "-f", manifest("f-corrupt", [zone("f-corrupt", "other.example")])]);
    expect(r.stderr).toBe(`error: the ${LAST_APPLIED} annotation of DNSZone "f-corrupt" is not a JSON object\n`);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });

  test("auth failures exit 2: not signed in, and a viewer's dry run refused", async () => {
    const nobody = sandbox();
    try {
      const r = await datumctl(nobody, ["diff", "-f", manifest("f-auth", [zone("f-auth")])]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("not signed in");
    } finally {
      nobody.cleanup();
    }
    put(zone("f-viewer"));
    const file = manifest("f-viewer", [zone("f-viewer", "other.example")]);
    const r = await datumctl(bob, ["diff", "-f", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `Error from server (Forbidden): error when patching "${file}": ${ZONES} "f-viewer" is forbidden: User "bob@example.com" cannot patch resource "dnszones" in API group "dns.networking.miloapis.com" in the namespace "default"`,
    );
  });

  test("$DATUMCTL_EXTERNAL_DIFF and $KUBECTL_EXTERNAL_DIFF: the program gets both directories, its safe flags after them, and decides the exit", async () => {
    put(zone("f-ext"));
    const file = manifest("f-ext", [zone("f-ext", "ext.example")]);
    const { script, record } = recorder("ext");
    const datumOnly = await datumctl(ada, ["diff", "-f", file], { DATUMCTL_EXTERNAL_DIFF: `${script} -u --label=x bad;arg` });
    expect(datumOnly.code).toBe(1);
    expect(datumOnly.stdout).toBe("external says: different\n");
    const seen = readRecord(record);
    expect(seen.args.slice(2)).toEqual(["-u", "--label=x"]);
    expect(seen.args[0]).toMatch(/\/LIVE-[^/]+$/);
    expect(seen.args[1]).toMatch(/\/MERGED-[^/]+$/);
    expect(seen.files).toEqual(["dns.networking.miloapis.com.v1alpha1.DNSZone.default.f-ext"]);
    expect(seen.merged).toContain("domainName: ext.example");
    // KUBECTL_EXTERNAL_DIFF alone is honoured too; DATUMCTL_EXTERNAL_DIFF wins over it.
    const kubectlVar = await datumctl(ada, ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: `${script} --from-kubectl-var` });
    expect(kubectlVar.code).toBe(1);
    expect(readRecord(record).args.slice(2)).toEqual(["--from-kubectl-var"]);
    await datumctl(ada, ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: `${script} --k`, DATUMCTL_EXTERNAL_DIFF: `${script} --d` });
    expect(readRecord(record).args.slice(2)).toEqual(["--d"]);
  });

  test("the external program's exit: 0 passes, 1 passes, above 1 is an error (exit 2)", async () => {
    put(zone("f-status"));
    const file = manifest("f-status", [zone("f-status", "status.example")]);
    for (const [status, code] of [
      [0, 0],
      [1, 1],
      [3, 2],
    ] as const) {
      const { script } = recorder(`status-${status}`, status);
      const r = await datumctl(ada, ["diff", "-f", file], { DATUMCTL_EXTERNAL_DIFF: script });
      expect(r.code).toBe(code);
      if (status === 3) expect(r.stderr).toContain(`error: failed to run "${script}": exit status 3`);
    }
    const missing = await datumctl(ada, ["diff", "-f", file], { DATUMCTL_EXTERNAL_DIFF: "/nonexistent/differ" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: failed to run "/nonexistent/differ"`);
  });

  test("the LIVE and MERGED directories are removed afterwards", async () => {
    put(zone("f-tidy"));
    const { script, record } = recorder("tidy");
    await datumctl(ada, ["diff", "-f", manifest("f-tidy", [zone("f-tidy", "tidy.example")])], { DATUMCTL_EXTERNAL_DIFF: script });
    const [live, merged] = readRecord(record).args;
    expect(() => readdirSync(live!)).toThrow();
    expect(() => readdirSync(merged!)).toThrow();
  });
});

/** A diff program that records its arguments and the files it was shown, then exits with `status`. */
function recorder(name: string, status = 1): { script: string; record: string } {
  const dir = join(work, `recorder-${name}`);
  mkdirSync(dir, { recursive: true });
  const script = join(dir, "differ");
  const record = join(dir, "record.json");
  writeFileSync(
    script,
    `#!/bin/sh
{
  printf '{"args":['
  sep=""
  for a in "$@"; do printf '%s"%s"' "$sep" "$a"; sep=","; done
  printf '],"files":['
  sep=""
  for f in $(ls "$1"); do printf '%s"%s"' "$sep" "$f"; sep=","; done
  printf '],"merged":'
  cat "$2"/* | ${process.execPath} -e 'process.stdout.write(JSON.stringify(require("fs").readFileSync(0, "utf8")))'
  printf '}'
} > "${record}"
echo "external says: different"
exit ${status}
`,
  );
  chmodSync(script, 0o755);
  return { script, record };
}

const readRecord = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { args: string[]; files: string[]; merged: string };

describe("hunks, next to GNU diff -u", () => {
  const gnu = Bun.which("diff");
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "datumctl-hunks-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  async function gnuHunks(a: string, b: string): Promise<string> {
    writeFileSync(join(dir, "a"), a);
    writeFileSync(join(dir, "b"), b);
    const proc = Bun.spawn([gnu!, "-u", join(dir, "a"), join(dir, "b")], { stdout: "pipe" });
    const out = await new Response(proc.stdout).text();
    await proc.exited;
    return out.split("\n").slice(2).join("\n");
  }
  /** A small seeded generator, so a failure can be replayed. */
  const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  const cases: [string, string, string][] = [
    ["a changed line", "a\nb\nc\n", "a\nB\nc\n"],
    ["from empty", "", "one\ntwo\n"],
    ["to empty", "one\ntwo\n", ""],
    ["one line added at the end", "a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nf\ng\nh\n"],
    [
      "two hunks",
      Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(""),
      Array.from({ length: 20 }, (_, i) => (i === 2 || i === 16 ? `LINE ${i}\n` : `line ${i}\n`)).join(""),
    ],
    [
      "close changes share a hunk",
      Array.from({ length: 12 }, (_, i) => `l${i}\n`).join(""),
      Array.from({ length: 12 }, (_, i) => (i === 3 || i === 8 ? `L${i}\n` : `l${i}\n`)).join(""),
    ],
    ["a line removed at the start", "x\na\nb\nc\nd\n", "a\nb\nc\nd\n"],
    ["a repeated line inserted among its equals", "x\nx\nx\nx\nx\n", "x\nx\nx\nx\nx\nx\n"],
    ["no newline at the end", "a\nb", "a\nc"],
    ["a newline added at the end", "a\nb", "a\nb\n"],
  ];
  for (const [name, a, b] of cases) {
    test.skipIf(!gnu)(name, async () => {
      expect(await hunks(a, b)).toBe(await gnuHunks(a, b));
    });
  }

  test.skipIf(!gnu)(
    "400 random line lists with many repeated lines",
    async () => {
      const rnd = random(42);
      for (let n = 0; n < 400; n++) {
        const vocab = 2 + Math.floor(rnd() * (rnd() < 0.5 ? 10 : 200));
        const word = () => `l${Math.floor(rnd() * vocab)}`;
        const a = Array.from({ length: Math.floor(rnd() * (rnd() < 0.2 ? 400 : 40)) }, word);
        const b = [...a];
        for (let e = Math.floor(rnd() * (rnd() < 0.2 ? 60 : 8)); e > 0; e--) {
          const at = Math.floor(rnd() * (b.length + 1));
          const op = rnd();
          if (op < 0.33) b.splice(at, 1 + Math.floor(rnd() * 3));
          else if (op < 0.66) b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, word));
          else if (at < b.length) b[at] = word();
        }
        const A = a.length ? `${a.join("\n")}\n` : "";
        const B = b.length ? `${b.join("\n")}\n` : "";
        const ours = await hunks(A, B);
        const theirs = await gnuHunks(A, B);
        if (ours !== theirs) expect({ A, B, ours }).toEqual({ A, B, ours: theirs });
      }
    },
    60_000,
  );

  test.skipIf(!gnu)(
    "150 random edits of Datum objects as YAML (repeated conditions, list items)",
    async () => {
      const { defaultSeed } = await import("./support/control-plane/seed");
      const { goYaml } = await import("../src/printers/yaml");
      const seed = defaultSeed(new Date("2026-11-29T12:00:00Z"));
      const objects = [...seed.root, ...seed.projects.web!];
      const rnd = random(7);
      const mutate = (o: unknown): unknown => {
        if (Array.isArray(o)) {
          const c = o.map(mutate);
          if (rnd() < 0.2) c.push(structuredClone(c[0] ?? "x"));
          if (rnd() < 0.1 && c.length) c.splice(Math.floor(rnd() * c.length), 1);
          return c;
        }
        if (o && typeof o === "object") {
          const c: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(o)) if (rnd() >= 0.05) c[k] = mutate(v);
          if (rnd() < 0.1) c[`added${Math.floor(rnd() * 3)}`] = "v";
          return c;
        }
        if (typeof o === "string" && rnd() < 0.15) return `${o}-x`;
        if (typeof o === "number" && rnd() < 0.3) return o + 1;
        return o;
      };
      for (let n = 0; n < 150; n++) {
        const o = objects[Math.floor(rnd() * objects.length)]!;
        const [A, B] = [await goYaml(o), await goYaml(mutate(o))];
        const ours = await hunks(A, B);
        const theirs = await gnuHunks(A, B);
        if (ours !== theirs) expect({ A, B, ours }).toEqual({ A, B, ours: theirs });
      }
    },
    60_000,
  );
});

// The same manifests diffed by kubectl and by datumctl against the same objects.
interface Case {
  name: string;
  live: Obj[];
  manifest: Obj[];
  flags?: string[];
  user?: "ada" | "bob";
}

const RESOURCES: Record<string, string> = { DNSZone: ZONES, DNSRecordSet: "dnsrecordsets.dns.networking.miloapis.com" };

function recordSet(name: string, records: Obj[]): Obj {
  return { apiVersion: DNS, kind: "DNSRecordSet", metadata: { name }, spec: { dnsZoneRef: { name: "example-com" }, recordType: "A", records } };
}
const record = (name: string) => ({ name, ttl: 300, a: { content: "203.0.113.10" } });

const CASES: Case[] = [
  { name: "unchanged", live: [zone("k-same")], manifest: [zone("k-same")] },
  { name: "a changed spec and a new label", live: [zone("k-chg")], manifest: [zone("k-chg", "new.example", { labels: { env: "prod" } })] },
  { name: "a new object", live: [], manifest: [zone("k-new")] },
  {
    name: "several objects, some changed, some new",
    live: [zone("k-many-b"), zone("k-many-a")],
    manifest: [zone("k-many-b", "b2.example"), zone("k-many-c"), zone("k-many-a")],
  },
  {
    name: "a field removed since the last apply",
    live: [
      zone("k-3way", "k-3way.example", {
        labels: { keep: "me", drop: "me", other: "controller" },
        annotations: { [LAST_APPLIED]: `${JSON.stringify(zone("k-3way", "k-3way.example", { labels: { keep: "me", drop: "me" }, namespace: "default" }))}\n` },
      }),
    ],
    manifest: [zone("k-3way", "k-3way.example", { labels: { keep: "me" } })],
  },
  { name: "--server-side", live: [zone("k-ssa")], manifest: [zone("k-ssa", "ssa.example")], flags: ["--server-side"] },
  { name: "--server-side, a new object", live: [], manifest: [zone("k-ssa-new")], flags: ["--server-side"] },
  { name: "--concurrency is accepted", live: [zone("k-conc")], manifest: [zone("k-conc", "conc.example")], flags: ["--concurrency", "4"] },
  { name: "--show-managed-fields", live: [zone("k-mf")], manifest: [zone("k-mf", "mf.example")], flags: ["--show-managed-fields"] },
  {
    name: "-l picks manifests by label",
    live: [zone("k-sel-a"), zone("k-sel-b")],
    manifest: [zone("k-sel-a", "a2.example", { labels: { pick: "this" } }), zone("k-sel-b", "b2.example")],
    flags: ["-l", "pick=this"],
  },
  { name: "a viewer: Forbidden", live: [zone("k-viewer")], manifest: [zone("k-viewer", "v2.example")], user: "bob" },
  { name: "an unknown kind", live: [], manifest: [{ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" } }] },
  { name: "a file with no objects", live: [], manifest: [] },
  {
    name: "a list item added among look-alike items",
    live: [recordSet("k-records", [record("a"), record("b"), record("d")])],
    manifest: [recordSet("k-records", [record("a"), record("b"), record("c"), record("d"), record("e")])],
  },
];

const maybe = kubectlPath ? describe : describe.skip;
if (!kubectlPath) test.skip("diff next to kubectl (no kubectl found)", () => {});

maybe("diff, next to kubectl", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const reset = () => {
        for (const o of [...c.live, ...c.manifest]) if (RESOURCES[o.kind]) datum.api.remove(web(), RESOURCES[o.kind]!, o.metadata.name, "default");
        put(...c.live);
      };
      const file = manifest(`k-${c.name.replace(/\W+/g, "-")}`, c.manifest);
      const user = c.user ?? "ada";
      reset();
      let from = mark();
      const theirs = await kubectl(user, ["diff", "-f", file, ...(c.flags ?? [])]);
      const theirCalls = resourceCalls(from);
      reset();
      const ourBefore = c.live.map((o) => datum.api.get(web(), RESOURCES[o.kind]!, o.metadata.name));
      from = mark();
      const ours = await datumctl(user === "ada" ? ada : bob, ["diff", "-f", file, ...(c.flags ?? [])]);
      const ourCalls = resourceCalls(from);
      expect(c.live.map((o) => datum.api.get(web(), RESOURCES[o.kind]!, o.metadata.name))).toEqual(ourBefore);

      // resourceVersions move on between the two runs (the objects are put again).
      const rv = (s: string) => s.replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<rv>"').replace(/"resourceVersion":"\d+"/g, '"resourceVersion":"<rv>"');
      expect(rv(normalise(ours.stdout))).toBe(rv(normalise(theirs.stdout)));
      expect(ours.code).toBe(theirs.code);
      let at = 0;
      const got = ours.stderr.split("\n");
      // (kubectl's klog warnings, e.g. "keeps changing, diffing without lock", are not errors.)
      // (A hint may extend kubectl's line: "ensure CRDs are installed first; run …".)
      for (const line of theirs.stderr.split("\n").filter((l) => l && !/^[IWE]\d{4} /.test(l))) {
        const i = got.findIndex((l, n) => n >= at && (l === line || l.startsWith(`${line};`)));
        expect({ line, found: i >= 0 }).toEqual({ line, found: true });
        at = i + 1;
      }
      expect(ourCalls.map(rv)).toEqual(theirCalls.map(rv));
    });
  }

  test("the external program sees what kubectl's sees: the same arguments and files", async () => {
    put(zone("k-ext"));
    const file = manifest("k-ext", [zone("k-ext", "ext2.example")]);
    const { script, record } = recorder("kubectl-ext");
    const theirs = await kubectl("ada", ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: `${script} -N --x=1 no;pe` });
    const theirRecord = readRecord(record);
    const ours = await datumctl(ada, ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: `${script} -N --x=1 no;pe` });
    const ourRecord = readRecord(record);
    expect(ours.code).toBe(theirs.code);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ourRecord.args.map(normalise)).toEqual(theirRecord.args.map(normalise));
    expect(ourRecord.files).toEqual(theirRecord.files);
    expect(normalise(ourRecord.merged)).toBe(normalise(theirRecord.merged));
    for (const status of [0, 3]) {
      const { script: s } = recorder(`kubectl-status-${status}`, status);
      const k = await kubectl("ada", ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: s });
      const d = await datumctl(ada, ["diff", "-f", file], { KUBECTL_EXTERNAL_DIFF: s });
      expect(d.code).toBe(k.code);
      for (const line of k.stderr.split("\n").filter(Boolean)) expect(d.stderr).toContain(line);
    }
  });
});
