// Flags more than one command declares (nuxt/cli's `commands/_shared.ts` pattern): each is
// defined here once, with the help text of the command that uses it, and read back typed
// through FlagValues (src/cli/command.ts). A flag only one command has stays in its file.
import { parseDryRun, parseValidate, parseWriteOutput } from "../apply/print";
import type { FlagValues } from "../cli/flags";

type OutputFormats = { options: string[]; description?: string };
type OutputText = { description: string; default?: string };

/**
 * -o: a fixed set of formats (`output({ options: ["json", "yaml"] })`, refused by the flag
 * parser when not one of them), or free text the command's printer parses (`output({ description })`).
 */
export function output<const D extends OutputFormats>(d: D): { output: { type: "enum"; alias: "o"; valueHint: "format"; description: string } & D };
export function output<const D extends OutputText>(d: D): { output: { type: "string"; alias: "o"; valueHint: "format" } & D };
export function output(d: OutputFormats | OutputText) {
  return { output: { type: "options" in d ? "enum" : "string", alias: "o", valueHint: "format", description: "Output format", ...d } };
}

/** -f (repeatable) and -R: the manifests a command reads. */
export const files = (description: string) =>
  ({
    filename: { type: "string", alias: "f", multiple: true, valueHint: "file", description },
    recursive: { type: "boolean", alias: "R", description: "Read -f directories recursively" },
  }) as const;

export const readFiles = (a: FlagValues<ReturnType<typeof files>>) => ({ files: a.filename ?? [], recursive: a.recursive === true });

/** -l */
export const selector = (description: string) => ({ selector: { type: "string", alias: "l", valueHint: "query", description } }) as const;

export const fieldSelector = (description: string) => ({ "field-selector": { type: "string", valueHint: "query", description } }) as const;

/** -A (-n is a global flag, src/cli/globals.ts). */
export const allNamespaces = (description: string) => ({ "all-namespaces": { type: "boolean", alias: "A", description } }) as const;

/** --dry-run alone is client (kubectl's deprecated bare form). */
export const dryRun = (valueHint: string, description: string) =>
  ({ "dry-run": { type: "string", optionalValue: "unchanged", valueHint, description } }) as const;

export const fieldManager = <const D extends { description: string; default?: string }>(d: D) =>
  ({ "field-manager": { type: "string", valueHint: "name", ...d } }) as const;

export const validate = (description: string) => ({ validate: { type: "string", default: "strict", valueHint: "mode", description } }) as const;

export const serverSide = (description: string) => ({ "server-side": { type: "boolean", description } }) as const;

export const forceConflicts = { "force-conflicts": { type: "boolean", description: "With --server-side, take fields other managers own" } } as const;

export const showManagedFields = (description: string) => ({ "show-managed-fields": { type: "boolean", description } }) as const;

export const wait = (description: string) => ({ wait: { type: "boolean", default: true, description } }) as const;

/** A Go duration (parsed with parseDuration from src/cli/globals.ts). */
export const timeout = (dflt: string, description: string) => ({ timeout: { type: "string", default: dflt, valueHint: "duration", description } }) as const;

export const chunkSize = (description: string) => ({ "chunk-size": { type: "string", default: "500", valueHint: "n", description } }) as const;

export const noHeaders = (description: string) => ({ "no-headers": { type: "boolean", description } }) as const;

export const ignoreNotFound = (description: string) => ({ "ignore-not-found": { type: "boolean", description } }) as const;

export const kubeconfig = (description: string) => ({ kubeconfig: { type: "string", valueHint: "path", description } }) as const;

/** `ctx` and `ctx list`. */
export const allSessions = { all: { type: "boolean", description: "Show the contexts of every session" } } as const;

/** What create and apply share. */
export const writeFlags = (verb: string) =>
  ({
    ...files(`Manifests to ${verb}: a file, a directory, a URL, or - for standard input`),
    ...output({ description: "name, json, yaml, jsonpath=…, go-template=… (default: a line per object)" }),
    ...dryRun("strategy", "client (send nothing), server (the server checks, nothing is saved), or none; --dry-run alone is client"),
    ...validate("How the server treats unknown fields: strict (or true), warn, ignore (or false)"),
    ...showManagedFields("Keep metadata.managedFields in json and yaml output"),
  }) as const;

type WriteValues = FlagValues<ReturnType<typeof writeFlags>> & { "field-manager"?: string | undefined };

export function writeOptions(a: WriteValues) {
  return {
    ...readFiles(a),
    output: parseWriteOutput(a.output),
    dryRun: parseDryRun(a["dry-run"]),
    fieldManager: a["field-manager"] || undefined,
    validation: parseValidate(a.validate),
    showManagedFields: a["show-managed-fields"] === true,
  };
}
