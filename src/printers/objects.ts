// -o json, -o yaml and -o name for API objects, as kubectl prints them: keys sorted (Go marshals
// maps that way), JSON indented by four spaces with Go's HTML escaping, YAML in go-yaml's style,
// and managedFields left out unless asked for.
import type { KubeObject } from "../api/types";
import { goJson } from "./go-json";
import { goYaml } from "./yaml";

export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata || !("managedFields" in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata as Record<string, unknown>;
  return { ...obj, metadata } as T;
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

/** One document (an object or a List) as -o json or -o yaml prints it. */
export async function printDocument(format: "json" | "yaml", doc: unknown): Promise<string> {
  return format === "json" ? `${goJson(doc, "    ")}\n` : goYaml(doc);
}

/** -o name: a `<kind>.<group>/<name>` line per object. */
export const printNames = (objects: KubeObject[]): string => objects.map((o) => `${qualifiedName(o)}\n`).join("");
