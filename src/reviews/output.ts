// kubectl's -o json and -o yaml printers for the review objects: json.MarshalIndent with four
// spaces and Go's HTML-safe escaping; YAML through sigs.k8s.io/yaml (keys sorted, block
// sequences not indented under their key).
import { invalidInput } from "../errors";

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

export function goJSON(value: unknown): string {
  // These characters only ever appear inside strings in JSON text, so a plain replace is safe.
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!) + "\n";
}

export async function goYAML(value: unknown): Promise<string> {
  const YAML = await import("yaml");
  return YAML.stringify(value, { sortMapEntries: true, indentSeq: false, version: "1.1", lineWidth: 0 });
}

export async function printObject(value: unknown, output: Output): Promise<string> {
  return output === "json" ? goJSON(value) : goYAML(value);
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
