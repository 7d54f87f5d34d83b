// ~/.datumctl/kubeconfig-entries.json: which kubeconfig entries `auth update-kubeconfig` wrote,
// for which session, so logout can offer to remove exactly those. A file of its own: the
// config file is shared with the Go datumctl, which rewrites it without fields it does not know.
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic";
import { withFileLock } from "./lock";

export type EntrySection = "clusters" | "users" | "contexts";

export interface WrittenEntry {
  /** Absolute path of the kubeconfig file that holds it. */
  file: string;
  section: EntrySection;
  name: string;
  session: string;
}

export const kubeconfigEntriesFile = (dir: string) => `${dir}/kubeconfig-entries.json`;

const SECTIONS: readonly string[] = ["clusters", "users", "contexts"];

function isEntry(v: unknown): v is WrittenEntry {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.file === "string" && typeof e.name === "string" && typeof e.session === "string" && SECTIONS.includes(String(e.section));
}

/** The recorded entries; an absent or unreadable record reads as none (logout then scans instead). */
export function readWrittenEntries(dir: string): WrittenEntry[] {
  try {
    const data = JSON.parse(readFileSync(kubeconfigEntriesFile(dir), "utf8")) as { entries?: unknown };
    return Array.isArray(data.entries) ? data.entries.filter(isEntry) : [];
  } catch {
    return [];
  }
}

const same = (a: WrittenEntry, b: WrittenEntry) => a.file === b.file && a.section === b.section && a.name === b.name;

/** Records entries as written (one owner per file, section and name), and forgets `dropped`. */
export async function recordWrittenEntries(dir: string, written: WrittenEntry[], dropped: WrittenEntry[] = []): Promise<void> {
  const file = kubeconfigEntriesFile(dir);
  await withFileLock(file, () => {
    const kept = readWrittenEntries(dir).filter((e) => !written.some((w) => same(w, e)) && !dropped.some((d) => same(d, e)));
    writeFileAtomic(file, JSON.stringify({ entries: [...kept, ...written] }, null, 2) + "\n");
  });
}
