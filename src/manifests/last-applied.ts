// The kubectl.kubernetes.io/last-applied-configuration annotation, byte for byte as kubectl
// writes it (Go's encoder: sorted keys, compact, HTML-escaped, a trailing newline, and an empty
// `annotations: {}` when the manifest has no other annotation), so kubectl and datumctl see
// each other's applies as unchanged.
import type { KubeObject } from "../api/types";
import { invalidInput } from "../errors";
import { goJson } from "../printers/go-json";
import { isMap, type JsonMap } from "./merge-patch";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** What Go's json.Encoder writes for a map: sorted, compact, escaped, newline-terminated. */
export const goEncode = (v: unknown): string => `${goJson(v)}\n`;

/**
 * The object without its last-applied annotation, annotations kept as a map (empty when it had
 * no other): the "modified" configuration kubectl derives from a manifest.
 */
export function withoutLastApplied(obj: KubeObject): KubeObject {
  const metadata = { ...(obj.metadata ?? {}) };
  const { [LAST_APPLIED]: _, ...annotations } = (metadata.annotations ?? {}) as Record<string, string>;
  metadata.annotations = annotations;
  return { ...obj, metadata };
}

/**
 * The manifest carrying its own last-applied annotation (the manifest itself, without the
 * annotation): what apply creates, and patches toward.
 */
export function withLastApplied(obj: KubeObject): KubeObject {
  const value = goEncode(withoutLastApplied(obj));
  const metadata = { ...(obj.metadata ?? {}) };
  metadata.annotations = { ...((metadata.annotations ?? {}) as Record<string, string>), [LAST_APPLIED]: value };
  return { ...obj, metadata };
}

/** The configuration last applied to a live object; undefined when it was never applied client-side. */
export function originalConfiguration(live: KubeObject): JsonMap | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  // A corrupt annotation is an error, as in kubectl: patching from a guess could delete fields.
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isMap(parsed)) throw invalidInput(`the ${LAST_APPLIED} annotation of ${live.kind ?? "the object"} "${live.metadata?.name ?? ""}" is not a JSON object`);
  return parsed;
}
