// `datumctl get` against kubectl: every case in tests/support/get-cases.ts must print what
// kubectl printed (recorded in tests/fixtures/get/kubectl.json), and, where a kubectl is at
// hand, what it prints live against the same server. stderr may add a hint line to kubectl's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fixtures from "./fixtures/get/kubectl.json" with { type: "json" };
import { type Sandbox, sandbox } from "./support/cli";
import { GET_CASES, type GetCase } from "./support/get-cases";
import { type KubectlRunner, kubectlRunner, startFixedDatum } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import type { LocalDatum } from "./support/local-datum";

type Recorded = { code: number; stdout: string; stderr: string };
const recorded = fixtures as Record<string, Recorded>;

let datum: LocalDatum;
let sb: Sandbox;
let live: KubectlRunner | undefined;

beforeAll(async () => {
  datum = await startFixedDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  const kubectl = await findKubectl();
  if (kubectl) live = await kubectlRunner(kubectl, datum);
  else console.warn("get.test.ts: no kubectl here; comparing with the recorded outputs only");
});
afterAll(async () => {
  sb.cleanup();
  await datum.close();
});

const scopeFlags = (c: GetCase) => (c.plane === "acme" ? ["--organization", "acme"] : []);

/** kubectl's stderr lines must all be there, in order; datumctl may add hints after them. */
function expectStderr(ours: string, theirs: string): void {
  const want = theirs.split("\n").filter(Boolean);
  const got = ours.split("\n");
  let at = 0;
  for (const line of want) {
    const i = got.indexOf(line, at);
    expect({ line, found: i >= 0 }).toEqual({ line, found: true });
    at = i + 1;
  }
  if (want.length === 0) expect(ours).toBe("");
}

/** The control plane gives objects fresh uids each run; recorded outputs are compared without them. */
const withoutUids = (s: string) => s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>");

function compare(ours: Recorded, theirs: Recorded, recordedRun = false): void {
  expect(recordedRun ? withoutUids(ours.stdout) : ours.stdout).toBe(recordedRun ? withoutUids(theirs.stdout) : theirs.stdout);
  expect(ours.code === 0).toBe(theirs.code === 0);
  expectStderr(ours.stderr, theirs.stderr);
}

describe("get, as kubectl prints it", () => {
  for (const c of GET_CASES) {
    test(c.name, async () => {
      const r = await sb.run(["get", ...c.args, ...scopeFlags(c)]);
      const ours = { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
      compare(ours, recorded[c.name]!, true);
      if (live) compare(ours, await live.run(c.plane, c.args));
    });
  }
});
