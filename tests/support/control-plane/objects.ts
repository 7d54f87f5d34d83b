// Reading and writing objects through a plane's binding (visibility filter, API-shape
// conversion), and the admission pipeline every write goes through: status handling, system
// metadata, schema validation, generation, field ownership, dry run.
import { type Ctx, type FieldValidation, rfc3339, type Target } from "./context";
import { trackUpdate } from "./fields";
import { ApiError, type Cause, invalid } from "./status";
import { clone, deepEqual, type Obj } from "./types";
import { check } from "./validate";

export function load(ctx: Ctx, t: Target, name: string): Obj | undefined {
  const o = ctx.plane.store.get(t.type.storage, t.namespace ?? "", name);
  if (!o || (t.binding.visible && !t.binding.visible(o))) return undefined;
  return t.type.fromStorage ? t.type.fromStorage(o) : withTypeMeta(t, o);
}

export function listAll(ctx: Ctx, t: Target): Obj[] {
  return ctx.plane.store
    .list(t.type.storage, t.namespace)
    .filter((o) => !t.binding.visible || t.binding.visible(o))
    .map((o) => (t.type.fromStorage ? t.type.fromStorage(o) : withTypeMeta(t, o)));
}

function withTypeMeta(t: Target, o: Obj): Obj {
  const apiVersion = t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version;
  return { ...o, apiVersion, kind: t.type.kind };
}

export function save(ctx: Ctx, t: Target, o: Obj): Obj {
  const stored = ctx.plane.store.put(t.type.storage, t.type.toStorage ? t.type.toStorage(o) : o);
  return t.type.fromStorage ? t.type.fromStorage(stored) : stored;
}

export interface WriteOptions {
  manager: string;
  validation: FieldValidation;
  dryRun: boolean;
  /** Field ownership was already computed (server-side apply). */
  applied?: boolean;
}

/** Everything but metadata and status: what bumps metadata.generation. */
const specOf = (o: Obj, statusSub: boolean) => {
  const { metadata: _m, status, ...rest } = o;
  return statusSub ? rest : { ...rest, status };
};

const SYSTEM_META = ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"];
/** ObjectMeta's fields; anything else in metadata is dropped, as typed decoding drops it. */
const OBJECT_META = new Set([
  ...SYSTEM_META,
  "name",
  "generateName",
  "namespace",
  "resourceVersion",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

/** Typed ObjectMeta round trip: unknown keys go, empty maps and lists are omitted. */
function normalizeMeta(meta: Obj) {
  for (const k of Object.keys(meta)) {
    const v = meta[k];
    const empty =
      v === null || v === "" || (Array.isArray(v) && !v.length) || (typeof v === "object" && v !== null && !Array.isArray(v) && !Object.keys(v).length);
    if (!OBJECT_META.has(k) || (empty && k !== "managedFields")) delete meta[k];
  }
}

/**
 * Admit and persist a new state. `next` is the object as the request wants it; `live` the
 * current one (undefined on create). Returns what the client should see.
 */
export function write(ctx: Ctx, t: Target, live: Obj | undefined, requested: Obj, o: WriteOptions): Obj {
  const type = t.type;
  let next = clone(requested);
  if (t.subresource === "status") {
    next = { ...clone(live ?? {}), status: requested.status };
    if (requested.metadata?.managedFields !== undefined) next.metadata.managedFields = requested.metadata.managedFields;
  } else if (type.statusSubresource) {
    if (live?.status !== undefined) next.status = clone(live.status);
    else delete next.status;
  }
  next.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
  next.kind = type.kind;
  next.metadata = { ...next.metadata, name: requested.metadata?.name ?? live?.metadata.name };
  if (type.namespaced) next.metadata.namespace = t.namespace;
  else delete next.metadata.namespace;
  for (const k of SYSTEM_META) {
    if (live?.metadata[k] !== undefined) next.metadata[k] = live.metadata[k];
    else delete next.metadata[k];
  }
  delete next.metadata.resourceVersion;
  normalizeMeta(next.metadata);
  if (!live) t.binding.prepare?.(next);

  const checked = check(type.schema, next);
  if (checked.unknown.length) {
    if (o.validation === "Strict") {
      const list = checked.unknown.map((f) => `unknown field "${f}"`).join(", ");
      throw new ApiError(400, "BadRequest", `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`);
    }
    if (o.validation === "Warn") ctx.warnings.push(...checked.unknown.map((f) => `unknown field "${f}"`));
  }
  const causes = [...(live ? [] : nameCauses(next.metadata.name ?? "")), ...checked.causes, ...(t.binding.admit?.(next) ?? [])];
  if (causes.length) throw invalid(type, next.metadata.name ?? "", causes);

  const now = ctx.now();
  if (!live) {
    next.metadata.uid = crypto.randomUUID();
    next.metadata.creationTimestamp = rfc3339(now);
    next.metadata.generation = 1;
  } else if (!deepEqual(specOf(live, !!type.statusSubresource), specOf(next, !!type.statusSubresource))) {
    next.metadata.generation = (live.metadata.generation ?? 1) + 1;
  }
  if (!o.applied) {
    trackUpdate(live, next, {
      manager: o.manager,
      apiVersion: next.apiVersion,
      time: rfc3339(now),
      ...(t.subresource ? { subresource: t.subresource } : {}),
    });
  }
  if (live) {
    const { resourceVersion, ...liveMeta } = live.metadata;
    if (deepEqual({ ...live, metadata: stripTimes(liveMeta) }, { ...next, metadata: stripTimes(next.metadata) })) return live;
    if (o.dryRun) return { ...next, metadata: { ...next.metadata, resourceVersion } };
  } else if (o.dryRun) return next;
  // The last finalizer gone from an object being deleted: it goes away for real.
  if (live && next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
    ctx.plane.store.delete(type.storage, t.namespace ?? "", next.metadata.name);
    return next;
  }
  return save(ctx, t, next);
}

const SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

/** Custom resource names must be DNS subdomains (apimachinery's IsDNS1123Subdomain). */
function nameCauses(name: string): Cause[] {
  if (name.length <= 253 && new RegExp(`^${SUBDOMAIN}$`).test(name)) return [];
  const why =
    name.length > 253
      ? "must be no more than 253 characters"
      : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`;
  return [{ reason: "FieldValueInvalid", field: "metadata.name", message: `Invalid value: ${JSON.stringify(name)}: ${why}` }];
}

/** Metadata with managedFields times blanked, to spot no-op writes. */
function stripTimes(meta: Obj): Obj {
  if (!Array.isArray(meta.managedFields)) return meta;
  return { ...meta, managedFields: meta.managedFields.map((m: Obj) => ({ ...m, time: "" })) };
}
