// Manifests from -f: files, directories (-R to recurse), URLs and stdin; multi-document YAML,
// JSON and List kinds. Everything is read and checked before anything is sent, so one bad
// document means nothing reaches the server.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { request } from "../api/http";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { DatumctlError, invalidInput } from "../errors";

export interface Manifest {
  object: KubeObject;
  /** Where it came from, as the user named it: a path, a URL or "STDIN". */
  source: string;
  /** 1-based document number within the source. */
  document: number;
  /** 1-based line where the document starts. */
  line: number;
}

const EXTENSIONS = new Set([".json", ".yaml", ".yml"]);

function filesIn(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) {
      if (recursive) out.push(...filesIn(path, recursive));
    } else if (EXTENSIONS.has(extname(name))) {
      out.push(path);
    }
  }
  return out;
}

async function readSource(rt: Runtime, name: string, stdin: () => Promise<string>): Promise<string> {
  if (name === "-") return stdin();
  if (/^https?:\/\//.test(name)) {
    const res = await request(rt, name);
    if (!res.ok) throw invalidInput(`cannot read ${name}: the server returned HTTP ${res.status}`);
    return res.text();
  }
  try {
    return readFileSync(name, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalidInput(code === "ENOENT" ? `the path "${name}" does not exist` : `cannot read ${name}: ${code ?? (e as Error).message}`);
  }
}

/** Splits one source into objects, expanding List kinds; errors name the source, document and line. */
export async function parseManifests(text: string, source: string): Promise<Manifest[]> {
  const YAML = await import("yaml");
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const out: Manifest[] = [];
  // YAML 1.1, as kubectl reads manifests (`yes`/`on` are booleans there), except that its
  // decoder keeps timestamps and sexagesimal numbers (1:20) as the strings they were written as.
  const docs = YAML.parseAllDocuments(text, {
    version: "1.1",
    prettyErrors: false,
    customTags: (tags) =>
      tags.filter((t) =>
        typeof t === "string"
          ? !["timestamp", "intTime", "floatTime"].includes(t)
          : t.tag !== "tag:yaml.org,2002:timestamp" && (t as { format?: string }).format !== "TIME",
      ),
  });
  const all = Array.isArray(docs) ? docs : [docs];
  let document = 0;
  for (const doc of all) {
    document++;
    const line = lineOf(doc.range?.[0] ?? 0);
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
      throw invalidInput(`error parsing ${source} (document ${document}, line ${at}): ${err.message.split("\n")[0]}`);
    }
    const bad = (why: string) => invalidInput(`error parsing ${source} (document ${document}, line ${line}): ${why}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Unresolved aliases and alias bombs surface only here.
      throw bad((e as Error).message);
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw bad("a manifest must be a mapping with apiVersion and kind");
    const obj = value as KubeObject;
    if (!obj.kind) throw bad("kind is not set");
    if (!obj.apiVersion) throw bad("apiVersion is not set");
    if (obj.kind.endsWith("List") && Array.isArray(obj.items)) {
      for (const item of obj.items as KubeObject[]) {
        if (!item || typeof item !== "object" || !item.kind || !item.apiVersion) throw bad("every item of a List needs apiVersion and kind");
        out.push({ object: item, source, document, line });
      }
      continue;
    }
    if (!obj.metadata?.name && !obj.metadata?.generateName) throw bad("metadata.name is not set");
    out.push({ object: obj, source, document, line });
  }
  return out;
}

export interface ReadOptions {
  recursive?: boolean;
  /** The command, for kubectl's "no objects passed to <verb>". */
  verb?: string;
  /** Reads all of standard input (injected for tests). */
  stdin?: () => Promise<string>;
}

export async function readManifests(rt: Runtime, names: string[], opts: ReadOptions = {}): Promise<Manifest[]> {
  if (names.length === 0)
    throw invalidInput("must give at least one file with -f", "For example: -f zone.yaml, -f ./manifests/ -R, or -f - to read standard input.");
  const stdin = opts.stdin ?? (() => Bun.stdin.text());
  const sources: string[] = [];
  for (const name of names) {
    let isDir = false;
    try {
      isDir = name !== "-" && !/^https?:\/\//.test(name) && statSync(name).isDirectory();
    } catch {
      // not there: reported when read
    }
    if (isDir) {
      const files = filesIn(name, opts.recursive === true);
      if (files.length === 0)
        throw invalidInput(`no manifests (.yaml, .yml, .json) found in ${name}`, opts.recursive ? undefined : "Add -R to look in subdirectories.");
      sources.push(...files);
    } else {
      sources.push(name);
    }
  }
  const out: Manifest[] = [];
  for (const source of sources) {
    out.push(...(await parseManifests(await readSource(rt, source, stdin), source === "-" ? "STDIN" : source)));
  }
  if (out.length === 0) throw new DatumctlError(`no objects passed to ${opts.verb ?? "apply"}`, { code: "INVALID_INPUT" });
  return out;
}
