// The last-applied-configuration annotation client-side apply keeps on each object, and the
// "modified" configuration kubectl derives from a manifest: the manifest without that
// annotation (and, when apply records it, with the manifest's own JSON as the annotation).
import type { KubeObject } from "../api/types";
import { goJson } from "../printers/objects";
import { isMap, type JsonMap } from "../manifests/merge-patch";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The configuration last applied to `live`, or undefined when it was never applied client-side. */
export function originalConfiguration(live: KubeObject): JsonMap | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return isMap(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What apply would send as the user's intent. kubectl always leaves an `annotations` map in
 * it (empty when the manifest had none), so an object without annotations gains `{}`.
 * With `annotate`, the annotation holds the compact, key-sorted JSON of that configuration.
 */
export function modifiedConfiguration(local: KubeObject, annotate: boolean): JsonMap {
  const obj = structuredClone(local) as JsonMap;
  const metadata = (isMap(obj.metadata) ? obj.metadata : (obj.metadata = {})) as JsonMap;
  const annotations = (isMap(metadata.annotations) ? { ...metadata.annotations } : {}) as JsonMap;
  delete annotations[LAST_APPLIED];
  metadata.annotations = annotations;
  if (annotate) {
    // Go's json.Encoder ends the document with a newline, and kubectl stores it as is.
    metadata.annotations = { ...annotations, [LAST_APPLIED]: `${goJson(obj, 0)}\n` };
  }
  return obj;
}
