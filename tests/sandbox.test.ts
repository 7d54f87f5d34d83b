// `npm run sandbox` as a newcomer uses it: start it, try the printed commands, stop it.
import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { completeDeviceLogin } from "./support/browser";
import { BINARY, ROOT } from "./support/cli";

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
    while (!(m = err.match(/visit:\n(\S+)\nAnd enter code: (\S+)\n/))) {
      const { value, done } = await errReader.read();
      if (done) throw new Error(`login ended early:\n${err}`);
      err += decoder.decode(value, { stream: true });
    }
    await completeDeviceLogin(m[1]!, m[2]!, "ada");
    expect(await login.exited).toBe(0);
    const who = Bun.spawn([BINARY, "whoami", "-o", "json"], { env, stdout: "pipe" });
    expect(JSON.parse(await new Response(who.stdout).text()).email).toBe("ada@example.com");
  } finally {
    proc.kill("SIGINT");
  }
  expect(await proc.exited).toBe(0);
  expect(existsSync(ready.configDir)).toBe(false);
}, 60_000);
