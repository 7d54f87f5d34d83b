// `datumctl describe` next to the real kubectl's describe, live against the same server
// (event ages come from the clock, so there is nothing stable to record).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Sandbox, sandbox } from "./support/cli";
import type { Plane } from "./support/get-cases";
import { type KubectlRunner, kubectlRunner, startFixedDatum } from "./support/get-harness";
import { findKubectl } from "./support/kubectl";
import type { LocalDatum } from "./support/local-datum";

const kubectl = await findKubectl();
const maybe = kubectl ? describe : describe.skip;
if (!kubectl) test.skip("describe comparisons (no kubectl found)", () => {});

let datum: LocalDatum;
let sb: Sandbox;
let k: KubectlRunner;

beforeAll(async () => {
  if (!kubectl) return;
  datum = await startFixedDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  k = await kubectlRunner(kubectl, datum);
});
afterAll(async () => {
  sb?.cleanup();
  await datum?.close();
});

const CASES: [string, Plane, string[]][] = [
  ["a zone with an event", "web", ["dnszone", "example-com"]],
  ["a record set, no events", "web", ["dnsrecordset", "example-com-mail"]],
  ["every zone", "web", ["dnszones"]],
  ["by name prefix", "web", ["dnszones", "shop"]],
  ["type/name", "web", ["dnsrecordsets/example-com-www"]],
  ["selector", "web", ["dnszones", "-l", "env=prod"]],
  ["selector, nothing", "web", ["dnszones", "-l", "env=nope"]],
  ["missing", "web", ["dnszone", "nope"]],
  ["without events", "web", ["dnszone", "example-com", "--show-events=false"]],
  ["a project", "acme", ["project", "web"]],
];

maybe("describe, as kubectl prints it", () => {
  for (const [name, plane, args] of CASES) {
    test(name, async () => {
      const theirs = await k.kubectl(plane, ["describe", ...args]);
      const ours = await sb.run(["describe", ...args, ...(plane === "acme" ? ["--organization", "acme"] : [])]);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.exitCode === 0).toBe(theirs.code === 0);
      for (const line of theirs.stderr.split("\n").filter(Boolean)) expect(ours.stderr).toContain(line);
    });
  }
});
