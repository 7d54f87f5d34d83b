// Server-side apply: merge the applied configuration into the live object, own its fields as
// an "Apply" manager, drop fields this manager stopped applying, and report conflicts with
// other managers the way the apiserver does (409, reason Conflict, FieldManagerConflict causes).
import { dec, deleteAt, fieldPaths, findManager, getAt, overlaps, pathString, readManagers, sameAt, writeManagers } from "./fields";
import { ApiError, type Cause } from "./status";
import { clone, isMap, type Obj } from "./types";

export interface ApplyRequest {
  manager: string;
  force: boolean;
  apiVersion: string;
  time: string;
  subresource?: string;
}

interface Conflict {
  who: string; // printManager() form: "kubectl" or "x" using v1
  path: string;
}

function deepMerge(target: Obj, src: Obj) {
  for (const [k, v] of Object.entries(src)) {
    if (isMap(v) && isMap(target[k]) && Object.keys(v).length) deepMerge(target[k], v);
    else target[k] = clone(v);
  }
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes: Cause[] = conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${c.who}`, field: c.path }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${conflicts[0]!.who}: ${conflicts[0]!.path}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.who, [...(byManager.get(c.who) ?? []), c.path]);
    const lines = [...byManager].flatMap(([who, paths]) => [`conflicts with ${who}:`, ...paths.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}

/** The applied configuration minus what the field manager ignores (system metadata). */
function configOf(config: Obj): Obj {
  const c = clone(config);
  if (isMap(c.metadata)) {
    for (const k of ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"]) delete c.metadata[k];
    // ObjectMeta omits empty maps and lists, so applying `labels: {}` sets (and owns) nothing.
    for (const k of ["labels", "annotations", "finalizers", "ownerReferences"]) {
      const v = c.metadata[k];
      if (v !== undefined && (v === null || Object.keys(v).length === 0)) delete c.metadata[k];
    }
  }
  return c;
}

/**
 * Apply `config` onto `live` (undefined when creating). Returns the new object with
 * managedFields updated; throws a 409 on conflicts unless forced.
 */
export function apply(live: Obj | undefined, config: Obj, r: ApplyRequest): Obj {
  const cfg = configOf(config);
  const cfgSet = fieldPaths(cfg);
  const managers = readManagers(live);
  const me = findManager(managers, r.manager, "Apply", r.subresource);
  const conflicts: Conflict[] = [];
  for (const other of managers) {
    if (other === me) continue;
    for (const q of [...other.fields]) {
      for (const p of cfgSet) {
        if (!overlaps(p, q)) continue;
        const longer = dec(p).length >= dec(q).length ? p : q;
        if (live && sameAt(cfg, live, dec(longer))) continue;
        if (!conflicts.some((c) => c.path === pathString(p) && c.who.startsWith(`"${other.manager}"`))) {
          const who = other.operation === "Update" ? `"${other.manager}" using ${other.apiVersion}` : `"${other.manager}"`;
          conflicts.push({ who: other.subresource ? who.replace(/^("[^"]*")/, `$1 with subresource "${other.subresource}"`) : who, path: pathString(p) });
        }
        if (r.force) other.fields.delete(q);
      }
    }
  }
  if (conflicts.length && !r.force) throw conflictError(conflicts);

  const next: Obj = clone(live ?? {});
  if (me) {
    // Fields this manager applied before and no longer applies are removed, unless shared.
    for (const q of me.fields) {
      if (cfgSet.has(q)) continue;
      const shared = managers.some((m) => m !== me && [...m.fields].some((f) => overlaps(f, q)));
      if (!shared && !getAt(cfg, dec(q)).found) deleteAt(next, dec(q));
    }
  }
  deepMerge(next, cfg);
  const mine = me ?? { manager: r.manager, operation: "Apply" as const, apiVersion: r.apiVersion, time: r.time, fields: new Set<string>() };
  Object.assign(mine, { fields: cfgSet, time: r.time, apiVersion: r.apiVersion, ...(r.subresource ? { subresource: r.subresource } : {}) });
  if (!me) managers.push(mine);
  next.metadata ??= {};
  writeManagers(next, managers);
  return next;
}
