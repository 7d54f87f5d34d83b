// What create and apply print: a `<kind>.<group>/<name> <operation>` line per object (with
// kubectl's dry-run suffixes), the bare name for -o name, or the objects themselves for the
// other -o formats. Also the --dry-run and --validate values, read as kubectl reads them.
import type { KubeObject } from "../api/types";
import { invalidInput } from "../errors";
import { type Output, parseOutput } from "../get/output";
import { printObjects } from "../get/print-objects";
import { goJson, goYaml, qualifiedName, withoutManagedFields } from "../printers/objects";
import type { FieldValidation } from "./requests";

export type DryRun = "none" | "client" | "server";

/** --dry-run: client, server or none; bare (`unchanged`) and the old booleans as kubectl takes them. */
export function parseDryRun(raw: string | undefined): DryRun {
  if (raw === undefined) return "none";
  const v = raw.toLowerCase();
  if (raw === "unchanged" || raw === "client" || ["true", "1", "t"].includes(v)) return "client";
  if (raw === "server") return "server";
  if (raw === "none" || ["false", "0", "f"].includes(v)) return "none";
  throw invalidInput(`Invalid dry-run value (${raw}). Must be "none", "server", or "client".`);
}

/** --validate: strict (or true), warn, ignore (or false), as the fieldValidation it sends. */
export function parseValidate(raw: string | undefined): FieldValidation {
  const v = (raw ?? "strict").toLowerCase();
  if (v === "strict" || v === "true") return "Strict";
  if (v === "warn") return "Warn";
  if (v === "ignore" || v === "false") return "Ignore";
  throw invalidInput(`invalid - validate option "${raw}"; must be one of: strict (or true), warn, ignore (or false)`);
}

const FORMATS = ["go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "yaml"];

/** -o for create and apply; undefined means the default `<name> <operation>` lines. */
export function parseWriteOutput(raw: string | undefined): Output | undefined {
  if (raw === undefined || raw === "") return undefined;
  const name = raw.includes("=") ? raw.slice(0, raw.indexOf("=")) : raw;
  if (!FORMATS.includes(name)) {
    throw invalidInput(`unable to match a printer suitable for the output format "${raw}", allowed formats are: ${FORMATS.join(",")}`);
  }
  return parseOutput(raw);
}

/** True when -o asks for the objects themselves rather than a line per object. */
export const printsObjects = (o: Output | undefined) => o !== undefined && o.kind !== "name";

const SUFFIX: Record<DryRun, string> = { none: "", client: " (dry run)", server: " (server dry run)" };

/** `dnszone.dns.networking.miloapis.com/example-com created (server dry run)`, or the bare name for -o name. */
export function objectLine(obj: KubeObject, operation: string, dryRun: DryRun, output: Output | undefined): string {
  if (output?.kind === "name") return `${qualifiedName(obj)}\n`;
  return `${qualifiedName(obj)} ${operation}${SUFFIX[dryRun]}\n`;
}

/** One object in an -o format; YAML documents after the first are preceded by `---`. */
export async function printOne(output: Output, obj: KubeObject, index: number, showManagedFields: boolean): Promise<string> {
  const shown = showManagedFields ? obj : withoutManagedFields(obj);
  if (output.kind === "json") return `${goJson(shown)}\n`;
  if (output.kind === "yaml") return `${index > 0 ? "---\n" : ""}${await goYaml(shown)}`;
  return printObjects(output, [shown], { single: true, noHeaders: false, showManagedFields: true });
}

const escapeGo = (s: string) =>
  s.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

/**
 * Every object at once, as apply prints them: one alone, several as a v1 List (whose JSON keeps
 * the typed List's field order: kind, apiVersion, metadata, items).
 */
export async function printAll(output: Output, objects: KubeObject[], showManagedFields: boolean): Promise<string> {
  if (objects.length === 0) return "";
  if (objects.length === 1) return printOne(output, objects[0]!, 0, showManagedFields);
  const shown = showManagedFields ? objects : objects.map(withoutManagedFields);
  if (output.kind === "json") {
    const items = JSON.parse(goJson(shown, 0)) as unknown[];
    return `${escapeGo(JSON.stringify({ kind: "List", apiVersion: "v1", metadata: {}, items }, null, 4))}\n`;
  }
  if (output.kind === "yaml") return goYaml({ apiVersion: "v1", items: shown, kind: "List", metadata: {} });
  return printObjects(output, shown, { single: false, noHeaders: false, showManagedFields: true });
}
