// get and list: selectors, limit/continue pagination with opaque tokens and remainingItemCount.
import { type Ctx, param, type Target } from "./context";
import { listAll, load } from "./objects";
import { renderList, renderObject } from "./render";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors";
import { ApiError, badRequest, notFound } from "./status";
import type { Obj } from "./types";

export function getObject(ctx: Ctx, t: Target): Response {
  const o = load(ctx, t, t.name!);
  if (!o) throw notFound(t.type, t.name!);
  return renderObject(ctx, t, o);
}

/** A predicate from labelSelector and fieldSelector. */
export function selector(ctx: Ctx, t: Target): (o: Obj) => boolean {
  const labels = parseLabelSelector(param(ctx, "labelSelector"));
  const allowed = ["metadata.name", ...(t.type.namespaced ? ["metadata.namespace"] : []), ...(t.type.fieldSelectors ?? [])];
  const fields = parseFieldSelector(param(ctx, "fieldSelector"), allowed);
  return (o) => matchesLabels(labels, o.metadata?.labels) && matchesFields(fields, o);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** The store's order: namespace, then name. */
const sortKey = (o: Obj) => `${o.metadata.namespace ?? ""}\u0000${o.metadata.name}`;

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString()) as ContinueToken;
    if (t.v !== "meta.k8s.io/v1" || typeof t.start !== "string") throw new Error();
    return t;
  } catch {
    throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

/** Matching objects and the list metadata (one page when `limit` is set). */
export function page(ctx: Ctx, t: Target): { items: Obj[]; meta: Obj } {
  const match = selector(ctx, t);
  let items = listAll(ctx, t).filter(match);
  const rv = ctx.plane.store.resourceVersion;
  const cont = param(ctx, "continue");
  if (cont) {
    const start = decodeContinue(cont).start;
    items = items.filter((o) => sortKey(o) > start);
  }
  const limit = Number(param(ctx, "limit") ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${param(ctx, "limit")}`);
  const meta: Obj = { resourceVersion: rv };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    meta.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: Number(rv), start: sortKey(last) })).toString("base64url");
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return { items, meta };
}

export function listObjects(ctx: Ctx, t: Target): Response {
  if (param(ctx, "resourceVersionMatch") && !param(ctx, "resourceVersion")) {
    throw new ApiError(422, "Invalid", "resourceVersionMatch is forbidden unless resourceVersion is provided");
  }
  const { items, meta } = page(ctx, t);
  return renderList(ctx, t, items, meta);
}
