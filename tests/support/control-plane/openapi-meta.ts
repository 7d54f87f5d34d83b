// The apimachinery schemas every OpenAPI v3 group-version document carries (ObjectMeta and the
// types it refers to, Status, DeleteOptions, Patch), trimmed to what `kubectl explain` shows.
import { arr, bool, date, int, obj, str, strMap } from "./schemas";
import type { Schema } from "./types";

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const allOf = (name: string, description?: string) => ({ allOf: [refTo(name)], ...(description ? { description } : {}) }) as unknown as Schema;

export function metaSchemas(): Record<string, unknown> {
  return {
    [`${META}.ObjectMeta`]: obj(
      {
        annotations: {
          ...strMap(),
          description:
            "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.",
        },
        creationTimestamp: allOf(`${META}.Time`, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        deletionTimestamp: allOf(`${META}.Time`),
        finalizers: arr(str()),
        generateName: str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
        generation: int("A sequence number representing a specific generation of the desired state."),
        labels: { ...strMap(), description: "Map of string keys and values that can be used to organize and categorize (scope and select) objects." },
        managedFields: arr(
          allOf(`${META}.ManagedFieldsEntry`),
          "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.",
        ),
        name: str("Name must be unique within a namespace."),
        namespace: str("Namespace defines the space within which each name must be unique."),
        ownerReferences: arr(allOf(`${META}.OwnerReference`)),
        resourceVersion: str("An opaque value that represents the internal version of this object."),
        uid: str("UID is the unique in time and space value for this object."),
      },
      [],
      "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
    ),
    [`${META}.ListMeta`]: obj({ continue: str(), remainingItemCount: int(), resourceVersion: str() }),
    [`${META}.Time`]: date(),
    [`${META}.FieldsV1`]: { type: "object", description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format." },
    [`${META}.ManagedFieldsEntry`]: obj({
      apiVersion: str(),
      fieldsType: str(),
      fieldsV1: allOf(`${META}.FieldsV1`),
      manager: str(),
      operation: str(),
      subresource: str(),
      time: allOf(`${META}.Time`),
    }),
    [`${META}.OwnerReference`]: obj({ apiVersion: str(), blockOwnerDeletion: bool(), controller: bool(), kind: str(), name: str(), uid: str() }, [
      "apiVersion",
      "kind",
      "name",
      "uid",
    ]),
    [`${META}.Patch`]: { type: "object", description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." },
    [`${META}.Preconditions`]: obj({ resourceVersion: str(), uid: str() }),
    [`${META}.DeleteOptions`]: obj({
      apiVersion: str(),
      dryRun: arr(str()),
      gracePeriodSeconds: int(),
      kind: str(),
      orphanDependents: bool(),
      preconditions: allOf(`${META}.Preconditions`),
      propagationPolicy: str(),
    }),
    [`${META}.StatusCause`]: obj({ field: str(), message: str(), reason: str() }),
    [`${META}.StatusDetails`]: obj({ causes: arr(allOf(`${META}.StatusCause`)), group: str(), kind: str(), name: str(), retryAfterSeconds: int(), uid: str() }),
    [`${META}.Status`]: obj({
      apiVersion: str(),
      code: int(),
      details: allOf(`${META}.StatusDetails`),
      kind: str(),
      message: str(),
      metadata: allOf(`${META}.ListMeta`),
      reason: str(),
      status: str(),
    }),
  };
}
