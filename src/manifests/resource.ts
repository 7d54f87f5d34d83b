// Which served resource a manifest's object is (by its apiVersion and kind, at exactly that
// version), and the namespace it lives in. Shared by create, apply, delete, diff and edit.
import type { Scoped } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { type ApiResource, discover } from "../discovery/index";
import { DatumctlError, invalidInput } from "../errors";

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const find = (resources: ApiResource[], group: string, version: string, kind: string) =>
  resources.find((r) => r.group === group && r.version === version && r.kind === kind && !r.resource.includes("/"));

/** kubectl's words for a manifest whose kind this control plane does not serve. */
export class MappingNotFound extends DatumctlError {
  constructor(obj: KubeObject, source: string) {
    const q = JSON.stringify;
    super(
      `resource mapping not found for name: ${q(obj.metadata?.name ?? "")} namespace: ${q(obj.metadata?.namespace ?? "")} from ${q(source)}: no matches for kind ${q(obj.kind ?? "")} in version ${q(obj.apiVersion ?? "")}`,
      { code: "NOT_FOUND", hint: "ensure CRDs are installed first; run 'datumctl api-resources' to see the types this control plane serves." },
    );
  }
}

/** The served resource for a manifest's object, read from `source`; MappingNotFound if none. */
export async function resourceFor(rt: Runtime, scoped: Scoped, obj: KubeObject, source: string): Promise<ApiResource> {
  const { group, version } = splitApiVersion(obj.apiVersion ?? "");
  const kind = obj.kind ?? "";
  let surface = await discover(rt, scoped);
  let found = find(surface.resources, group, version, kind);
  if (!found && surface.fromCache) {
    surface = await discover(rt, scoped, { cached: false });
    found = find(surface.resources, group, version, kind);
  }
  if (!found) throw new MappingNotFound(obj, source);
  return found;
}

/**
 * The namespace an object goes to: its own, else -n / the context's (an empty one is none, as
 * with kubectl). An object that names a namespace other than an explicit -n is refused, as
 * kubectl refuses it.
 */
export function namespaceFor(rt: Runtime, scoped: Scoped, resource: ApiResource, obj: KubeObject): string | undefined {
  if (!resource.namespaced) return undefined;
  const own = obj.metadata?.namespace;
  if (own && rt.globals.namespace && own !== rt.globals.namespace) {
    throw invalidInput(
      `the namespace from the provided object "${own}" does not match the namespace "${rt.globals.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  return own || scoped.namespace;
}
