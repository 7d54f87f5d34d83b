// create (POST), update (PUT), patch (merge, JSON, apply) and delete, with the apiserver's
// preconditions and errors: AlreadyExists, resourceVersion Conflict, name/namespace mismatches.
import { apply } from "./apply-config";
import { bodyObject, type Ctx, fieldManager, fieldValidation, isDryRun, param, rfc3339, type Target } from "./context";
import { json } from "./http";
import { load, write } from "./objects";
import { jsonPatch, mergePatch } from "./patch";
import { renderObject } from "./render";
import { alreadyExists, ApiError, badRequest, conflict, invalid, notFound } from "./status";
import type { Obj } from "./types";

function options(ctx: Ctx) {
  return { manager: fieldManager(ctx), validation: fieldValidation(ctx), dryRun: isDryRun(ctx) };
}

function checkIdentity(ctx: Ctx, t: Target, o: Obj) {
  const apiVersion = t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version;
  if ((o.apiVersion && o.apiVersion !== apiVersion) || (o.kind && o.kind !== t.type.kind)) {
    throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  o.metadata ??= {};
  const ns = o.metadata.namespace;
  if (t.type.namespaced && ns && ns !== t.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (t.name && o.metadata.name && o.metadata.name !== t.name) {
    throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${t.name})`);
  }
  void ctx;
}

const suffix = () => Array.from({ length: 5 }, () => "bcdfghjklmnpqrstvwxz2456789"[Math.floor(Math.random() * 27)]).join("");

export function createObject(ctx: Ctx, t: Target): Response {
  const o = bodyObject(ctx, t.type);
  checkIdentity(ctx, t, o);
  if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${suffix()}`;
  if (!o.metadata.name) {
    throw invalid(t.type, "", [{ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
  }
  const target = { ...t, name: o.metadata.name };
  if (load(ctx, target, o.metadata.name) || ctx.plane.store.get(t.type.storage, t.namespace ?? "", o.metadata.name)) {
    throw alreadyExists(t.type, o.metadata.name);
  }
  return renderObject(ctx, target, write(ctx, target, undefined, o, options(ctx)), 201);
}

export function updateObject(ctx: Ctx, t: Target): Response {
  const o = bodyObject(ctx, t.type);
  checkIdentity(ctx, t, o);
  const live = load(ctx, t, t.name!);
  if (!live) throw notFound(t.type, t.name!);
  const rv = o.metadata.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) throw conflict(t.type, t.name!);
  return renderObject(ctx, t, write(ctx, t, live, o, options(ctx)));
}

const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml", "application/apply-patch+cbor"];

export function patchObject(ctx: Ctx, t: Target): Response {
  const ct = (ctx.req.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (!PATCH_TYPES.includes(ct) || ct.endsWith("+cbor")) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.slice(0, 3).join(", ")}`,
    );
  }
  if (ct === "application/apply-patch+yaml") return applyPatch(ctx, t);
  const live = load(ctx, t, t.name!);
  if (!live) throw notFound(t.type, t.name!);
  let patched: Obj;
  if (ct === "application/merge-patch+json") {
    let patch: unknown;
    try {
      patch = JSON.parse(new TextDecoder().decode(ctx.body));
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    patched = mergePatch(live, patch) as Obj;
    const rv = (patch as Obj)?.metadata?.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) throw conflict(t.type, t.name!);
  } else {
    let ops: unknown;
    try {
      ops = JSON.parse(new TextDecoder().decode(ctx.body));
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    patched = jsonPatch(live, ops);
    const rv = patched.metadata?.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) throw conflict(t.type, t.name!);
  }
  checkIdentity(ctx, t, patched);
  return renderObject(ctx, t, write(ctx, t, live, patched, options(ctx)));
}

function applyPatch(ctx: Ctx, t: Target): Response {
  const manager = param(ctx, "fieldManager");
  if (!manager) {
    throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
      { reason: "FieldValueRequired", field: "fieldManager", message: "Required value: is required for apply patch" },
    ]);
  }
  const config = bodyObject(ctx, t.type, true);
  checkIdentity(ctx, t, config);
  if (!config.apiVersion || !config.kind) throw badRequest("apiVersion and kind must be set for apply");
  const live = load(ctx, t, t.name!);
  const result = apply(ctx, t, live, config, {
    manager,
    force: param(ctx, "force") === "true",
    validation: fieldValidation(ctx),
  });
  return renderObject(ctx, t, write(ctx, t, live, result, { manager, validation: "Ignore", dryRun: isDryRun(ctx), applied: true }), live ? 200 : 201);
}

export function deleteObject(ctx: Ctx, t: Target): Response {
  const opts = deleteOptions(ctx);
  const live = load(ctx, t, t.name!);
  if (!live) throw notFound(t.type, t.name!);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== live.metadata.uid) {
    throw new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${t.type.group ? `${t.type.plural}.${t.type.group}` : t.type.plural} "${t.name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}`,
      { name: t.name, group: t.type.group || undefined, kind: t.type.plural },
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) throw conflict(t.type, t.name!);
  return json(remove(ctx, t, live, isDryRun(ctx, opts)));
}

/** Delete one object (or mark it, when finalizers hold it); returns what the client sees. */
function remove(ctx: Ctx, t: Target, live: Obj, dryRun: boolean): Obj {
  if (dryRun) return live;
  if (live.metadata.finalizers?.length) {
    if (live.metadata.deletionTimestamp) return live;
    const marked = { ...live, metadata: { ...live.metadata, deletionTimestamp: rfc3339(ctx.now()), deletionGracePeriodSeconds: 0 } };
    return ctx.plane.store.put(t.type.storage, t.type.toStorage ? t.type.toStorage(marked) : marked);
  }
  const gone = ctx.plane.store.delete(t.type.storage, t.namespace ?? "", t.name ?? live.metadata.name)!;
  return t.type.fromStorage ? t.type.fromStorage(gone) : { ...live, metadata: gone.metadata };
}

function deleteOptions(ctx: Ctx): Obj {
  const raw = new TextDecoder().decode(ctx.body).trim();
  let opts: Obj = {};
  if (raw) {
    try {
      opts = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding DeleteOptions: ${(e as Error).message}`);
    }
  }
  const policy = opts.propagationPolicy ?? param(ctx, "propagationPolicy");
  if (policy && !["Background", "Foreground", "Orphan"].includes(policy)) {
    throw invalid({ group: "meta.k8s.io", kind: "DeleteOptions" }, "", [
      {
        reason: "FieldValueNotSupported",
        field: "propagationPolicy",
        message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      },
    ]);
  }
  return opts;
}

/** DELETE on a collection: every selected object goes; the reply lists them. */
export function deleteCollection(ctx: Ctx, t: Target, selected: Obj[]): Response {
  const opts = deleteOptions(ctx);
  const dryRun = isDryRun(ctx, opts);
  const items = selected.map((o) => remove(ctx, { ...t, namespace: o.metadata.namespace, name: o.metadata.name }, o, dryRun));
  const apiVersion = t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version;
  return json({ apiVersion, kind: `${t.type.kind}List`, metadata: { resourceVersion: ctx.plane.store.resourceVersion }, items });
}
