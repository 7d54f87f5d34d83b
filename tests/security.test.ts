// The security promises that need a test of their own (the sandbox checks every other test's
// output and files for leaked secrets and loose modes): plain http only on loopback, TLS
// verified unless the session opts out, and a login callback that only 127.0.0.1 can reach.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

let datum: LocalDatum;
beforeAll(async () => {
  datum = await startLocalDatum();
});
afterAll(async () => {
  await datum.close();
});

async function withSandbox(fn: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = sandbox();
  try {
    await fn(sb);
  } finally {
    sb.cleanup();
  }
}

describe("plain http is for loopback only", () => {
  for (const args of [
    ["login", "--hostname", "http://auth.example.com", "--client-id", "x"],
    ["login", "--hostname", "auth.example.com", "--api-hostname", "http://api.example.com", "--client-id", "x"],
    ["login", "--hostname", "http://10.0.0.1:8080", "--client-id", "x"],
  ]) {
    test(args.slice(1).join(" "), async () =>
      withSandbox(async (sb) => {
        const r = await sb.run([...args, "--error-format", "json"]);
        expect(r.exitCode).toBe(1);
        const e = JSON.parse(r.stderr).error;
        expect(e.code).toBe("INVALID_INPUT");
        expect(e.message).toStartWith("refusing plain http for ");
      }),
    );
  }
});

describe("TLS", () => {
  test("the API's certificate is verified; only the session's own opt-out skips that", async () =>
    withSandbox(async (sb) => {
      await datum.signIn(sb, "ada");
      expect((await sb.run(["get", "dnszones", "-o", "name"])).exitCode).toBe(0);

      const path = join(sb.configDir, "config");
      const cfg = YAML.parse(readFileSync(path, "utf8"));
      delete cfg.sessions[0].endpoint["certificate-authority-data"];
      writeFileSync(path, YAML.stringify(cfg), { mode: 0o600 });
      const untrusted = await sb.run(["get", "dnszones", "--error-format", "json"]);
      expect(untrusted.exitCode).toBe(1);
      expect(JSON.parse(untrusted.stderr).error.code).toBe("TLS");

      cfg.sessions[0].endpoint["insecure-skip-tls-verify"] = true;
      writeFileSync(path, YAML.stringify(cfg), { mode: 0o600 });
      expect((await sb.run(["get", "dnszones", "-o", "name"])).stdout).toContain("dnszone.dns.networking.miloapis.com/example-com");
    }));
});

describe("the login callback", () => {
  test("listens on 127.0.0.1 only and refuses a callback with the wrong state", async () =>
    withSandbox(async (sb) => {
      // A browser that opens nothing: the test plays the browser itself.
      const idle = join(sb.home, "idle-browser.sh");
      writeFileSync(idle, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      const login = sb.start(datum.loginArgs(), { env: { BROWSER: idle } });
      const m = await login.waitForStderr(/visit:\n\n {2}(\S+)\n/);
      const redirect = new URL(new URL(m[1]!).searchParams.get("redirect_uri")!);
      expect(redirect.hostname).toBe("127.0.0.1");

      // Another loopback address of this machine reaches nothing.
      const elsewhere = await fetch(`http://127.0.0.2:${redirect.port}${redirect.pathname}?code=x&state=y`).then(
        () => "answered",
        () => "refused",
      );
      expect(elsewhere).toBe("refused");

      const forged = await fetch(`${redirect}?code=x&state=forged`);
      expect(forged.status).toBe(400);
      const r = await login.result();
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("error: the sign-in callback carried the wrong state");
    }));
});
