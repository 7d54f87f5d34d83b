// RFC 7386 JSON merge patches as kubectl computes them for custom resources (all of Datum's
// kinds): the two-way patch `edit` sends, and the three-way patch client-side `apply` sends
// (and `diff` dry-runs), built from the last-applied configuration, the manifest and the live
// object. Written from the documented behaviour of evanphx/json-patch's CreateMergePatch and
// apimachinery's CreateThreeWayJSONMergePatch. Used by apply, diff and edit.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);

/** Kind of a JSON value as Go's reflect.TypeOf would tell them apart. */
function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The merge patch that turns `from` into `to`: changed and added keys with their new values,
 * removed keys as null, maps compared key by key, arrays replaced whole when they differ.
 */
export function createMergePatch(from: JsonMap, to: JsonMap): JsonMap {
  const patch: JsonMap = {};
  for (const [key, next] of Object.entries(to)) {
    if (!Object.hasOwn(from, key)) {
      patch[key] = next;
      continue;
    }
    const prev = from[key];
    if (typeOf(prev) !== typeOf(next)) {
      patch[key] = next;
    } else if (isMap(prev) && isMap(next)) {
      const sub = createMergePatch(prev, next);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!jsonEqual(prev, next)) {
      patch[key] = next;
    }
  }
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) patch[key] = null;
  return patch;
}

/**
 * Keeps only the deletions (keepNull) or only the additions and changes (!keepNull) of a
 * patch. An explicitly empty map counts as a value, so it survives as a change.
 */
function keepOrDropNulls(patch: JsonMap, keepNull: boolean): JsonMap {
  const out: JsonMap = {};
  for (const [key, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNull) out[key] = null;
    } else if (isMap(v)) {
      if (Object.keys(v).length === 0) {
        if (!keepNull) out[key] = v;
        continue;
      }
      const sub = keepOrDropNulls(v, keepNull);
      if (Object.keys(sub).length > 0) out[key] = sub;
    } else if (!keepNull) {
      out[key] = v;
    }
  }
  return out;
}

/** Applies merge patch `patch` to `doc` (RFC 7386), returning a new document. */
export function applyMergePatch(doc: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JsonMap = isMap(doc) ? { ...doc } : {};
  for (const [key, v] of Object.entries(patch)) {
    if (v === null) delete out[key];
    else out[key] = applyMergePatch(out[key] ?? null, v);
  }
  return out;
}

export class PatchPreconditionError extends Error {}

/** kubectl refuses a patch that would rename, re-kind or re-version the object. */
export function checkIdentityUnchanged(patch: JsonMap, extra: string[] = []): void {
  const meta = isMap(patch.metadata) ? patch.metadata : {};
  if (["apiVersion", "kind", ...extra].some((k) => Object.hasOwn(patch, k)) || Object.hasOwn(meta, "name")) {
    throw new PatchPreconditionError("At least one of apiVersion, kind and name was changed");
  }
}

/**
 * kubectl's three-way JSON merge patch: deletions are what the user removed since the last
 * apply (original → modified); additions and changes are what differs from the live object
 * (current → modified). Fields others set on the live object and the user never managed stay.
 */
export function threeWayMergePatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap): JsonMap {
  const additions = keepOrDropNulls(createMergePatch(current, modified), false);
  const deletions = keepOrDropNulls(createMergePatch(original ?? {}, modified), true);
  const patch = applyMergePatch(deletions, additions) as JsonMap;
  checkIdentityUnchanged(patch);
  return patch;
}
