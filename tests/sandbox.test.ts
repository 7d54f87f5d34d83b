// `npm run sandbox` as a newcomer uses it: start it, try the printed commands, stop it.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, ROOT } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { startLocalDatum } from "./support/local-datum";

test("the sandbox serves its seeded world, a printed login works, and Ctrl-C cleans up", async () => {
  const proc = Bun.spawn([process.execPath, join(ROOT, "scripts", "sandbox.ts")], { cwd: ROOT, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let out = "";
  const decoder = new TextDecoder();
  const reader = proc.stdout.getReader();
  while (!out.includes("\nSANDBOX READY ")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`sandbox exited before it was ready:\n${out}\n${await new Response(proc.stderr).text()}`);
    out += decoder.decode(value, { stream: true });
  }
  while (!out.endsWith("\n")) out += decoder.decode((await reader.read()).value, { stream: true });
  const ready = JSON.parse(out.slice(out.indexOf("SANDBOX READY ") + "SANDBOX READY ".length).split("\n")[0]!);
  try {
    // The curl line, done with fetch: a token from the sandbox's IdP lists acme's projects.
    const token = (await Bun.file(ready.tokenFile).text()).trim();
    const res = await fetch(ready.projects, { headers: { authorization: `Bearer ${token}` }, tls: { ca: await Bun.file(ready.ca).text() } });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((p) => p.metadata.name).sort()).toEqual(["data", "web"]);

    // The printed --no-browser login, run as printed (from the repo root, with the exported variables).
    const line = out.split("\n").find((l) => l.includes(" login ") && l.trimEnd().endsWith("--no-browser"))!;
    const args = line.trim().split(/\s+/);
    expect(args[0]).toBe("dist/datumctl");
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: ready.configDir,
      DATUMCTL_CONFIG_DIR: ready.configDir,
      KUBECONFIG: ready.kubeconfig,
      DATUMCTL_CREDENTIAL_STORE: "file",
    };
    const login = Bun.spawn([BINARY, ...args.slice(1)], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    let err = "";
    const errReader = login.stderr.getReader();
    let m: RegExpMatchArray | null = null;
    // The user code, however the login words its prompt: oidc-provider's ****-**** over base-20 consonants.
    while (!(m = err.match(/\b([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})\b/))) {
      const { value, done } = await errReader.read();
      if (done) throw new Error(`login ended early:\n${err}`);
      err += decoder.decode(value, { stream: true });
    }
    // Approved with the printed helper, as bob; a code it does not know is refused.
    const approveLine = out.split("\n").find((l) => l.trimEnd().endsWith(" <code>"))!;
    const approve = approveLine.trim().split(" ")[0]!;
    expect(approve).toBe(ready.approve);
    const helper = async (...args: string[]) => {
      const p = Bun.spawn([approve, ...args], { env: { PATH: process.env.PATH ?? "" }, stdout: "pipe", stderr: "pipe" });
      const [stderr, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
      return { code, stderr };
    };
    const wrong = await helper("BCDF-GHJK", "--as", "bob");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toStartWith("error: could not approve BCDF-GHJK: ");
    expect(await helper(m[1]!, "--as", "bob")).toEqual({ code: 0, stderr: `Approved ${m[1]} as bob.\n` });
    expect(await login.exited).toBe(0);
    const who = Bun.spawn([BINARY, "whoami", "-o", "json"], { env, stdout: "pipe" });
    expect(JSON.parse(await new Response(who.stdout).text()).email).toBe("bob@example.com");
  } finally {
    proc.kill("SIGINT");
  }
  expect(await proc.exited).toBe(0);
  expect(existsSync(ready.configDir)).toBe(false);
}, 60_000);

/** `npm run sandbox` as a user starts it, read until it is ready. */
async function startViaNpm() {
  const proc = Bun.spawn(["npm", "run", "sandbox"], { cwd: ROOT, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  while (!/\nSANDBOX READY .*\n/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`npm run sandbox exited before it was ready:\n${out}\n${await new Response(proc.stderr).text()}`);
    out += decoder.decode(value, { stream: true });
  }
  const ready = JSON.parse(out.match(/\nSANDBOX READY (.*)\n/)![1]!) as { pid: number; idp: string; api: string; configDir: string };
  const stderr = new Response(proc.stderr).text();
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return out;
      out += decoder.decode(value, { stream: true });
    }
  })();
  return { proc, ready, rest, stderr };
}

/** True when nothing listens on the URL's port any more. */
async function closed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    const socket = await Bun.connect({ hostname, port: Number(port), socket: { data() {} } });
    socket.end();
    return false;
  } catch {
    return true;
  }
}

describe("stopping the sandbox", () => {
  for (const [signal, target] of [
    ["SIGINT", "npm"],
    ["SIGTERM", "npm"],
    ["SIGTERM", "the sandbox"],
  ] as const) {
    test(`${signal} to ${target} closes its ports and removes its scratch folder`, async () => {
      const { proc, ready, rest, stderr } = await startViaNpm();
      expect(await closed(ready.idp)).toBe(false);
      expect(await closed(ready.api)).toBe(false);
      if (target === "npm") proc.kill(signal);
      else process.kill(ready.pid, signal);
      // stdout closes once the sandbox, which shares it, has exited.
      expect(await rest, await stderr).toContain("Stopped; removed ");
      // npm may answer a signal of its own with 128 + its number (its convention, racing the child's exit).
      const code = await proc.exited;
      if (target === "npm") expect([0, 128 + (signal === "SIGINT" ? 2 : 15)]).toContain(code);
      else expect(code).toBe(0);
      expect(existsSync(ready.configDir)).toBe(false);
      expect(await closed(ready.idp)).toBe(true);
      expect(await closed(ready.api)).toBe(true);
      // The sandbox itself is gone, not left behind by npm.
      expect(() => process.kill(ready.pid, 0)).toThrow();
    }, 60_000);
  }
});

test("with the sandbox's knob, a new zone turns Accepted and Programmed a moment later, as on the real service", async () => {
  const kubectl = await findKubectl();
  if (!kubectl) throw new Error("no kubectl found");
  const datum = await startLocalDatum({ zoneStatusAfterMs: 50 });
  const dir = mkdtempSync(join(tmpdir(), "datumctl-zone-status-"));
  try {
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, datum.tokenKubeconfig(datum.api.projectPath("web"), "ada", await datum.idp.mintAccessToken("ada", 3600)));
    const run = async (args: string[], stdin?: string) => {
      const p = Bun.spawn([kubectl, ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, "cache") },
        stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { code, stdout, stderr };
    };
    const zone = `apiVersion: dns.networking.miloapis.com/v1alpha1
kind: DNSZone
metadata: { name: demo-example, namespace: default }
spec: { domainName: demo.example, dnsZoneClassName: datum-external-global-dns }
`;
    expect((await run(["create", "-f", "-"], zone)).code).toBe(0);
    const waited = await run(["wait", "--for=condition=Programmed", "dnszone/demo-example", "--timeout=20s"]);
    expect(waited).toMatchObject({ code: 0, stdout: "dnszone.dns.networking.miloapis.com/demo-example condition met\n" });
    const got = await run(["get", "dnszone", "demo-example", "-o", "jsonpath={.status.conditions[*].type}={.status.conditions[*].status}"]);
    expect(got.stdout).toBe("Accepted Programmed=True True");
  } finally {
    await datum.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
