// REST paths of a resource under a control plane, as kubectl builds them. Every resource path
// is built here, and a name or namespace that would address another path is refused here.
import { nameError, namespaceError } from "./names";
import type { DatumctlError } from "../errors";
import type { ApiResource } from "../discovery/index";

export interface Where {
  /** undefined for every namespace (-A) or a cluster-scoped resource. */
  namespace?: string;
  /** undefined for the collection; anything else must be a name. */
  name?: string;
}

type PathResource = Pick<ApiResource, "group" | "version" | "resource" | "namespaced">;

/** Why `where` cannot be addressed (kubectl's words), or undefined: for commands to check before sending anything. */
export function whereError(r: PathResource, where: Where): DatumctlError | undefined {
  return (
    (r.namespaced && where.namespace !== undefined ? namespaceError(where.namespace) : undefined) ??
    (where.name !== undefined ? nameError(where.name) : undefined)
  );
}

export function resourcePath(r: PathResource, where: Where = {}): string {
  const bad = whereError(r, where);
  if (bad) throw bad;
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && where.namespace !== undefined ? `/namespaces/${encodeURIComponent(where.namespace)}` : "";
  const name = where.name !== undefined ? `/${encodeURIComponent(where.name)}` : "";
  return `${base}${ns}/${r.resource}${name}`;
}

/** `dnszone.dns.networking.miloapis.com`: how kubectl prefixes names when several types are shown. */
export const kindPrefix = (r: Pick<ApiResource, "kind" | "group">) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase());

/** `dnszones.dns.networking.miloapis.com`, as kubectl names a resource in errors. */
export const groupResource = (r: Pick<ApiResource, "resource" | "group">) => (r.group ? `${r.resource}.${r.group}` : r.resource);
