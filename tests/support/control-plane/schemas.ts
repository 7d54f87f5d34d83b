// Tiny builders for the OpenAPI schemas of Datum's CRDs, so datum-types.ts reads like the CRDs.
import type { Schema } from "./types";

export const str = (description?: string): Schema => ({ type: "string", ...(description ? { description } : {}) });
export const int = (description?: string): Schema => ({ type: "integer", format: "int64", ...(description ? { description } : {}) });
export const bool = (): Schema => ({ type: "boolean" });
export const oneOf = (values: string[], description?: string): Schema => ({ ...str(description), enum: values });
export const date = (): Schema => ({ type: "string", format: "date-time" });
export const arr = (items: Schema, description?: string): Schema => ({
  type: "array",
  items,
  ...(description ? { description } : {}),
});
export const strMap = (): Schema => ({ type: "object", additionalProperties: { type: "string" } });

export function obj(properties: Record<string, Schema>, required: string[] = [], description?: string): Schema {
  return {
    type: "object",
    properties,
    ...(required.length ? { required } : {}),
    ...(description ? { description } : {}),
  };
}

/** metav1.Condition, as every Datum status carries it (a map list keyed by type). */
export const conditions = (): Schema => ({
  ...arr(
    obj(
      {
        type: str("type of condition in CamelCase."),
        status: oneOf(["True", "False", "Unknown"], "status of the condition, one of True, False, Unknown."),
        reason: str("reason contains a programmatic identifier indicating the reason for the condition's last transition."),
        message: str("message is a human readable message indicating details about the transition."),
        lastTransitionTime: date(),
        observedGeneration: int(),
      },
      ["type", "status", "reason", "message", "lastTransitionTime"],
    ),
    "Conditions represent the current state of the resource.",
  ),
  "x-kubernetes-list-type": "map",
  "x-kubernetes-list-map-keys": ["type"],
});

/** The object wrapper every top-level kind has: apiVersion, kind, metadata, spec, status. */
export function kindSchema(description: string, spec: Schema, status: Schema, specRequired = true): Schema {
  return obj(
    {
      apiVersion: str("APIVersion defines the versioned schema of this representation of an object."),
      kind: str("Kind is a string value representing the REST resource this object represents."),
      metadata: { type: "object" },
      spec,
      status,
    },
    specRequired ? ["spec"] : [],
    description,
  );
}

export const ref = (description?: string): Schema => obj({ name: str("Name is the name of resource being referenced") }, ["name"], description);
