// From parsed manifests to the objects to write: each one's served resource and namespace (set
// on the object, as kubectl sets it). An object that cannot be placed is a failure of its own;
// the others still go, as with kubectl.
import type { Scoped } from "../api/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../cli/command";
import { DatumctlError } from "../errors";
import type { Manifest } from "../manifests/read";
import { namespaceFor, resourceFor } from "../manifests/resource";
import { type Failure, plainFailure } from "./errors";
import type { Target } from "./requests";

export interface Item extends Target {
  /** The manifest's object, its namespace filled in. */
  object: KubeObject;
  source: string;
}

/** A manifest's object ready to send, or why it cannot be (a kind not served, a wrong namespace). */
export type Placed = { item: Item } | { failure: Failure; kind: "namespace" | "mapping" };

export async function place(rt: Runtime, scoped: Scoped, manifests: Manifest[]): Promise<Placed[]> {
  const out: Placed[] = [];
  for (const m of manifests) {
    const obj = m.object;
    let resource;
    try {
      resource = await resourceFor(rt, scoped, obj);
    } catch (e) {
      if (!(e instanceof DatumctlError) || !e.message.startsWith("resource mapping not found")) throw e;
      const failure = plainFailure(
        `resource mapping not found for name: ${JSON.stringify(obj.metadata?.name ?? "")} namespace: ${JSON.stringify(obj.metadata?.namespace ?? "")} from ${JSON.stringify(m.source)}: no matches for kind ${JSON.stringify(obj.kind ?? "")} in version ${JSON.stringify(obj.apiVersion ?? "")}\nensure CRDs are installed first`,
        "NOT_FOUND",
      );
      out.push({ failure, kind: "mapping" });
      continue;
    }
    let namespace: string | undefined;
    try {
      namespace = namespaceFor(rt, scoped, resource, obj);
    } catch (e) {
      if (!(e instanceof DatumctlError)) throw e;
      out.push({ failure: plainFailure(e.message), kind: "namespace" });
      continue;
    }
    const object: KubeObject = namespace === undefined ? obj : { ...obj, metadata: { ...obj.metadata, namespace } };
    out.push({ item: { resource, namespace, name: obj.metadata?.name ?? "", object, source: m.source } });
  }
  return out;
}
