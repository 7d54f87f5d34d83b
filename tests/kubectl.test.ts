// The local control plane is only worth testing against if the real kubectl accepts it.
// This drives kubectl 1.32 with a static-token kubeconfig through everything later issues
// compare datumctl against: get in every format, apply (client- and server-side), delete,
// auth whoami / can-i, api-resources and explain.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const kubectl = await findKubectl();
const maybe = kubectl ? describe : describe.skip;

let datum: LocalDatum;
let dir: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  if (!kubectl) return;
  datum = await startLocalDatum();
  dir = mkdtempSync(join(tmpdir(), "datumctl-kubectl-"));
  tokens.ada = await datum.idp.mintAccessToken("ada");
  tokens.bob = await datum.idp.mintAccessToken("bob");
});
afterAll(async () => {
  await datum?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A kubeconfig for one user against one control plane, with its own discovery cache. */
function kubeconfigFor(user: "ada" | "bob", planePath: string): string {
  const path = join(dir, `${user}-${planePath.replaceAll("/", "_")}.yaml`);
  writeFileSync(path, datum.tokenKubeconfig(planePath, user, tokens[user]!));
  return path;
}

async function k(kubeconfig: string, args: string[], stdin?: string) {
  const proc = Bun.spawn([kubectl!, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(kubeconfig + ".cache") },
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

const web = () => kubeconfigFor("ada", datum.api.projectPath("web"));

const zone = (name: string, domain: string) =>
  YAML.stringify({
    apiVersion: "dns.networking.miloapis.com/v1alpha1",
    kind: "DNSZone",
    metadata: { name, namespace: "default" },
    spec: { domainName: domain, dnsZoneClassName: "datum-external-global-dns" },
  });

if (!kubectl) test.skip("kubectl tests (no kubectl found; see the warning above)", () => {});

maybe("kubectl get", () => {
  test("a server-side table of DNS zones, with wide columns", async () => {
    const r = await k(web(), ["get", "dnszones"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "ACCEPTED", "PROGRAMMED", "RECORDS"]);
    expect(rows.map((l) => l.split(/\s+/)[0])).toContain("example-com");
    const wide = await k(web(), ["get", "dnszones", "-o", "wide"]);
    expect(wide.code).toBe(0);
  });

  test("json, yaml and name", async () => {
    const json = JSON.parse((await k(web(), ["get", "dnszones", "-o", "json"])).stdout);
    expect(json.kind).toBe("List");
    expect(json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain("example-com");
    const yaml = YAML.parse((await k(web(), ["get", "dnszone", "example-com", "-o", "yaml"])).stdout);
    expect(yaml.spec.domainName).toBe("example.com");
    const name = await k(web(), ["get", "dnszones", "-o", "name"]);
    expect(name.stdout).toContain("dnszone.dns.networking.miloapis.com/example-com\n");
  });

  test("projects in an organization's control plane, and NotFound as kubectl words it", async () => {
    const acme = kubeconfigFor("ada", datum.api.orgPath("acme"));
    const r = await k(acme, ["get", "projects", "-o", "name"]);
    expect(r.stdout).toBe("project.resourcemanager.miloapis.com/data\nproject.resourcemanager.miloapis.com/web\n");
    const missing = await k(acme, ["get", "project", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): projects.resourcemanager.miloapis.com "nope" not found\n');
  });
});

maybe("kubectl apply and delete", () => {
  test("client-side apply: created, unchanged, configured; then deleted", async () => {
    const kc = web();
    const created = await k(kc, ["apply", "-f", "-"], zone("kubectl-csa", "csa.example"));
    expect(created.stderr).toBe("");
    expect(created.stdout).toBe("dnszone.dns.networking.miloapis.com/kubectl-csa created\n");
    expect((await k(kc, ["apply", "-f", "-"], zone("kubectl-csa", "csa.example"))).stdout).toBe("dnszone.dns.networking.miloapis.com/kubectl-csa unchanged\n");
    expect((await k(kc, ["apply", "-f", "-"], zone("kubectl-csa", "csa2.example"))).stdout).toBe(
      "dnszone.dns.networking.miloapis.com/kubectl-csa configured\n",
    );
    const del = await k(kc, ["delete", "dnszone", "kubectl-csa"]);
    expect(del.stdout).toBe('dnszone.dns.networking.miloapis.com "kubectl-csa" deleted\n');
    expect((await k(kc, ["get", "dnszone", "kubectl-csa"])).code).toBe(1);
  });

  test("server-side apply, and a conflict between field managers", async () => {
    const kc = web();
    const r = await k(kc, ["apply", "--server-side", "-f", "-"], zone("kubectl-ssa", "ssa.example"));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("dnszone.dns.networking.miloapis.com/kubectl-ssa serverside-applied\n");
    const other = await k(kc, ["apply", "--server-side", "--field-manager=other", "-f", "-"], zone("kubectl-ssa", "other.example"));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("conflict");
    expect(other.stderr).toContain(".spec.domainName");
    const forced = await k(kc, ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], zone("kubectl-ssa", "other.example"));
    expect(forced.code).toBe(0);
  });
});

maybe("kubectl auth and discovery", () => {
  test("auth whoami names the user", async () => {
    const r = await k(web(), ["auth", "whoami"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Username\s+ada@example\.com/);
  });

  test("auth can-i: owner yes, viewer no, and --list", async () => {
    expect((await k(web(), ["auth", "can-i", "create", "dnszones"])).stdout).toBe("yes\n");
    const bob = kubeconfigFor("bob", datum.api.projectPath("web"));
    const no = await k(bob, ["auth", "can-i", "delete", "dnszones"]);
    expect(no.code).toBe(1);
    expect(no.stdout).toStartWith("no");
    expect((await k(bob, ["auth", "can-i", "list", "dnszones"])).stdout).toBe("yes\n");
    const list = await k(bob, ["auth", "can-i", "--list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("dnszones.dns.networking.miloapis.com");
  });

  test("a viewer's delete is Forbidden in kubectl's words", async () => {
    const bob = kubeconfigFor("bob", datum.api.projectPath("web"));
    const r = await k(bob, ["delete", "dnszone", "example-com"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Forbidden): dnszones.dns.networking.miloapis.com "example-com" is forbidden: User "bob@example.com" cannot delete resource "dnszones"',
    );
  });

  test("api-resources and explain", async () => {
    const r = await k(web(), ["api-resources"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dnszones\s+dns\.networking\.miloapis\.com\/v1alpha1\s+true\s+DNSZone$/m);
    const explain = await k(web(), ["explain", "dnszones.spec"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("domainName");
  });

  test("a request without a valid token is refused", async () => {
    const path = kubeconfigFor("ada", datum.api.projectPath("web"));
    const bad = path.replace(".yaml", "-bad.yaml");
    writeFileSync(bad, (await Bun.file(path).text()).replace(tokens.ada!, "not-a-token"));
    const r = await k(bad, ["get", "dnszones"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("You must be logged in to the server");
  });
});
