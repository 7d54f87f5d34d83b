// login --certificate-authority: a file that cannot be used is a clear INVALID_INPUT naming the
// flag and the path, before anything is contacted (the hosts below accept no connection).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, sandbox } from "./support/cli";

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const login = (ca: string, ...extra: string[]) =>
  sb.run(["login", "--hostname", "https://127.0.0.1:1", "--api-hostname", "https://127.0.0.1:1", "--certificate-authority", ca, ...extra]);
const HINT = "Name the PEM file of the CA that signed the auth and API servers' certificates.\n";

describe("login --certificate-authority", () => {
  test("a missing file", async () => {
    const ca = join(sb.home, "missing.pem");
    const r = await login(ca);
    expect([r.exitCode, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe(`error: cannot read the --certificate-authority file ${ca}: no such file\n${HINT}`);
    const json = JSON.parse((await login(ca, "--error-format", "json")).stderr);
    expect(json.error.code).toBe("INVALID_INPUT");
  });

  test("a directory, and a file without a certificate", async () => {
    const dir = join(sb.home, "certs");
    mkdirSync(dir);
    expect((await login(dir)).stderr).toBe(`error: cannot read the --certificate-authority file ${dir}: it is a directory\n${HINT}`);
    const notPem = join(sb.home, "ca.txt");
    writeFileSync(notPem, "not a certificate\n");
    expect((await login(notPem)).stderr).toBe(`error: the --certificate-authority file ${notPem} holds no PEM certificate\n${HINT}`);
  });
});
