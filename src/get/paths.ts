// REST paths of a resource under a control plane, as kubectl builds them.
import type { ApiResource } from "../discovery/index";

export interface Where {
  /** undefined for every namespace (-A) or a cluster-scoped resource. */
  namespace?: string;
  name?: string;
}

export function resourcePath(r: Pick<ApiResource, "group" | "version" | "resource" | "namespaced">, where: Where = {}): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && where.namespace ? `/namespaces/${encodeURIComponent(where.namespace)}` : "";
  const name = where.name ? `/${encodeURIComponent(where.name)}` : "";
  return `${base}${ns}/${r.resource}${name}`;
}

/** `dnszone.dns.networking.miloapis.com`: how kubectl prefixes names when several types are shown. */
export const kindPrefix = (r: Pick<ApiResource, "kind" | "group">) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase());

/** `dnszones.dns.networking.miloapis.com`, as kubectl names a resource in errors. */
export const groupResource = (r: Pick<ApiResource, "resource" | "group">) => (r.group ? `${r.resource}.${r.group}` : r.resource);
