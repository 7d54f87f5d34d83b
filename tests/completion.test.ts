// Shell completion backed by the server: resource types from discovery, names from a list.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

let datum: LocalDatum;
let sb: Sandbox;
beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
});
afterAll(async () => {
  sb.cleanup();
  await datum.close();
});

const values = (out: string) =>
  out
    .split("\n")
    .filter((l) => l && !l.startsWith(":"))
    .map((l) => l.split("\t")[0]);

test("get completes the types the control plane serves", async () => {
  const r = await sb.run(["complete", "--", "get", "dns"]);
  expect(r.exitCode).toBe(0);
  expect(values(r.stdout).sort()).toEqual(["dnsrecordsets", "dnszones"]);
});

test("then the names of that type, cached for a moment", async () => {
  const first = await sb.run(["complete", "--", "describe", "dnszones", ""]);
  expect(values(first.stdout)).toEqual(["example-com", "shop-example-com"]);
  datum.api.clearRequests();
  const again = await sb.run(["complete", "--", "describe", "dnszones", "ex"]);
  expect(values(again.stdout)).toEqual(["example-com"]);
  expect(datum.api.requests.filter((q) => q.path.endsWith("/dnszones"))).toEqual([]);
});

test("signed out: no suggestions, no error", async () => {
  const out = sandbox();
  try {
    const r = await out.run(["complete", "--", "get", ""]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
  } finally {
    out.cleanup();
  }
});
