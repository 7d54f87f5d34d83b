// REST routing for resources: parse /api/v1/... and /apis/<g>/<v>/..., find the binding,
// authorize the verb, and hand over to read/write/watch.
import { allows } from "./authz";
import { type Ctx, param, type Target } from "./context";
import { page } from "./read";
import { getObject, listObjects } from "./read";
import { ApiError, forbidden, pathNotFound } from "./status";
import { watchObjects } from "./watch";
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from "./write";

interface Parsed {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export function parseResourcePath(path: string): Parsed | undefined {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  let group = "";
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === "api") [version, ...rest] = parts.slice(1);
  else if (parts[0] === "apis") [group = "", version, ...rest] = parts.slice(1);
  else return undefined;
  if (!version || !rest.length) return undefined;
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length) return undefined;
  return { group, version, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}

const methodNotAllowed = () => new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});

function verbOf(method: string, t: Parsed, watch: boolean): string {
  switch (method) {
    case "GET":
      return t.name ? "get" : watch ? "watch" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return t.name ? "delete" : "deletecollection";
    default:
      throw methodNotAllowed();
  }
}

export function handleResource(ctx: Ctx, path: string): Response | undefined {
  const p = parseResourcePath(path);
  if (!p) return undefined;
  const binding = ctx.plane.bindings.find((b) => b.type.group === p.group && b.type.version === p.version && b.type.plural === p.resource);
  if (!binding) throw pathNotFound();
  const type = binding.type;
  if (p.namespace && !type.namespaced) throw pathNotFound();
  if (p.subresource && !(p.subresource === "status" && type.statusSubresource)) throw pathNotFound();
  const watchParam = param(ctx, "watch");
  const watch = watchParam === "true" || watchParam === "1";
  const verb = verbOf(ctx.req.method, p, watch);
  if (!allows(ctx.grant, verb)) {
    throw forbidden({
      username: ctx.subject.username,
      verb,
      group: p.group,
      resource: p.resource,
      ...(p.subresource ? { subresource: p.subresource } : {}),
      ...(p.name ? { name: p.name } : {}),
      ...(p.namespace ? { namespace: p.namespace } : {}),
    });
  }
  const writes = !["get", "list", "watch"].includes(verb);
  if (writes && binding.readOnly) throw methodNotAllowed();
  // Namespaced types need a namespace for everything but reading across namespaces.
  if (type.namespaced && !p.namespace && (p.name || !["list", "watch"].includes(verb))) throw pathNotFound();
  if (p.name && verb === "create") throw methodNotAllowed();
  if (p.subresource && !["get", "update", "patch"].includes(verb)) throw methodNotAllowed();

  const t: Target = {
    binding,
    type,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    ...(p.name ? { name: p.name } : {}),
    ...(p.subresource ? { subresource: p.subresource } : {}),
  };
  switch (verb) {
    case "get":
      return getObject(ctx, t);
    case "list":
      return listObjects(ctx, t);
    case "watch":
      return watchObjects(ctx, t);
    case "create":
      return createObject(ctx, t);
    case "update":
      return updateObject(ctx, t);
    case "patch":
      return patchObject(ctx, t);
    case "delete":
      return deleteObject(ctx, t);
    default:
      return deleteCollection(ctx, t, page(ctx, t).items);
  }
}
