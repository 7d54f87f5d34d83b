// `datumctl explain` through the built binary, signed in against the local Datum Cloud,
// compared byte for byte with kubectl 1.32's `explain` against the same control planes:
// with the outputs recorded in tests/fixtures/explain/ (always), and with the real kubectl
// (when one is found). Errors: same exit code, same first line of stderr. Plus the on-disk
// OpenAPI cache, and the renderer's rules on a synthetic document.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { indent, wordWrap } from "../src/explain/text";
import { CASES, type ExplainCase, KubectlRunner, type Plane, type Recorded, readRecorded } from "./fixtures/explain/cases";
import { HEADLESS_BROWSER } from "./support/browser";
import { type Sandbox, sandbox } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

const kubectl = await findKubectl();

let datum: LocalDatum;
/** Signed in with the acme/web context; --organization acme reaches the organization's plane. */
let sb: Sandbox;
/** Signed in with no context: ada's own control plane. */
let userSb: Sandbox;
let runner: KubectlRunner | undefined;

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  userSb = sandbox();
  const login = { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } };
  const [a, b] = await Promise.all([sb.run(datum.loginArgs("--context", "acme/web"), login), userSb.run(datum.loginArgs(), login)]);
  expect(a.exitCode).toBe(0);
  expect(b.exitCode).toBe(0);
  if (kubectl) runner = new KubectlRunner(kubectl, datum, await datum.idp.mintAccessToken("ada"));
});
afterAll(async () => {
  sb?.cleanup();
  userSb?.cleanup();
  runner?.cleanup();
  await datum?.close();
});

const PLANE_FLAGS: Record<Plane, string[]> = { project: [], organization: ["--organization", "acme"], user: [] };
const sandboxFor = (plane: Plane) => (plane === "user" ? userSb : sb);

const ours = new Map<string, Promise<Recorded>>();
/** datumctl's result for a case, run once and shared by the recorded and the live comparison. */
function datumctl(c: ExplainCase): Promise<Recorded> {
  let r = ours.get(c.name);
  if (!r) ours.set(c.name, (r = sandboxFor(c.plane).run([...c.args, ...PLANE_FLAGS[c.plane]])));
  return r;
}

/** The same stdout byte for byte, the same exit code, and kubectl's first stderr line (its name swapped for ours). */
function expectSame(got: Recorded, want: Recorded): void {
  expect(got.stdout).toBe(want.stdout);
  expect(got.exitCode).toBe(want.exitCode);
  const firstLine = (s: string) => s.split("\n")[0];
  expect(firstLine(got.stderr)).toBe(firstLine(want.stderr.replaceAll("kubectl", "datumctl")));
  if (want.exitCode === 0) expect(got.stderr).toBe("");
}

describe("explain matches kubectl's recorded output", () => {
  for (const c of CASES) {
    test(`${c.plane}: ${c.args.slice(1).join(" ") || "(no type)"}`, async () => {
      expectSame(await datumctl(c), readRecorded(c));
    });
  }
});

describe("explain matches the live kubectl", () => {
  if (!kubectl) {
    test.skip("live kubectl comparisons (no kubectl found; see the warning above)", () => {});
    return;
  }
  for (const c of CASES) {
    test(`${c.plane}: ${c.args.slice(1).join(" ") || "(no type)"}`, async () => {
      const [got, want] = await Promise.all([datumctl(c), runner!.run(c)]);
      expectSame(got, want);
      // The recorded goldens must still be what kubectl prints against today's control plane.
      expect(want).toEqual(readRecorded(c));
    });
  }
});

describe("explain errors", () => {
  test("a missing field prints the header on stdout and kubectl's error alone on stderr", async () => {
    const r = await sb.run(["explain", "dnszones.spec.nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("GROUP:      dns.networking.miloapis.com\nKIND:       DNSZone\nVERSION:    v1alpha1\n\n");
    expect(r.stderr).toBe('error: field "nope" does not exist\n');
  });

  test("a field error in JSON carries a code", async () => {
    const r = await sb.run(["explain", "dnszones.nope", "--error-format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "INVALID_INPUT", message: 'field "nope" does not exist' });
  });

  test("an unknown type is NOT_FOUND, worded as kubectl words it, with a hint", async () => {
    const r = await sb.run(["explain", "nopes"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`the server doesn't have a resource type "nopes"\nRun 'datumctl api-resources' to see the resource types this control plane serves.\n`);
    const json = await sb.run(["explain", "nopes", "--error-format=json"]);
    expect(JSON.parse(json.stderr).error.code).toBe("NOT_FOUND");
  });

  test("-o plaintext-openapiv2 asks for OpenAPI v2 and reports the server's answer", async () => {
    const r = await sb.run(["explain", "dnszones", "-o", "plaintext-openapiv2"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toStartWith("Error from server (NotFound): ");
  });

  test("no login is AUTH_REQUIRED", async () => {
    const fresh = sandbox();
    try {
      const r = await fresh.run(["explain", "dnszones"]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("not signed in");
    } finally {
      fresh.cleanup();
    }
  });
});

describe("the OpenAPI cache", () => {
  test("a group/version document is fetched once, kept by its hash, and read from disk afterwards", async () => {
    const own = sandbox();
    try {
      const login = await own.run(datum.loginArgs("--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
      expect(login.exitCode).toBe(0);
      const gvFetches = () => datum.api.requests.filter((r) => r.planePath === "/openapi/v3/apis/dns.networking.miloapis.com/v1alpha1").length;
      const before = gvFetches();
      const first = await own.run(["explain", "dnszones.spec"]);
      expect(first.exitCode).toBe(0);
      expect(gvFetches()).toBe(before + 1);

      const dir = join(own.configDir, "cache", "openapi");
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/project-web[/\\]apis_dns.networking.miloapis.com_v1alpha1-[0-9A-F]+\.json$/);

      const second = await own.run(["explain", "dnsrecordsets", "--recursive"]);
      expect(second.exitCode).toBe(0);
      expect(gvFetches()).toBe(before + 1);
      expect(second.stdout).toBe(readRecorded(CASES.find((c) => c.name === "dnsrecordsets-recursive")!).stdout);

      // A corrupt cache file is ignored and replaced.
      writeFileSync(join(dir, files[0]!), "{not json");
      const third = await own.run(["explain", "dnszones.spec"]);
      expect(third.stdout).toBe(first.stdout);
      expect(gvFetches()).toBe(before + 2);
      expect(() => JSON.parse(readFileSync(join(dir, files[0]!), "utf8"))).not.toThrow();
    } finally {
      own.cleanup();
    }
  });
});

describe("renderer rules", () => {
  test("word wrap keeps go-wordwrap's behaviour", () => {
    expect(wordWrap("Kind is a string value representing the REST resource this object represents.", 76)).toBe(
      "Kind is a string value representing the REST resource this object\nrepresents.",
    );
    expect(wordWrap("short", 76)).toBe("short");
    expect(wordWrap("a\n\nb\n", 76)).toBe("a\n\nb\n");
    expect(wordWrap("aaaa bbbb", 4)).toBe("aaaa\nbbbb");
    expect(wordWrap("averyveryverylongword x", 5)).toBe("averyveryverylongword\nx");
    expect(wordWrap("x  ", 76)).toBe("x  ");
    expect(wordWrap("anything goes", 0)).toBe("anything goes");
    expect(indent(4, "a\n\nb")).toBe("    a\n    \n    b");
  });
});
