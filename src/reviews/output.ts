// kubectl's -o json and -o yaml for the review objects. kubectl holds these as typed Go
// structs, so its JSON keeps the struct's field order (kind, apiVersion, metadata, status),
// unlike the sorted keys of the unstructured objects printers/objects.ts prints; its YAML goes
// through sigs.k8s.io/yaml and so is sorted like any other.
import { invalidInput } from "../errors";
import { goYaml } from "../printers/objects";

export const OUTPUTS = ["json", "yaml"] as const;
export type Output = (typeof OUTPUTS)[number];

/** kubectl's error for an unknown -o, naming the formats we print. */
export function checkOutput(output: string | undefined): Output | undefined {
  if (output === undefined || output === "") return undefined;
  if ((OUTPUTS as readonly string[]).includes(output)) return output as Output;
  throw invalidInput(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS.join(",")}`);
}

/** Go's %v of a []string. */
export const goList = (xs: readonly string[] | undefined): string => `[${(xs ?? []).join(" ")}]`;

const GO_ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** json.MarshalIndent of a Go struct: fields in the order given, Go's HTML-safe escaping. */
export function goJSON(value: unknown): string {
  // These characters only ever appear inside strings in JSON text, so a plain replace is safe.
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!) + "\n";
}

export async function printObject(value: unknown, output: Output): Promise<string> {
  return output === "json" ? goJSON(value) : goYaml(value);
}

type Meta = Record<string, unknown>;

const OBJECT_META_ORDER = [
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
];

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === "" || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);

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
