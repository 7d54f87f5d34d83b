// Rendering objects and lists for the Accept header: plain JSON, Table, or partial metadata.
import type { Ctx, Target } from "./context";
import { json } from "./http";
import { objectRendering, type Rendering } from "./negotiate";
import { ApiError } from "./status";
import { buildTable, type IncludeObject } from "./table";
import type { Obj } from "./types";

export const TABLE_TYPE = (v: string) => `application/json;as=Table;v=${v};g=meta.k8s.io`;

export function rendering(ctx: Ctx): Rendering {
  const r = objectRendering(ctx.req.headers.get("accept"));
  if (!r) {
    throw new ApiError(
      406,
      "NotAcceptable",
      "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
  }
  return r;
}

export function includeObject(ctx: Ctx): IncludeObject {
  const v = ctx.url.searchParams.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

const partial = (version: string, o: Obj) => ({ kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata });

/** One object as the client asked for it. */
export function renderObject(ctx: Ctx, t: Target, o: Obj, status = 200): Response {
  const r = rendering(ctx);
  if (r.as === "Table") {
    const table = buildTable(t.type, [o], {
      now: ctx.now(),
      include: includeObject(ctx),
      apiVersion: `meta.k8s.io/${r.version}`,
      listMeta: { resourceVersion: o.metadata?.resourceVersion },
    });
    return json(table, status, TABLE_TYPE(r.version));
  }
  if (r.as === "PartialObjectMetadata" || r.as === "PartialObjectMetadataList") {
    return json(partial(r.version, o), status, `application/json;as=PartialObjectMetadata;v=${r.version};g=meta.k8s.io`);
  }
  return json(o, status);
}

export function renderList(ctx: Ctx, t: Target, items: Obj[], listMeta: Obj): Response {
  const r = rendering(ctx);
  if (r.as === "Table") {
    const table = buildTable(t.type, items, { now: ctx.now(), include: includeObject(ctx), apiVersion: `meta.k8s.io/${r.version}`, listMeta });
    return json(table, 200, TABLE_TYPE(r.version));
  }
  if (r.as === "PartialObjectMetadata" || r.as === "PartialObjectMetadataList") {
    const body = {
      kind: "PartialObjectMetadataList",
      apiVersion: `meta.k8s.io/${r.version}`,
      metadata: listMeta,
      items: items.map((o) => partial(r.version, o)),
    };
    return json(body, 200, `application/json;as=PartialObjectMetadataList;v=${r.version};g=meta.k8s.io`);
  }
  const apiVersion = t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version;
  return json({ apiVersion, kind: `${t.type.kind}List`, metadata: listMeta, items });
}
