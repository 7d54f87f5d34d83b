// Kubernetes Status bodies and the error type handlers throw. Wording follows the real
// apiserver so kubectl prints exactly what users see against Datum.
import { groupResource, type Obj, type ResourceType } from "./types";

export interface Cause {
  reason: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }

  get body(): Obj {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

type TypeLike = Pick<ResourceType, "group" | "plural">;

export const notFound = (t: TypeLike, name: string) =>
  new ApiError(404, "NotFound", `${groupResource(t)} "${name}" not found`, {
    name,
    group: t.group || undefined,
    kind: t.plural,
  });

export const pathNotFound = () => new ApiError(404, "NotFound", "the server could not find the requested resource", {});

export const alreadyExists = (t: TypeLike, name: string) =>
  new ApiError(409, "AlreadyExists", `${groupResource(t)} "${name}" already exists`, {
    name,
    group: t.group || undefined,
    kind: t.plural,
  });

export const conflict = (t: TypeLike, name: string) =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${groupResource(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: t.group || undefined, kind: t.plural },
  );

export const badRequest = (message: string) => new ApiError(400, "BadRequest", message);

export const unauthorized = () => new ApiError(401, "Unauthorized", "Unauthorized");

/** `Kind.group "name" is invalid: [a, b]` with one cause per error. */
export function invalid(t: Pick<ResourceType, "group" | "kind">, name: string, causes: Cause[]) {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  const gk = t.group ? `${t.kind}.${t.group}` : t.kind;
  return new ApiError(422, "Invalid", `${gk} "${name}" is invalid: ${list}`, {
    name,
    group: t.group || undefined,
    kind: t.kind,
    causes,
  });
}

export interface ForbiddenAttrs {
  username: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

/** The RBAC authorizer's message, e.g. `... cannot delete resource "dnszones" in API group "…" in the namespace "default"`. */
export function forbidden(a: ForbiddenAttrs) {
  const gr = groupResource({ group: a.group, plural: a.resource });
  const subject = a.name ? `${gr} "${a.name}"` : gr;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  const message = `${subject} is forbidden: User "${a.username}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
  return new ApiError(403, "Forbidden", message, {
    ...(a.name ? { name: a.name } : {}),
    group: a.group || undefined,
    kind: a.resource,
  });
}

/** Status Success body, as the apiserver answers a delete of a collection member without the object. */
export const success = (details: Obj): Obj => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Success",
  details,
});
