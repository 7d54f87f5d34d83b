import { defineCommand } from "citty";
import { runtime } from "../cli/command";
import { parseDryRun, parseValidate, parseWriteOutput } from "../apply/print";

const args = {
  filename: { type: "string", alias: "f", multiple: true, valueHint: "file", description: "Manifests to create: a file, a directory, a URL, or - for standard input" },
  recursive: { type: "boolean", alias: "R", description: "Read -f directories recursively" },
  output: { type: "string", alias: "o", valueHint: "format", description: "name, json, yaml, jsonpath=…, go-template=… (default: a line per object)" },
  "dry-run": { type: "string", optionalValue: "unchanged", valueHint: "strategy", description: "client (send nothing), server (the server checks, nothing is saved), or none; --dry-run alone is client" },
  "save-config": { type: "boolean", description: "Record the manifest in the last-applied annotation, so a later apply can patch it" },
  "field-manager": { type: "string", default: "kubectl-create", valueHint: "name", description: "Who owns the created fields" },
  validate: { type: "string", default: "strict", valueHint: "mode", description: "How the server treats unknown fields: strict (or true), warn, ignore (or false)" },
  "show-managed-fields": { type: "boolean", description: "Keep metadata.managedFields in json and yaml output" },
} as const;

export default defineCommand({
  args,
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args as Record<string, unknown>;
    const { runCreate } = await import("../apply/create");
    await runCreate(rt, {
      files: (a.filename as string[] | undefined) ?? [],
      recursive: a.recursive === true,
      output: parseWriteOutput(a.output as string | undefined),
      dryRun: parseDryRun(a["dry-run"] as string | undefined),
      saveConfig: a["save-config"] === true,
      fieldManager: (a["field-manager"] as string | undefined) || undefined,
      validation: parseValidate(a.validate as string | undefined),
      showManagedFields: a["show-managed-fields"] === true,
    });
  },
});
