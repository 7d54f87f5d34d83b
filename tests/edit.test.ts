// `datumctl edit` through the built binary against the local control plane, with no human:
// the "editor" is a shell script that records the file it was given and changes it with sed
// (a different expression on each opening), or fails. Checks the buffer (header, YAML/JSON,
// no managedFields) against the real kubectl's where one is at hand, the patch and its
// resourceVersion precondition, the reopen-with-reasons loop, and that an edit that cannot be
// saved stays in a temp file whose path is printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, type Sandbox, sandbox } from "./support/cli";
import type { LoggedRequest, Obj } from "./support/control-plane/index";
import { startFixedDatum } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import type { LocalDatum } from "./support/local-datum";

const DNS = "dns.networking.miloapis.com/v1alpha1";
const ZONES = "dnszones.dns.networking.miloapis.com";
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

const kubectlPath = await findKubectl();
let datum: LocalDatum;
let ada: Sandbox;
let bob: Sandbox;
let work: string;
let editorScript: string;
let kubeconfig: string;

const web = () => datum.api.projectPath("web");

function zone(name: string, domain = `${name}.example`): Obj {
  return {
    apiVersion: DNS,
    kind: "DNSZone",
    metadata: { name, namespace: "default" },
    spec: { domainName: domain, dnsZoneClassName: "datum-external-global-dns" },
  };
}
const put = (...objs: Obj[]) => objs.forEach((o) => datum.api.put(web(), o));
const live = (name: string) => datum.api.get(web(), ZONES, name);

/**
 * One editing session's script state: each opening N records the file as seen-N (and its path
 * as path-N), then applies $EDIT_SED_N with sed if set, and exits with $EDIT_EXIT_N (default 0).
 */
function session(name: string, seds: (string | undefined)[] = [], exits: number[] = []): { dir: string; env: Record<string, string> } {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = { EDIT_DIR: dir, KUBE_EDITOR: editorScript };
  seds.forEach((s, i) => {
    if (s !== undefined) env[`EDIT_SED_${i + 1}`] = s;
  });
  exits.forEach((x, i) => (env[`EDIT_EXIT_${i + 1}`] = String(x)));
  return { dir, env };
}

const seen = (dir: string, n: number) => readFileSync(join(dir, `seen-${n}`), "utf8");
const pathOf = (dir: string, n: number) => readFileSync(join(dir, `path-${n}`), "utf8").trim();
const openings = (dir: string) => (existsSync(join(dir, "count")) ? Number(readFileSync(join(dir, "count"), "utf8")) : 0);

async function datumctl(sb: Sandbox, args: string[], env: Record<string, string | undefined>) {
  const r = await sb.run(args, { env });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function kubectl(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([kubectlPath!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: work, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(work, "kube-cache"), ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

const patches = (from: number) => datum.api.requests.slice(from).filter((r: LoggedRequest) => r.method === "PATCH" || r.method === "PUT");
const mark = () => datum.api.requests.length;

beforeAll(async () => {
  datum = await startFixedDatum();
  work = mkdtempSync(join(tmpdir(), "datumctl-edit-test-"));
  editorScript = join(work, "editor.sh");
  writeFileSync(
    editorScript,
    `#!/bin/sh
n=$(cat "$EDIT_DIR/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$EDIT_DIR/count"
cp "$1" "$EDIT_DIR/seen-$n"
echo "$1" > "$EDIT_DIR/path-$n"
eval "expr=\\\${EDIT_SED_$n:-}"
if [ -n "$expr" ]; then sed -i "$expr" "$1"; fi
eval "pre=\\\${EDIT_BEFORE_$n:-}"
if [ -n "$pre" ]; then sh -c "$pre" >/dev/null 2>&1; fi
eval "status=\\\${EDIT_EXIT_$n:-0}"
exit "$status"
`,
  );
  chmodSync(editorScript, 0o755);
  ada = sandbox();
  bob = sandbox();
  await datum.signIn(ada, "ada");
  await datum.signIn(bob, "bob");
  kubeconfig = join(work, "kubeconfig");
  writeFileSync(kubeconfig, datum.tokenKubeconfig(web(), "ada", await datum.idp.mintAccessToken("ada", 3600)));
});
afterAll(async () => {
  ada?.cleanup();
  bob?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
  await datum?.close();
});

describe("edit", () => {
  test("a change is applied as a merge patch with a resourceVersion precondition; the temp file goes", async () => {
    put(zone("e-change"));
    const rv = live("e-change")!.metadata.resourceVersion;
    const s = session("change", ["s/domainName: e-change.example/domainName: changed.example/"]);
    const from = mark();
    const r = await datumctl(ada, ["edit", "dnszone", "e-change"], s.env);
    expect(r).toEqual({ code: 0, stdout: "dnszone.dns.networking.miloapis.com/e-change edited\n", stderr: "" });
    expect(live("e-change")!.spec.domainName).toBe("changed.example");
    const [patch, ...more] = patches(from);
    expect(more).toEqual([]);
    expect(patch!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(patch!.query).toEqual({ fieldManager: "kubectl-edit", fieldValidation: "Strict" });
    expect(JSON.parse(patch!.body)).toEqual({ metadata: { resourceVersion: rv }, spec: { domainName: "changed.example" } });
    // What the editor was given: kubectl's header, then the object as YAML without managedFields.
    const shown = seen(s.dir, 1);
    expect(shown.startsWith(`${HEADER}apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSZone\nmetadata:\n`)).toBe(true);
    expect(shown).not.toContain("managedFields");
    expect(pathOf(s.dir, 1)).toMatch(/\/datumctl-edit-\d+\.yaml$/);
    expect(existsSync(pathOf(s.dir, 1))).toBe(false);
  });

  test("no change: `Edit cancelled, no changes made.`, exit 0, nothing sent", async () => {
    put(zone("e-same"));
    const s = session("same");
    const from = mark();
    const r = await datumctl(ada, ["edit", "dnszones/e-same"], s.env);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "Edit cancelled, no changes made.\n" });
    expect(patches(from)).toEqual([]);
    expect(existsSync(pathOf(s.dir, 1))).toBe(false);
  });

  test("only comments and blank lines: `Edit cancelled, saved file was empty.`", async () => {
    put(zone("e-empty"));
    const s = session("empty", ["/^[^#]/d"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-empty"], s.env);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "Edit cancelled, saved file was empty.\n" });
  });

  test("-o json opens JSON and applies a JSON edit", async () => {
    put(zone("e-json"));
    const s = session("json", ['s/"domainName": "e-json.example"/"domainName": "json.example"/']);
    const r = await datumctl(ada, ["edit", "dnszone", "e-json", "-o", "json"], s.env);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/e-json edited\n");
    expect(r.code).toBe(0);
    // JSON has no header (as in kubectl)…
    expect(seen(s.dir, 1).startsWith(`{\n    "apiVersion": "dns.networking.miloapis.com/v1alpha1",\n`)).toBe(true);
    expect(pathOf(s.dir, 1)).toMatch(/\.json$/);
    expect(live("e-json")!.spec.domainName).toBe("json.example");
  });

  test("-o json: a rejected save reopens with the reasons as comments above the JSON", async () => {
    put(zone("e-json-bad"));
    const s = session("json-bad", ['s/"domainName": "e-json-bad.example"/"domainName": 7/', 's/"domainName": 7/"domainName": "ok.example"/']);
    const r = await datumctl(ada, ["edit", "dnszone", "e-json-bad", "-o", "json"], s.env);
    expect(r.code).toBe(0);
    expect(seen(s.dir, 2)).toStartWith(`${HEADER}# ${ZONES} "e-json-bad" was not valid:\n# * spec.domainName: `);
    expect(seen(s.dir, 2)).toContain('"domainName": 7');
    expect(live("e-json-bad")!.spec.domainName).toBe("ok.example");
  });

  test("a syntax error reopens the file with the error as a comment; fixing it saves", async () => {
    put(zone("e-syntax"));
    const s = session("syntax", ["s/^spec:$/spec: [/", "s/^spec: \\[$/spec:/;s/e-syntax.example/fixed.example/"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-syntax"], s.env);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/e-syntax edited\n");
    expect(r.code).toBe(0);
    expect(openings(s.dir)).toBe(2);
    const second = seen(s.dir, 2);
    expect(second.startsWith(`${HEADER}# The edited file had a syntax error: `)).toBe(true);
    // The user's broken text comes back, not the original.
    expect(second).toContain("\nspec: [\n");
    expect(live("e-syntax")!.spec.domainName).toBe("fixed.example");
  });

  test("a value the server rejects (422) reopens with its causes; the second save goes through", async () => {
    put(zone("e-invalid"));
    const s = session("invalid", ["/domainName:/d", "s/^spec:$/spec:\\n  domainName: valid.example/"]);
    const from = mark();
    const r = await datumctl(ada, ["edit", "dnszone", "e-invalid"], s.env);
    expect(r.stderr).toBe(`error: ${ZONES} "e-invalid" is invalid\n`);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/e-invalid edited\n");
    expect(r.code).toBe(0);
    expect(seen(s.dir, 2)).toStartWith(`${HEADER}# ${ZONES} "e-invalid" was not valid:\n# * spec.domainName: Required value\n#\n`);
    expect(patches(from).map((p) => p.status)).toEqual([422, 200]);
    expect(live("e-invalid")!.spec.domainName).toBe("valid.example");
  });

  test("a field the server does not know (strict validation, 400) reopens too", async () => {
    put(zone("e-unknown"));
    const s = session("unknown", ["s/^spec:$/spec:\\n  colour: blue/", "/colour: blue/d;s/e-unknown.example/known.example/"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-unknown"], s.env);
    expect(r.code).toBe(0);
    expect(seen(s.dir, 2)).toContain(`# ${ZONES} "e-unknown" was not valid:\n# * `);
    expect(seen(s.dir, 2)).toContain('strict decoding error: unknown field "spec.colour"');
    expect(live("e-unknown")!.spec.domainName).toBe("known.example");
  });

  test("a final failure (reopened, saved unchanged) keeps the edit in a temp file and prints its path", async () => {
    put(zone("e-giveup"));
    const s = session("giveup", ["/domainName:/d"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-giveup"], s.env);
    expect(r.code).toBe(1);
    const kept = pathOf(s.dir, 2);
    expect(r.stderr).toBe(
      `error: ${ZONES} "e-giveup" is invalid\nA copy of your changes has been stored to "${kept}"\nerror: Edit cancelled, no valid changes were saved.\n`,
    );
    expect(readFileSync(kept, "utf8")).toBe(seen(s.dir, 2));
    expect(readFileSync(kept, "utf8")).not.toContain("domainName: e-giveup.example");
    expect(existsSync(pathOf(s.dir, 1))).toBe(false);
    expect(live("e-giveup")!.spec.domainName).toBe("e-giveup.example");
    rmSync(kept);
  });

  test("the object changed meanwhile: the precondition fails (409), the edit is kept and its path printed", async () => {
    put(zone("e-race"));
    const s = session("race", ["s/e-race.example/mine.example/"]);
    // While "the user" edits, someone else edits the same object (a nested datumctl edit).
    const inner = session("race-inner", ["s/datum-external-global-dns/other-class/"]);
    const innerEnv = Object.entries(inner.env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(" ");
    s.env.EDIT_BEFORE_1 = `EDIT_BEFORE_1= ${innerEnv} ${BINARY} edit dnszone e-race`;
    const r = await datumctl(ada, ["edit", "dnszone", "e-race"], s.env);
    expect(live("e-race")!.spec.dnsZoneClassName).toBe("other-class");
    expect(live("e-race")!.spec.domainName).toBe("e-race.example");
    expect(r.code).toBe(1);
    const kept = pathOf(s.dir, 1);
    expect(r.stderr).toStartWith(
      `error: ${ZONES} "e-race" could not be patched: Operation cannot be fulfilled on ${ZONES} "e-race": the object has been modified; please apply your changes to the latest version and try again\nA copy of your changes has been stored to "${kept}"\n`,
    );
    expect(readFileSync(kept, "utf8")).toContain("domainName: mine.example");
    rmSync(kept);
  });

  test("the object deleted meanwhile: kubectl's not-found lines, the edit kept", async () => {
    put(zone("e-gone"));
    const s = session("gone", ["s/e-gone.example/late.example/"]);
    s.env.EDIT_BEFORE_1 = `${BINARY} delete dnszone e-gone --wait=false`;
    const r = await datumctl(ada, ["edit", "dnszone", "e-gone"], s.env);
    const kept = pathOf(s.dir, 1);
    expect(r.stderr).toBe(`error: ${ZONES} "e-gone" could not be found on the server\nThe edits you made on deleted resources have been saved to "${kept}"\n`);
    expect(r.code).toBe(1);
    expect(readFileSync(kept, "utf8")).toContain("late.example");
    rmSync(kept);
  });

  test("a viewer's edit is refused; the edit is kept", async () => {
    put(zone("e-viewer"));
    const s = session("viewer", ["s/e-viewer.example/bob.example/"]);
    const r = await datumctl(bob, ["edit", "dnszone", "e-viewer"], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${ZONES} "e-viewer" could not be patched: ${ZONES} "e-viewer" is forbidden: User "bob@example.com" cannot patch resource "dnszones"`,
    );
    const kept = pathOf(s.dir, 1);
    expect(r.stderr).toContain(`A copy of your changes has been stored to "${kept}"`);
    expect(readFileSync(kept, "utf8")).toContain("bob.example");
    rmSync(kept);
  });

  test("the editor fails: kubectl's message, nothing sent, no file left", async () => {
    put(zone("e-editor-fails"));
    const s = session("editor-fails", ["s/e-editor-fails.example/x.example/"], [3]);
    const from = mark();
    const r = await datumctl(ada, ["edit", "dnszone", "e-editor-fails"], s.env);
    expect(r.stderr).toStartWith(`error: there was a problem with the editor "${editorScript}"\n`);
    expect(r.code).toBe(1);
    expect(patches(from)).toEqual([]);
    expect(existsSync(pathOf(s.dir, 1))).toBe(false);
    const missing = await datumctl(ada, ["edit", "dnszone", "e-editor-fails"], { KUBE_EDITOR: "/no/such/editor" });
    expect(missing.stderr).toStartWith(`error: unable to launch the editor "/no/such/editor"\n`);
    expect(missing.code).toBe(1);
  });

  test("which editor: $KUBE_EDITOR, else $EDITOR (words split), else vi on $PATH", async () => {
    put(zone("e-which"));
    const bin = join(work, "bin");
    mkdirSync(bin, { recursive: true });
    const marker = (name: string) => `#!/bin/sh\necho "${name} $*" > "${join(work, "which")}"\n`;
    writeFileSync(join(bin, "vi"), marker("vi"));
    writeFileSync(join(bin, "my-editor"), marker("my-editor"));
    chmodSync(join(bin, "vi"), 0o755);
    chmodSync(join(bin, "my-editor"), 0o755);
    const path = `${bin}:${process.env.PATH}`;
    const which = () => readFileSync(join(work, "which"), "utf8").trim();
    await datumctl(ada, ["edit", "dnszone", "e-which"], { PATH: path, EDITOR: "my-editor --wait", KUBE_EDITOR: "vi" });
    expect(which()).toMatch(/^vi \S+\.yaml$/);
    await datumctl(ada, ["edit", "dnszone", "e-which"], { PATH: path, EDITOR: "my-editor --wait", KUBE_EDITOR: undefined });
    expect(which()).toMatch(/^my-editor --wait \S+\.yaml$/);
    await datumctl(ada, ["edit", "dnszone", "e-which"], { PATH: path, EDITOR: undefined, KUBE_EDITOR: undefined });
    expect(which()).toMatch(/^vi \S+\.yaml$/);
  });

  test("several objects are edited as a List; unchanged ones are skipped", async () => {
    put(zone("e-list-a"), zone("e-list-b"));
    const s = session("list", ["s/e-list-b.example/b2.example/"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-list-a", "e-list-b"], s.env);
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/e-list-a skipped\ndnszone.dns.networking.miloapis.com/e-list-b edited\n");
    expect(r.code).toBe(0);
    expect(seen(s.dir, 1)).toStartWith(`${HEADER}apiVersion: v1\nitems:\n- apiVersion: dns.networking.miloapis.com/v1alpha1\n`);
    expect(live("e-list-b")!.spec.domainName).toBe("b2.example");
  });

  test("a missing object: kubectl's NotFound line, and no editor", async () => {
    const s = session("missing");
    const r = await datumctl(ada, ["edit", "dnszone", "e-nope"], s.env);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `Error from server (NotFound): ${ZONES} "e-nope" not found\n` });
    expect(openings(s.dir)).toBe(0);
  });

  test("changing the name is refused and the edit kept", async () => {
    put(zone("e-rename"));
    const s = session("rename", ["s/^  name: e-rename$/  name: e-renamed/"]);
    const r = await datumctl(ada, ["edit", "dnszone", "e-rename"], s.env);
    const kept = pathOf(s.dir, 1);
    expect(r.stderr).toBe(`A copy of your changes has been stored to "${kept}"\nerror: At least one of apiVersion, kind and name was changed\n`);
    expect(r.code).toBe(1);
    rmSync(kept);
  });
});

const maybe = kubectlPath ? describe : describe.skip;
if (!kubectlPath) test.skip("edit next to kubectl (no kubectl found)", () => {});

maybe("edit, next to kubectl", () => {
  const CASES: [string, string[], Obj[]][] = [
    ["one object as YAML", ["dnszone", "k-yaml"], [zone("k-yaml")]],
    ["one object as JSON", ["dnszone", "k-json", "-o", "json"], [zone("k-json")]],
    ["two objects as a List", ["dnszones", "k-list-a", "k-list-b"], [zone("k-list-a"), zone("k-list-b")]],
  ];
  for (const [name, args, objs] of CASES) {
    test(`${name}: the same buffer, and the same answer when nothing changes`, async () => {
      put(...objs);
      const theirs = session(`k-${name}`);
      const t = await kubectl(["edit", ...args], theirs.env);
      const ours = session(`d-${name}`);
      const o = await datumctl(ada, ["edit", ...args], ours.env);
      expect(seen(ours.dir, 1)).toBe(seen(theirs.dir, 1));
      // (kubectl 1.32 cannot validate a v1 List without /openapi/v2, which this server lacks.)
      if (objs.length === 1) expect(o).toEqual({ code: t.code, stdout: t.stdout, stderr: t.stderr });
    });
  }

  test("a change: the same output, and the same patch apart from datumctl's resourceVersion precondition", async () => {
    put(zone("k-change"));
    const sed = "s/k-change.example/k2.example/";
    let from = mark();
    const t = await kubectl(["edit", "dnszone", "k-change"], session("k-change", [sed]).env);
    const theirPatch = JSON.parse(patches(from)[0]!.body);
    put(zone("k-change"));
    from = mark();
    const o = await datumctl(ada, ["edit", "dnszone", "k-change"], session("d-change", [sed]).env);
    const ourPatch = JSON.parse(patches(from)[0]!.body);
    expect(o).toEqual({ code: t.code, stdout: t.stdout, stderr: t.stderr });
    expect(ourPatch.metadata.resourceVersion).toBeString();
    delete ourPatch.metadata;
    expect(ourPatch).toEqual(theirPatch);
  });

  test("an invalid save: the same reopened buffer", async () => {
    put(zone("k-invalid"));
    const theirs = session("k-invalid", ["/domainName:/d"]);
    const t = await kubectl(["edit", "dnszone", "k-invalid"], theirs.env);
    put(zone("k-invalid"));
    const ours = session("d-invalid", ["/domainName:/d"]);
    const o = await datumctl(ada, ["edit", "dnszone", "k-invalid"], ours.env);
    const at = (s: string) => s.replace(/\/\S+\/(kubectl|datumctl)-edit-\d+\.yaml/g, "<file>");
    const rv = (s: string) => s.replace(/resourceVersion: "\d+"/, 'resourceVersion: "<rv>"');
    expect(rv(seen(ours.dir, 2))).toBe(rv(seen(theirs.dir, 2)));
    expect(o.code).toBe(t.code);
    expect(at(o.stderr)).toBe(at(t.stderr));
  });
});
