// The kubectl.kubernetes.io/last-applied-configuration annotation, byte for byte as kubectl
// writes it (Go's encoder: sorted keys, compact, HTML-escaped, a trailing newline, and an empty
// `annotations: {}` when the manifest has no other annotation), so kubectl and datumctl see
// each other's applies as unchanged.
import type { KubeObject } from "../api/types";
import { goJson } from "../printers/objects";
import { isMap, type JsonMap } from "../manifests/merge-patch";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** What Go's json.Encoder writes for a map: sorted, compact, escaped, newline-terminated. */
export const goEncode = (v: unknown): string => `${goJson(v, 0)}\n`;

/** The object without its last-applied annotation (annotations kept as a map, maybe empty). */
function withoutLastApplied(obj: KubeObject): KubeObject {
  const metadata = { ...(obj.metadata ?? {}) };
  const { [LAST_APPLIED]: _, ...annotations } = (metadata.annotations ?? {}) as Record<string, string>;
  metadata.annotations = annotations;
  return { ...obj, metadata };
}

/** The annotation's value for a manifest: the manifest itself, without the annotation. */
export function lastAppliedValue(obj: KubeObject): string {
  return goEncode(withoutLastApplied(obj));
}

/** The manifest carrying its own last-applied annotation: what apply creates, and patches toward. */
export function withLastApplied(obj: KubeObject): KubeObject {
  const value = lastAppliedValue(obj);
  const metadata = { ...(obj.metadata ?? {}) };
  metadata.annotations = { ...((metadata.annotations ?? {}) as Record<string, string>), [LAST_APPLIED]: value };
  return { ...obj, metadata };
}

/** The configuration last applied to a live object, or {} when it has none. */
export function originalOf(live: KubeObject): JsonMap {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return {};
  const parsed = JSON.parse(raw) as unknown;
  return isMap(parsed) ? parsed : {};
}
