// Reading -f input: every shape kubectl accepts, and every broken one refused with the file,
// the document and the line, before anything could be sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Runtime } from "../src/runtime";
import { DEFAULT_GLOBALS } from "../src/cli/globals";
import { DatumctlError } from "../src/errors";
import { captureIO } from "../src/io";
import { parseManifests, readManifests } from "../src/manifests/read";

let dir: string;
const rt = (): Runtime => ({ io: captureIO(), globals: DEFAULT_GLOBALS, env: {}, configDir: dir, serverWarnings: 0 });
const zone = (name: string) =>
  `apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSZone\nmetadata:\n  name: ${name}\nspec:\n  domainName: ${name}.example\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "datumctl-manifests-"));
  mkdirSync(join(dir, "tree", "nested"), { recursive: true });
  writeFileSync(join(dir, "tree", "a.yaml"), zone("a"));
  writeFileSync(
    join(dir, "tree", "b.json"),
    JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [JSON.parse(JSON.stringify({ apiVersion: "dns.networking.miloapis.com/v1alpha1", kind: "DNSZone", metadata: { name: "b" } }))],
    }),
  );
  writeFileSync(join(dir, "tree", "notes.txt"), "not a manifest");
  writeFileSync(join(dir, "tree", "nested", "c.yml"), zone("c"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (ms: { object: { metadata?: { name?: string } } }[]) => ms.map((m) => m.object.metadata?.name);

async function failure(text: string): Promise<string> {
  try {
    await parseManifests(text, "bad.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(DatumctlError);
    expect((e as DatumctlError).code).toBe("INVALID_INPUT");
    return (e as Error).message;
  }
  throw new Error("expected a failure");
}

describe("reading manifests", () => {
  test("multi-document YAML, empty documents skipped, lines counted", async () => {
    const ms = await parseManifests(`---\n${zone("one")}---\n---\n${zone("two")}`, "zones.yaml");
    expect(names(ms)).toEqual(["one", "two"]);
    expect(ms.map((m) => [m.document, m.line])).toEqual([
      [1, 1],
      [3, 9],
    ]);
  });

  test("a directory: only manifest files, subdirectories with -R, Lists expanded", async () => {
    expect(names(await readManifests(rt(), [join(dir, "tree")]))).toEqual(["a", "b"]);
    expect(names(await readManifests(rt(), [join(dir, "tree")], { recursive: true }))).toEqual(["a", "b", "c"]);
  });

  test("stdin as -", async () => {
    const ms = await readManifests(rt(), ["-"], { stdin: async () => zone("piped") });
    expect(ms[0]!.source).toBe("STDIN");
    expect(names(ms)).toEqual(["piped"]);
  });

  test("YAML 1.1 values as kubectl reads them", async () => {
    const [m] = await parseManifests(`${zone("x")}  enabled: yes\n`, "x.yaml");
    expect((m!.object.spec as Record<string, unknown>).enabled).toBe(true);
  });
});

describe("refusing broken manifests", () => {
  const corpus: [string, string, RegExp][] = [
    ["unclosed flow sequence", `${zone("a")}---\nkind: [unclosed\n`, /^error parsing bad\.yaml \(document 2, line \d+\): /],
    ["bad indentation", "apiVersion: v1\nkind: X\n metadata:\n  name: a\n", /^error parsing bad\.yaml \(document 1, line \d+\): /],
    ["tab indentation", "apiVersion: v1\nkind: X\nmetadata:\n\tname: a\n", /^error parsing bad\.yaml \(document 1, line \d+\): /],
    ["duplicate key", "apiVersion: v1\nkind: X\nkind: Y\nmetadata:\n  name: a\n", /^error parsing bad\.yaml \(document 1, line 3\): /],
    ["a scalar", "just words\n", /document 1, line 1\): a manifest must be a mapping/],
    ["a list", "- a\n- b\n", /a manifest must be a mapping/],
    ["no kind", "apiVersion: v1\nmetadata:\n  name: a\n", /kind is not set$/],
    ["no apiVersion", "kind: DNSZone\nmetadata:\n  name: a\n", /apiVersion is not set$/],
    ["no name", "apiVersion: v1\nkind: DNSZone\nmetadata: {}\n", /metadata\.name is not set$/],
    ["a bad List item", "apiVersion: v1\nkind: List\nitems:\n- name: nothing\n", /every item of a List needs apiVersion and kind$/],
    ["broken JSON", '{"apiVersion": "v1", "kind": ', /^error parsing bad\.yaml \(document 1, line 1\): /],
    ["unknown alias", `${zone("a")}  x: *nowhere\n`, /^error parsing bad\.yaml \(document 1, line \d+\): /],
  ];
  for (const [what, text, pattern] of corpus) {
    test(what, async () => {
      expect(await failure(text)).toMatch(pattern);
    });
  }

  test("missing paths and empty directories are named", async () => {
    const e = await readManifests(rt(), [join(dir, "nope.yaml")]).catch((x: Error) => x);
    expect((e as Error).message).toBe(`the path "${join(dir, "nope.yaml")}" does not exist`);
    mkdirSync(join(dir, "empty"), { recursive: true });
    const e2 = await readManifests(rt(), [join(dir, "empty")]).catch((x: Error) => x);
    expect((e2 as Error).message).toBe(`no manifests (.yaml, .yml, .json) found in ${join(dir, "empty")}`);
  });
});

test("timestamps and sexagesimal-looking values stay strings, as kubectl keeps them", async () => {
  const [m] = await parseManifests(`${zone("t")}  since: 2024-01-01\n  at: 2024-01-01T00:00:00Z\n  port: 1:20\n`, "t.yaml");
  expect(m!.object.spec).toMatchObject({ since: "2024-01-01", at: "2024-01-01T00:00:00Z", port: "1:20" });
});
