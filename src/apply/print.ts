// What create and apply print: a `<kind>.<group>/<name> <operation>` line per object (with
// kubectl's dry-run suffixes), the bare name for -o name, or the objects themselves for the
// other -o formats. Also the --dry-run and --validate values, read as kubectl reads them.
import type { KubeObject } from "../api/types";
import { invalidInput } from "../errors";
import { type Output, WRITE_FORMATS, parseOutput, printObjects } from "../printers/index";
import { printDocument, qualifiedName, withoutManagedFields } from "../printers/objects";
import { printStruct } from "../printers/records";
import { goJson } from "../printers/go-json";
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

/** -o for create and apply; undefined means the default `<name> <operation>` lines. */
export const parseWriteOutput = (raw: string | undefined): Output | undefined => parseOutput(raw, { formats: WRITE_FORMATS });

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
  if (output.kind === "json") return printDocument("json", shown);
  if (output.kind === "yaml") return `${index > 0 ? "---\n" : ""}${await printDocument("yaml", shown)}`;
  return printObjects(output, [shown], { single: true, noHeaders: false, showManagedFields: true });
}

/**
 * Every object at once, as apply prints them: one alone, several as a v1 List (whose JSON keeps
 * the typed List's field order: kind, apiVersion, metadata, items).
 */
export async function printAll(output: Output, objects: KubeObject[], showManagedFields: boolean): Promise<string> {
  if (objects.length === 0) return "";
  if (objects.length === 1) return printOne(output, objects[0]!, 0, showManagedFields);
  const shown = showManagedFields ? objects : objects.map(withoutManagedFields);
  // The typed List keeps its field order; the objects in it are maps, their keys sorted.
  if (output.kind === "json") return printStruct("json", { kind: "List", apiVersion: "v1", metadata: {}, items: JSON.parse(goJson(shown)) as unknown[] });
  if (output.kind === "yaml") return printStruct("yaml", { apiVersion: "v1", items: shown, kind: "List", metadata: {} });
  return printObjects(output, shown, { single: false, noHeaders: false, showManagedFields: true });
}
