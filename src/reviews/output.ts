// kubectl's -o json and -o yaml for the review objects. kubectl holds these as typed Go
// structs, so its JSON keeps the struct's field order (kind, apiVersion, metadata, status),
// unlike the sorted keys of the unstructured objects printers/objects.ts prints; its YAML goes
// through sigs.k8s.io/yaml and so is sorted like any other (printers/records.ts prints both).
import { parseDataOutput } from "../printers/index";
import { type DataFormat, printStruct } from "../printers/records";

export type Output = DataFormat;

/** -o json or yaml, with kubectl's error for any other format. */
export const checkOutput = parseDataOutput;

/** Go's %v of a []string. */
export const goList = (xs: readonly string[] | undefined): string => `[${(xs ?? []).join(" ")}]`;

/** The review as kubectl prints the typed object: JSON in its field order, YAML sorted. */
export const printObject = (value: unknown, output: Output): Promise<string> => printStruct(output, value);

type Meta = Record<string, unknown>;

const OBJECT_META_ORDER = [
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === "" ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && Object.keys(v).length === 0);

/** ObjectMeta as Go marshals it: its field order, empty fields left out, creationTimestamp always (null when unset). */
export function goObjectMeta(meta: Meta | undefined): Meta {
  const out: Meta = {};
  for (const k of OBJECT_META_ORDER) {
    const v = meta?.[k];
    if (k === "creationTimestamp") out[k] = v ?? null;
    else if (!isEmpty(v)) out[k] = v;
  }
  return out;
}
