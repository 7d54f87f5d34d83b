// The layers of src/, from the ground up. A module imports only from its own layer or below, and
// no two files import each other, directly or around a loop. Type-only imports count: a type is
// still a dependency, and moving it down is what keeps the layers honest.
//
//   base        errors.ts, io.ts, runtime.ts, build-info.ts, critical-section.ts, log/, ui/
//   store       store/          files under ~/.datumctl: config, credentials, token cache, locks
//   scope       scope/          which organization or project a command acts on
//   http        api/http.ts, api/proxy.ts   one request: TLS, proxy, timeouts, -v logging
//   api         api/            the API client (handed its bearer), Status errors, watch streams
//   discovery   discovery/      API discovery: groups, resources, the REST mapper
//   auth        auth/           OIDC flows, credentials, the token source, exec credentials
//   printers    printers/       output formats and the Go encodings they share
//   resources   resources/, manifests/, onboarding/   the scoped client, paths, names, fetch
//   kubeconfig  kubeconfig/     reading and writing kubeconfig files
//   features    one folder per command family: get/, describe/, apply/, diff/, delete/, edit/,
//               explain/, contexts/, sessions/, organizations/, reviews/, doctor/,
//               completion/, version/
//   cli         cli/            the command framework: flags, globals, help, resolution
//   commands    commands/       one thin file per command
//   entry       main.ts, entry.ts, fast-get-token.ts
//
// The test parses every file's imports (static, `export … from` and dynamic `import("…")`) and
// fails with the offending edges.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const SRC = resolve(import.meta.dir, "../../src");

/** Each layer's name and members: a folder (ending in /) or a file, relative to src/. */
const LAYERS: readonly [name: string, members: readonly string[]][] = [
  ["base", ["errors.ts", "io.ts", "runtime.ts", "build-info.ts", "critical-section.ts", "log/", "ui/"]],
  ["store", ["store/"]],
  ["scope", ["scope/"]],
  ["http", ["api/http.ts", "api/proxy.ts"]],
  ["api", ["api/"]],
  ["discovery", ["discovery/"]],
  ["auth", ["auth/"]],
  ["printers", ["printers/"]],
  ["resources", ["resources/", "manifests/", "onboarding/"]],
  ["kubeconfig", ["kubeconfig/"]],
  [
    "features",
    [
      "get/",
      "describe/",
      "apply/",
      "diff/",
      "delete/",
      "edit/",
      "explain/",
      "contexts/",
      "sessions/",
      "organizations/",
      "reviews/",
      "doctor/",
      "completion/",
      "version/",
    ],
  ],
  ["cli", ["cli/"]],
  ["commands", ["commands/"]],
  ["entry", ["main.ts", "entry.ts", "fast-get-token.ts"]],
];

/** The layer of a file under src/: the most specific member that holds it. */
function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach(([, members], layer) => {
    for (const m of members) {
      const hit = m.endsWith("/") ? file.startsWith(m) : file === m;
      if (hit && m.length > bestLength) {
        best = layer;
        bestLength = m.length;
      }
    }
  });
  return best;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

/** A relative specifier as the file under src/ it names; undefined for packages, node: modules
 *  and files outside src/ (package.json). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = relative(SRC, resolve(SRC, dirname(from), specifier));
  if (base.startsWith("..")) return undefined;
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    try {
      if (statSync(join(SRC, candidate)).isFile()) return candidate;
    } catch {}
  }
  throw new Error(`${from}: cannot resolve import "${specifier}"`);
}

/** Every module specifier in a text: static, type-only, `export … from` and dynamic `import("…")`. */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function importsOf(file: string): string[] {
  const targets = specifiers(readFileSync(join(SRC, file), "utf8")).map((s) => resolveImport(file, s));
  return [...new Set(targets.filter((t) => t !== undefined))];
}

const files = sourceFiles(SRC).sort();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Strongly connected components with more than one file (Tarjan), each listed sorted. */
function cycles(): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return found;
}

describe("the layers of src/", () => {
  test("every file belongs to a layer", () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  test("no file imports from a layer above its own", () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const [a, b] = [layerOf(from), layerOf(to)];
        if (b > a) upward.push(`${from} (${LAYERS[a]![0]}) → ${to} (${LAYERS[b]![0]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  test("no import cycles between files", () => {
    expect(cycles().map((c) => c.join(" ↔ "))).toEqual([]);
  });

  test("the check sees every kind of import", () => {
    const text = [
      'import { a } from "./static";',
      'import type { B } from "./type-only";',
      'export { c } from "./re-export";',
      'export type { D } from "./type-re-export";',
      'const e = await import("./dynamic");',
      '// import { f } from "./in-a-comment";',
    ].join("\n");
    expect(specifiers(text)).toEqual(["./static", "./type-only", "./re-export", "./type-re-export", "./dynamic"]);
    // And on the real tree: entry.ts loads both of its paths lazily.
    expect(graph.get("entry.ts")).toEqual(["fast-get-token.ts", "main.ts"]);
  });
});
