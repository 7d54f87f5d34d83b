// Field paths and metadata.managedFields (FieldsV1). Lists are atomic here: a list is one leaf,
// which is what CRDs without list-type markers get from the real structured-merge-diff.
import { deepEqual, isMap, type Obj } from "./types";

export type Path = string[];
const enc = (p: Path) => JSON.stringify(p);
export const dec = (k: string): Path => JSON.parse(k);

/** metadata fields the field manager never tracks (apiserver "stripped" fields). */
const UNTRACKED_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
]);

/** Leaf paths of an object as encoded strings (apiVersion, kind and system metadata excluded). */
export function fieldPaths(o: Obj): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, p: Path) => {
    if (isMap(v) && Object.keys(v).length) for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
    else out.add(enc(p));
  };
  for (const [k, v] of Object.entries(o)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "metadata" && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!UNTRACKED_META.has(mk)) walk(mv, ["metadata", mk]);
    } else walk(v, [k]);
  }
  return out;
}

export function getAt(o: unknown, p: Path): { found: boolean; value?: unknown } {
  let cur = o;
  for (const k of p) {
    if (!isMap(cur) || !(k in cur)) return { found: false };
    cur = cur[k];
  }
  return { found: true, value: cur };
}

export function deleteAt(o: Obj, p: Path) {
  let cur: unknown = o;
  for (const k of p.slice(0, -1)) {
    if (!isMap(cur)) return;
    cur = cur[k];
  }
  if (isMap(cur)) delete cur[p[p.length - 1]!];
}

/** Same value at a path in both objects (both absent counts as the same). */
export const sameAt = (a: unknown, b: unknown, p: Path) => {
  const x = getAt(a, p);
  const y = getAt(b, p);
  return x.found === y.found && deepEqual(x.value, y.value);
};

/** One path is a prefix of the other (or equal). */
export function overlaps(a: string, b: string): boolean {
  const x = dec(a);
  const y = dec(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** `.spec.domainName`, structured-merge-diff's path string. */
export const pathString = (k: string) =>
  dec(k)
    .map((s) => `.${s}`)
    .join("");

export function toFieldsV1(paths: Set<string>): Obj {
  const root: Obj = {};
  for (const k of paths) {
    let cur = root;
    for (const seg of dec(k)) cur = cur[`f:${seg}`] ??= {};
  }
  return root;
}

export function fromFieldsV1(f: Obj): Set<string> {
  const out = new Set<string>();
  const walk = (node: Obj, p: Path) => {
    const keys = Object.keys(node);
    if (!keys.length || keys.some((k) => k === "." || /^[kvi]:/.test(k))) out.add(enc(p));
    for (const k of keys) if (k.startsWith("f:") && isMap(node[k])) walk(node[k], [...p, k.slice(2)]);
  };
  for (const [k, v] of Object.entries(f)) if (k.startsWith("f:") && isMap(v)) walk(v, [k.slice(2)]);
  // a parent marked "." next to owned children: keep only the children, like a map entry
  for (const k of [...out]) if ([...out].some((o) => o !== k && overlaps(o, k) && dec(o).length > dec(k).length)) out.delete(k);
  return out;
}

export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
}

export function readManagers(o: Obj | undefined): Manager[] {
  const list = o?.metadata?.managedFields;
  if (!Array.isArray(list)) return [];
  return list.map((e: Obj) => ({
    manager: e.manager ?? "",
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: e.apiVersion ?? "",
    time: e.time ?? "",
    ...(e.subresource ? { subresource: e.subresource } : {}),
    fields: isMap(e.fieldsV1) ? fromFieldsV1(e.fieldsV1) : new Set<string>(),
  }));
}

export function writeManagers(o: Obj, managers: Manager[]) {
  const entries = managers
    .filter((m) => m.fields.size)
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: "FieldsV1",
      fieldsV1: toFieldsV1(m.fields),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
  if (entries.length) o.metadata.managedFields = entries;
  else delete o.metadata.managedFields;
}

export const findManager = (ms: Manager[], manager: string, operation: Manager["operation"], subresource?: string) =>
  ms.find((m) => m.manager === manager && m.operation === operation && (m.subresource ?? "") === (subresource ?? ""));

/**
 * Ownership after a non-apply write (create, update, merge/JSON patch): the writer takes every
 * field it changed, and other managers lose those fields. A request that rewrites
 * metadata.managedFields itself (kubectl's client-side to server-side apply migration) wins.
 */
export function trackUpdate(old: Obj | undefined, next: Obj, w: { manager: string; apiVersion: string; time: string; subresource?: string }) {
  const requested = next.metadata.managedFields;
  const before = old?.metadata?.managedFields;
  if (requested !== undefined && !deepEqual(requested, before)) {
    if (!Array.isArray(requested) || requested.length === 0) delete next.metadata.managedFields;
    return;
  }
  const prev = old ? fieldPaths(old) : new Set<string>();
  const now = fieldPaths(next);
  const touched = [...now].filter((k) => !old || !sameAt(old, next, dec(k)));
  touched.push(...[...prev].filter((k) => !now.has(k) && !getAt(next, dec(k)).found));
  const managers = readManagers(old);
  for (const m of managers) for (const q of [...m.fields]) if (touched.some((t) => overlaps(t, q))) m.fields.delete(q);
  let me = findManager(managers, w.manager, "Update", w.subresource);
  if (!me) {
    me = {
      manager: w.manager,
      operation: "Update",
      apiVersion: w.apiVersion,
      time: w.time,
      fields: new Set(),
      ...(w.subresource ? { subresource: w.subresource } : {}),
    };
    managers.push(me);
  }
  for (const k of touched) if (now.has(k)) me.fields.add(k);
  if (touched.length) Object.assign(me, { time: w.time, apiVersion: w.apiVersion });
  writeManagers(
    next,
    managers.map((m) => ({ ...m, fields: new Set(m.fields) })),
  );
}
