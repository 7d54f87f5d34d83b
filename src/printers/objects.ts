// -o json, -o yaml and -o name, as kubectl prints them: keys sorted (Go marshals maps that
// way), JSON indented by four spaces with Go's HTML escaping, YAML in go-yaml's style, and
// managedFields left out unless asked for.
import type { KubeObject } from "../api/types";

export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata || !("managedFields" in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata as Record<string, unknown>;
  return { ...obj, metadata } as T;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Go's encoding/json output: sorted keys, and <, >, &, U+2028, U+2029 escaped. */
export function goJson(v: unknown, indent = 4): string {
  return JSON.stringify(sortKeys(v), null, indent)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

// Plain strings go-yaml v2 would read back as something else (YAML 1.1 null, bool, int,
// float, sexagesimal or timestamp): it writes those double-quoted.
const YAML11_NON_STRING = [
  /^(~|null|Null|NULL|)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?(Z|[-+]\d{1,2}(:?\d{2})?)?)?$/,
];

/**
 * YAML as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2): sorted keys, no wrapping,
 * lists not indented, strings that would read back as another type in double quotes, other
 * strings that cannot be plain in single quotes.
 */
export async function goYaml(v: unknown): Promise<string> {
  const YAML = await import("yaml");
  const doc = new YAML.Document(v, { version: "1.1", sortMapEntries: true });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && YAML11_NON_STRING.some((re) => re.test(node.value as string))) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** What kubectl prints for several objects: a v1 List. */
export function asList(items: KubeObject[]): KubeObject {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } } as KubeObject;
}

/** `dnszone.dns.networking.miloapis.com/example-com`; core types have no group part. */
export function qualifiedName(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? "";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind = (obj.kind ?? "").toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${obj.metadata?.name ?? ""}`;
}
