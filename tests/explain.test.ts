// `datumctl explain` through the built binary, signed in against the local Datum Cloud,
// compared byte for byte with kubectl 1.32's `explain` against the same control planes:
// with the outputs recorded in tests/fixtures/explain/ (always), and with the real kubectl
// (when one is found). Errors: same exit code, same first line of stderr. Plus the on-disk
// OpenAPI cache, and the renderer's rules on a synthetic document.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExplainTarget, type Rendered, renderExplain } from "../src/explain/render";
import { goFloat, indent, wordWrap } from "../src/explain/text";
import {
  CASES,
  type ExplainCase,
  KubectlRunner,
  kubectlSynthetic,
  type Plane,
  type Recorded,
  readRecorded,
  readSynthetic,
  SYNTHETIC_CASES,
  SYNTHETIC_GROUP,
  type SyntheticCase,
  serveSynthetic,
  syntheticDocument,
} from "./fixtures/explain/cases";
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

/** Runs at most `limit` of the queued jobs at once; each job's promise is kept by name. */
class Pool {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly results = new Map<string, Promise<Recorded>>();

  constructor(private readonly limit: number) {}

  get(name: string, job: () => Promise<Recorded>): Promise<Recorded> {
    let r = this.results.get(name);
    if (!r) {
      r = new Promise<void>((go) => this.queue.push(go)).then(job).finally(() => {
        this.running--;
        this.next();
      });
      this.results.set(name, r);
      this.next();
    }
    return r;
  }

  private next(): void {
    while (this.running < this.limit && this.queue.length) {
      this.running++;
      this.queue.shift()!();
    }
  }
}

const ours = new Pool(6);
const theirs = new Pool(6);
/** datumctl's result for a case, run once and shared by the recorded and the live comparison. */
const datumctl = (c: ExplainCase) => ours.get(c.name, () => sandboxFor(c.plane).run([...c.args, ...PLANE_FLAGS[c.plane]]));
/** The live kubectl's result for a case. */
const live = (c: ExplainCase) => theirs.get(c.name, () => runner!.run(c));

/** The same stdout byte for byte, the same exit code, and kubectl's first stderr line (its name swapped for ours). */
function expectSame(got: Recorded, want: Recorded): void {
  expect(got.stdout).toBe(want.stdout);
  expect(got.exitCode).toBe(want.exitCode);
  const firstLine = (s: string) => s.split("\n")[0];
  expect(firstLine(got.stderr)).toBe(firstLine(want.stderr.replaceAll("kubectl", "datumctl")));
  if (want.exitCode === 0) expect(got.stderr).toBe("");
}

describe("explain matches kubectl's recorded output", () => {
  // Start every run now, six at a time; each test awaits its own.
  beforeAll(() => {
    for (const c of CASES) {
      datumctl(c);
      if (kubectl) live(c);
    }
  });
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
      const [got, want] = await Promise.all([datumctl(c), live(c)]);
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
    expect(r.stderr).toBe(
      `the server doesn't have a resource type "nopes"\nThe current scope is project acme/web. Run 'datumctl api-resources' to see the resource types it serves.\n`,
    );
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
      await datum.signIn(own, "ada");
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

/** The renderer alone on the synthetic document, as stdout/exit/stderr the way the command would print them. */
function renderSynthetic(c: SyntheticCase): { rendered: Rendered; result: Recorded } {
  const target: ExplainTarget = { group: SYNTHETIC_GROUP, version: "v1", resource: c.resource };
  const rendered = renderExplain(syntheticDocument(), target, c.path, c.recursive);
  return { rendered, result: { stdout: rendered.out, exitCode: rendered.error ? 1 : 0, stderr: rendered.error ? `error: ${rendered.error.message}\n` : "" } };
}

/**
 * As expectSame, except for a schema kubectl's template itself trips over (a field whose
 * schema is empty): kubectl prints Go's nested template error; ours is its last part.
 */
function expectSameSynthetic(c: SyntheticCase, want: Recorded): void {
  const { rendered, result } = renderSynthetic(c);
  if (rendered.error?.kind === "schema") {
    expect(result.stdout).toBe(want.stdout);
    expect(want.exitCode).toBe(1);
    expect(want.stderr.trimEnd()).toEndWith(rendered.error.message);
    return;
  }
  expectSame(result, want);
}

describe("the renderer on a synthetic document, against kubectl's recorded output", () => {
  for (const c of SYNTHETIC_CASES) test(c.name, () => expectSameSynthetic(c, readSynthetic(c)));
});

describe("the renderer on a synthetic document, against the live kubectl", () => {
  if (!kubectl) {
    test.skip("live kubectl comparisons (no kubectl found; see the warning above)", () => {});
    return;
  }
  let server: ReturnType<typeof serveSynthetic>;
  let dir: string;
  const runs = new Pool(6);
  const run = (c: SyntheticCase) => runs.get(c.name, () => kubectlSynthetic(kubectl, server.url, dir, c));
  beforeAll(() => {
    server = serveSynthetic();
    dir = mkdtempSync(join(tmpdir(), "datumctl-explain-synthetic-"));
    for (const c of SYNTHETIC_CASES) run(c);
  });
  afterAll(() => {
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  for (const c of SYNTHETIC_CASES) {
    test(c.name, async () => {
      const want = await run(c);
      expectSameSynthetic(c, want);
      expect(want).toEqual(readSynthetic(c));
    });
  }
});

describe("renderer edge cases kubectl cannot be compared on", () => {
  test("a description that refers back to itself is an error, not a hang (kubectl never returns)", () => {
    const r = renderExplain(syntheticDocument(), { group: SYNTHETIC_GROUP, version: "v1", resource: "widgets" }, ["spec", "loop"], false);
    expect(r.out).toBe("GROUP:      synth.example.com\nKIND:       Widget\nVERSION:    v1\n\n");
    expect(r.error?.kind).toBe("schema");
    expect(r.error?.message).toContain("com.example.synth.v1.Loop");
  });

  test("Go's %v of numbers", () => {
    expect([1, 0.5, 123456, 1e6, 1234567, 0.0001, 0.00001, -7, 1e21, 0].map(goFloat)).toEqual([
      "1",
      "0.5",
      "123456",
      "1e+06",
      "1.234567e+06",
      "0.0001",
      "1e-05",
      "-7",
      "1e+21",
      "0",
    ]);
  });
});
