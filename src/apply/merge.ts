// RFC 7386 JSON merge patches, and the three-way patch client-side apply sends for custom
// types: deletions come from (last applied → manifest), additions and changes from
// (live → manifest), so fields the server or others added survive and fields dropped from
// the manifest are removed.

export type JsonMap = { [key: string]: unknown };

export const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The merge patch that turns `from` into `to`: changed and added values, null for removed keys. */
export function createMergePatch(from: JsonMap, to: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(to)) {
    if (!Object.hasOwn(from, k)) {
      out[k] = v;
      continue;
    }
    const was = from[k];
    if (isMap(was) && isMap(v)) {
      const sub = createMergePatch(was, v);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (!deepEqual(was, v)) {
      out[k] = v;
    }
  }
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) out[k] = null;
  return out;
}

/** Only the deletions (nulls) of a patch, or only everything else; empty sub-patches vanish. */
function filterNulls(patch: JsonMap, keepNulls: boolean): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNulls) out[k] = null;
    } else if (isMap(v)) {
      // An explicitly empty map is a value, not an empty patch.
      if (Object.keys(v).length === 0) {
        if (!keepNulls) out[k] = v;
        continue;
      }
      const sub = filterNulls(v, keepNulls);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (!keepNulls) {
      out[k] = v;
    }
  }
  return out;
}

/** Applies a merge patch without nulls onto a document, in place. */
function mergeInto(doc: JsonMap, patch: JsonMap): JsonMap {
  for (const [k, v] of Object.entries(patch)) {
    const cur = doc[k];
    if (isMap(cur) && isMap(v)) mergeInto(cur, v);
    else doc[k] = v;
  }
  return doc;
}

export class PreconditionFailed extends Error {}

/**
 * The three-way JSON merge patch: `original` is the last-applied configuration, `modified` the
 * manifest (with its new last-applied annotation), `current` the live object.
 */
export function threeWayMergePatch(original: JsonMap, modified: JsonMap, current: JsonMap): JsonMap {
  const addAndChange = filterNulls(createMergePatch(current, modified), false);
  const deletions = filterNulls(createMergePatch(original, modified), true);
  const patch = mergeInto(deletions, addAndChange);
  const meta = patch.metadata;
  if ("apiVersion" in patch || "kind" in patch || (isMap(meta) && "name" in meta)) {
    throw new PreconditionFailed("At least one of apiVersion, kind and name was changed");
  }
  return patch;
}
