// Flags create and apply share (nuxt/cli's `_shared.ts` pattern), and reading them back.
import { parseDryRun, parseValidate, parseWriteOutput } from "../apply/print";

export const writeArgs = (verb: string) =>
  ({
    filename: { type: "string", alias: "f", multiple: true, valueHint: "file", description: `Manifests to ${verb}: a file, a directory, a URL, or - for standard input` },
    recursive: { type: "boolean", alias: "R", description: "Read -f directories recursively" },
    output: { type: "string", alias: "o", valueHint: "format", description: "name, json, yaml, jsonpath=…, go-template=… (default: a line per object)" },
    "dry-run": { type: "string", optionalValue: "unchanged", valueHint: "strategy", description: "client (send nothing), server (the server checks, nothing is saved), or none; --dry-run alone is client" },
    validate: { type: "string", default: "strict", valueHint: "mode", description: "How the server treats unknown fields: strict (or true), warn, ignore (or false)" },
    "show-managed-fields": { type: "boolean", description: "Keep metadata.managedFields in json and yaml output" },
  }) as const;

export function writeOptions(a: Record<string, unknown>) {
  return {
    files: (a.filename as string[] | undefined) ?? [],
    recursive: a.recursive === true,
    output: parseWriteOutput(a.output as string | undefined),
    dryRun: parseDryRun(a["dry-run"] as string | undefined),
    fieldManager: (a["field-manager"] as string | undefined) || undefined,
    validation: parseValidate(a.validate as string | undefined),
    showManagedFields: a["show-managed-fields"] === true,
  };
}
