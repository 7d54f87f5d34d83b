// One kubeconfig file, read with the yaml Document API: its entries, its current context, and
// whether it is a kubeconfig at all. ./edit.ts changes it in place. What it means is read as
// kubectl reads it: anchors, aliases and `<<` merge keys resolved (Go's YAML does all three).
import { readFileSync, type Stats, statSync } from "node:fs";
import { Document, isMap, parseDocument, YAMLMap } from "yaml";
import { DatumctlError } from "../errors";

export const SECTIONS = ["clusters", "users", "contexts"] as const;
export type Section = (typeof SECTIONS)[number];
/** The key holding an entry's body: `- name: x\n  cluster: {…}`. */
export const ENTRY_KEY = { clusters: "cluster", users: "user", contexts: "context" } as const;

/** How every kubeconfig text is parsed, here and when an edit is checked. */
export const PARSE_OPTIONS = { prettyErrors: false, merge: true } as const;

export interface KubeconfigFile {
  path: string;
  exists: boolean;
  /** The file as read; "" when it does not exist. */
  text: string;
  doc: Document.Parsed;
  /** What kubectl reads from it: plain values, aliases and merge keys resolved; {} when empty. */
  data: Record<string, unknown>;
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
  const doc = parseDocument(text, PARSE_OPTIONS);
  let data: Record<string, unknown>;
  try {
    data = check(doc);
  } catch (e) {
    if (e instanceof Corrupt) throw corruptError(path, e.message);
    throw e;
  }
  return { path, exists, text, doc, data };
}

/** What a path that is not a regular file is, for the error; undefined for a file or a character device. */
export function unwritableKind(st: Stats): string | undefined {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isBlockDevice()) return "a block device";
  return undefined;
}

export function notAFileError(path: string, kind: string): DatumctlError {
  return new DatumctlError(`${path} is ${kind}, not a kubeconfig file`, {
    code: "INVALID_INPUT",
    hint: `Point KUBECONFIG or --kubeconfig at a regular file; datumctl neither reads nor replaces ${kind}.`,
  });
}

/**
 * Reads a kubeconfig; a missing file (or a symlink to one) reads as empty. A character device
 * reads as what it gives (/dev/null: empty) and is later written through, as kubectl does; a
 * directory, FIFO, socket or block device is refused before anything opens it (reading a FIFO
 * would wait for a writer forever).
 */
export function readKubeconfig(path: string): KubeconfigFile {
  let text: string;
  try {
    const kind = unwritableKind(statSync(path));
    if (kind) throw notAFileError(path, kind);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof DatumctlError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return parseKubeconfig(path, "", false);
    throw new DatumctlError(`cannot read ${path}: ${(e as Error).message}`, { code: code === "EACCES" || code === "EPERM" ? "STORAGE" : "INVALID_INPUT" });
  }
  return parseKubeconfig(path, text);
}

const isEmpty = (v: unknown) => v === null || v === undefined;
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The file's meaning, when kubectl could read it. */
function check(doc: Document.Parsed): Record<string, unknown> {
  if (doc.errors.length > 0) throw new Corrupt(firstLine(doc.errors[0]!.message));
  let root: unknown;
  try {
    // Aliases are expanded here; the yaml library caps their count (a "billion laughs" file fails).
    root = doc.toJS();
  } catch (e) {
    throw new Corrupt(firstLine((e as Error).message));
  }
  if (isEmpty(root)) return {};
  if (!isObject(root)) throw new Corrupt("the top level is not a mapping");
  for (const section of SECTIONS) {
    const list = root[section];
    if (isEmpty(list)) continue;
    if (!Array.isArray(list)) throw new Corrupt(`"${section}" is not a list`);
    for (const item of list) {
      if (!isObject(item)) throw new Corrupt(`an entry of "${section}" is not a mapping`);
      if (typeof item.name === "object" && item.name !== null) throw new Corrupt(`an entry of "${section}" has a name that is not a string`);
      const body = item[ENTRY_KEY[section]];
      if (!isEmpty(body) && !isObject(body)) throw new Corrupt(`"${section}" entry ${String(item.name)} has a "${ENTRY_KEY[section]}" that is not a mapping`);
    }
  }
  const current = root["current-context"];
  if (typeof current === "object" && current !== null) throw new Corrupt(`"current-context" is not a string`);
  return root;
}

export function rootMap(doc: Document): YAMLMap | undefined {
  return isMap(doc.contents) ? doc.contents : undefined;
}

/** An entry's name, from its plain value. */
export function entryName(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  const n = item.name;
  return n === null || n === undefined ? undefined : String(n);
}

/** The entries of a section, as plain values. */
export function entriesOf(file: KubeconfigFile, section: Section): Record<string, unknown>[] {
  const list = file.data[section];
  return Array.isArray(list) ? list : [];
}

/** Names defined in a section, in file order. */
export function entryNames(file: KubeconfigFile, section: Section): string[] {
  return entriesOf(file, section)
    .map(entryName)
    .filter((n): n is string => n !== undefined);
}

/** The file's current-context, when it sets a non-empty one. */
export function currentContextOf(file: KubeconfigFile): string | undefined {
  const v = file.data["current-context"];
  return v === null || v === undefined || v === "" ? undefined : String(v);
}
