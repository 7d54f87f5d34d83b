// One kubeconfig file, read with the yaml Document API: its entries, its current context, and
// whether it is a kubeconfig at all. ./edit.ts changes it in place.
import { readFileSync } from "node:fs";
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap } from "yaml";
import { DatumctlError } from "../errors";

export const SECTIONS = ["clusters", "users", "contexts"] as const;
export type Section = (typeof SECTIONS)[number];
/** The key holding an entry's body: `- name: x\n  cluster: {…}`. */
export const ENTRY_KEY = { clusters: "cluster", users: "user", contexts: "context" } as const;

export interface KubeconfigFile {
  path: string;
  exists: boolean;
  /** The file as read; "" when it does not exist. */
  text: string;
  doc: Document.Parsed;
}

class Corrupt extends Error {}

const firstLine = (s: string) => s.split("\n")[0]!.trim();

function corruptError(path: string, reason: string): DatumctlError {
  return new DatumctlError(`${path} is not a valid kubeconfig: ${reason}`, {
    code: "INVALID_INPUT",
    hint: `Fix it or move it aside (mv ${path} ${path}.bak) and run the command again; datumctl does not overwrite a file it cannot read.`,
  });
}

/** Parses kubeconfig text; throws INVALID_INPUT naming the file when kubectl could not read it either. */
export function parseKubeconfig(path: string, text: string, exists = true): KubeconfigFile {
  const doc = parseDocument(text, { prettyErrors: false });
  try {
    check(doc);
  } catch (e) {
    if (e instanceof Corrupt) throw corruptError(path, e.message);
    throw e;
  }
  return { path, exists, text, doc };
}

/** Reads a kubeconfig; a missing file reads as empty. */
export function readKubeconfig(path: string): KubeconfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return parseKubeconfig(path, "", false);
    if (code === "EISDIR") throw corruptError(path, "it is a directory");
    throw new DatumctlError(`cannot read ${path}: ${(e as Error).message}`, { code: "INVALID_INPUT" });
  }
  return parseKubeconfig(path, text);
}

const isEmpty = (n: unknown) => n === null || n === undefined || (isScalar(n) && (n.value === null || n.value === undefined));

function check(doc: Document.Parsed): void {
  if (doc.errors.length > 0) throw new Corrupt(firstLine(doc.errors[0]!.message));
  const root = doc.contents;
  if (isEmpty(root)) return;
  if (!isMap(root)) throw new Corrupt("the top level is not a mapping");
  for (const section of SECTIONS) {
    const list = root.get(section, true);
    if (isEmpty(list)) continue;
    if (!isSeq(list)) throw new Corrupt(`"${section}" is not a list`);
    for (const item of list.items) {
      if (!isMap(item)) throw new Corrupt(`an entry of "${section}" is not a mapping`);
      const name = item.get("name", true);
      if (name !== undefined && !isScalar(name)) throw new Corrupt(`an entry of "${section}" has a name that is not a string`);
      const body = item.get(ENTRY_KEY[section], true);
      if (!isEmpty(body) && !isMap(body)) throw new Corrupt(`"${section}" entry ${String(item.get("name"))} has a "${ENTRY_KEY[section]}" that is not a mapping`);
    }
  }
  const current = root.get("current-context", true);
  if (current !== undefined && !isScalar(current)) throw new Corrupt(`"current-context" is not a string`);
}

export function rootMap(doc: Document): YAMLMap | undefined {
  return isMap(doc.contents) ? doc.contents : undefined;
}

export function entryName(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const n = item.get("name");
  return n === null || n === undefined ? undefined : String(n);
}

/** Names defined in a section, in file order. */
export function entryNames(file: KubeconfigFile, section: Section): string[] {
  const list = rootMap(file.doc)?.get(section, true);
  return isSeq(list) ? list.items.map(entryName).filter((n): n is string => n !== undefined) : [];
}

/** The file's current-context, when it sets a non-empty one. */
export function currentContextOf(file: KubeconfigFile): string | undefined {
  const v = rootMap(file.doc)?.get("current-context");
  return v === null || v === undefined || v === "" ? undefined : String(v);
}
