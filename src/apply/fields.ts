// metadata.managedFields for the move from client-side to server-side apply, as kubectl makes
// it: the client-side managers that own the last-applied annotation hand their fields to the
// server-side manager, so a later server-side apply can remove what the manifest dropped.
import { isMap, jsonEqual, type JsonMap } from "../manifests/merge-patch";

/** A FieldsV1 trie as a set: `member` when the path itself is in the set. */
interface Node {
  member: boolean;
  children: Map<string, Node>;
}

const node = (): Node => ({ member: false, children: new Map() });

function parse(f: unknown): Node {
  const n = node();
  if (!isMap(f)) return n;
  for (const [k, v] of Object.entries(f)) {
    if (k === ".") {
      n.member = true;
      continue;
    }
    const child = parse(v);
    if (!isMap(v) || Object.keys(v).length === 0) child.member = true;
    n.children.set(k, child);
  }
  return n;
}

function union(a: Node, b: Node): Node {
  const out: Node = { member: a.member || b.member, children: new Map(a.children) };
  for (const [k, child] of b.children) {
    const mine = out.children.get(k);
    out.children.set(k, mine ? union(mine, child) : child);
  }
  return out;
}

// structured-merge-diff writes field names first, then keys, values and indexes.
const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
const order = (a: string, b: string) => (RANK[a[0]!] ?? 9) - (RANK[b[0]!] ?? 9) || (a < b ? -1 : a > b ? 1 : 0);

function serialize(n: Node): JsonMap {
  const out: JsonMap = {};
  if (n.member && n.children.size) out["."] = {};
  for (const k of [...n.children.keys()].sort(order)) out[k] = serialize(n.children.get(k)!);
  return out;
}

function has(f: unknown, path: string[]): boolean {
  let n = parse(f);
  for (const k of path) {
    const next = n.children.get(k);
    if (!next) return false;
    n = next;
  }
  return n.member;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** metadata.annotations[kubectl.kubernetes.io/last-applied-configuration] as a FieldsV1 path. */
export const LAST_APPLIED_PATH = ["f:metadata", "f:annotations", "f:kubectl.kubernetes.io/last-applied-configuration"];

/** Managers with this operation that own the path. */
export function ownersOf(entries: ManagedFieldsEntry[], operation: "Apply" | "Update", path: string[]): ManagedFieldsEntry[] {
  return entries.filter((e) => e.operation === operation && has(e.fieldsV1, path));
}

/** An entry with its keys in ManagedFieldsEntry's field order, as Go marshals it. */
function ordered(e: ManagedFieldsEntry): ManagedFieldsEntry {
  const out: ManagedFieldsEntry = {};
  for (const k of ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"] as const) {
    if (e[k] !== undefined && e[k] !== "") (out as Record<string, unknown>)[k] = e[k];
  }
  return out;
}

function upgradeOne(entries: ManagedFieldsEntry[], csa: string, ssa: string): ManagedFieldsEntry[] {
  const list = entries.map((e) => ({ ...e }));
  const isCsa = (e: ManagedFieldsEntry) => e.manager === csa && e.operation === "Update" && !e.subresource;
  let target = list.findIndex((e) => e.manager === ssa && e.operation === "Apply" && !e.subresource);
  if (target === -1) {
    // No server-side entry yet: the most recent client-side one becomes it.
    target = list.findIndex(isCsa);
    if (target === -1) return list;
    list[target] = { ...list[target]!, operation: "Apply", manager: ssa };
  }
  const into = list[target]!;
  const from = list.find((e) => isCsa(e) && e.apiVersion === into.apiVersion);
  const fields = from ? union(parse(into.fieldsV1), parse(from.fieldsV1)) : parse(into.fieldsV1);
  list[target] = { ...into, fieldsV1: serialize(fields) };
  return list.filter((e) => !isCsa(e));
}

/**
 * The JSON patch that moves the client-side managers' fields to `ssaManager`, or undefined when
 * there is nothing to move. The resourceVersion rides along so a concurrent change conflicts.
 */
export function upgradePatch(entries: ManagedFieldsEntry[], resourceVersion: string, ssaManager: string): unknown[] | undefined {
  const csaManagers = [...new Set(ownersOf(entries, "Update", LAST_APPLIED_PATH).map((e) => e.manager ?? ""))];
  let next = entries;
  for (const csa of csaManagers) next = upgradeOne(next, csa, ssaManager);
  if (jsonEqual(next, entries)) return undefined;
  return [
    { op: "replace", path: "/metadata/managedFields", value: next.map(ordered) },
    { op: "replace", path: "/metadata/resourceVersion", value: resourceVersion },
  ];
}
