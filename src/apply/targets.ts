// From parsed manifests to the objects to write: each one's served resource and namespace (set
// on the object, as kubectl sets it). An object that cannot be placed is a failure of its own;
// the others still go, as with kubectl.
import type { Scoped } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import type { ApiResource } from "../discovery/index";
import { DatumctlError } from "../errors";
import type { Manifest } from "../manifests/read";
import { MappingNotFound, namespaceFor, resourceFor } from "../manifests/resource";
import { type Failure, plainFailure } from "./errors";
import type { Target } from "./requests";

export interface Item extends Target {
  /** The manifest's object, its namespace filled in. */
  object: KubeObject;
  source: string;
}

/** A manifest's object ready to send, or why it cannot be (a kind not served, a wrong namespace). */
export type Placed = { item: Item } | { failure: Failure; kind: "namespace" | "mapping" };

const jsonType = (v: unknown) => (Array.isArray(v) ? "array" : typeof v === "boolean" ? "bool" : typeof v === "object" ? "object" : typeof v);

// ObjectMeta fields and the Go types kubectl decodes them into.
const STRINGS = ["name", "generateName", "namespace", "selfLink", "resourceVersion"];
const INTS = ["generation", "deletionGracePeriodSeconds"];

/**
 * kubectl decodes each manifest's metadata into a typed ObjectMeta and refuses one that does not
 * fit (`labels: {a: 1}`) before sending it. The same check, for every object before any is sent.
 */
export function checkMetadata(manifests: Manifest[]): void {
  for (const m of manifests) {
    const meta = m.object.metadata as Record<string, unknown> | undefined;
    if (!meta) continue;
    const refuse = (got: unknown, field: string, type: string) => {
      throw new DatumctlError(
        `unable to decode ${JSON.stringify(m.source)}: json: cannot unmarshal ${jsonType(got)} into Go struct field ObjectMeta.metadata.${field} of type ${type}`,
        { code: "INVALID_INPUT" },
      );
    };
    if (typeof meta !== "object" || Array.isArray(meta)) refuse(meta, "metadata", "v1.ObjectMeta");
    for (const k of STRINGS) if (meta[k] != null && typeof meta[k] !== "string") refuse(meta[k], k, "string");
    if (meta.uid != null && typeof meta.uid !== "string") refuse(meta.uid, "uid", "types.UID");
    for (const k of INTS) if (meta[k] != null && !Number.isInteger(meta[k])) refuse(meta[k], k, "int64");
    for (const k of ["labels", "annotations"]) {
      const v = meta[k];
      if (v == null) continue;
      if (typeof v !== "object" || Array.isArray(v)) refuse(v, k, "map[string]string");
      for (const x of Object.values(v as object)) if (x != null && typeof x !== "string") refuse(x, k, "string");
    }
    const fin = meta.finalizers;
    if (fin != null) {
      if (!Array.isArray(fin)) refuse(fin, "finalizers", "[]string");
      for (const x of fin as unknown[]) if (x != null && typeof x !== "string") refuse(x, "finalizers", "string");
    }
  }
}

export async function place(rt: Runtime, scoped: Scoped, manifests: Manifest[]): Promise<Placed[]> {
  const out: Placed[] = [];
  // One lookup per type, however many objects of it there are.
  const seen = new Map<string, Promise<ApiResource>>();
  for (const m of manifests) {
    const obj = m.object;
    const key = `${obj.apiVersion}\n${obj.kind}`;
    let resource: ApiResource;
    try {
      let found = seen.get(key);
      if (!found) seen.set(key, (found = resourceFor(rt, scoped, obj, m.source)));
      resource = await found;
    } catch (e) {
      if (!(e instanceof MappingNotFound)) throw e;
      // The lookup is shared by every object of the type: name this one. kubectl lists the advice in the line.
      const failure = plainFailure(`${new MappingNotFound(obj, m.source).message}\nensure CRDs are installed first`, "NOT_FOUND");
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
