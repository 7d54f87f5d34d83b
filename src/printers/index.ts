// -o has one owner: this module reads it against the formats a command allows (kubectl's error
// for any other) and prints with the family the format belongs to, one file per family:
//   objects.ts    json, yaml, name for API objects (kubectl's sorted, escaped JSON; go-yaml)
//   templates.ts  jsonpath, jsonpath-as-json, custom-columns, go-template and their -file forms
//   records.ts    json, yaml for Go structs and datumctl's own records (sessions, contexts, …)
//   table.ts      the server's tables (get, wide); tabwriter.ts lays out every table
// go-json.ts is the one JSON encoder, yaml.ts the one place YAML is written.
import type { KubeObject } from "../api/types";
import { type DatumctlError, invalidInput } from "../errors";
import type { IO } from "../io";
import { asList, printDocument, printNames, withoutManagedFields } from "./objects";
import type { DataFormat } from "./records";

export type OutputKind =
  | "table"
  | "wide"
  | "json"
  | "yaml"
  | "name"
  | "jsonpath"
  | "jsonpath-file"
  | "jsonpath-as-json"
  | "custom-columns"
  | "custom-columns-file"
  | "go-template"
  | "go-template-file";

export interface Output {
  kind: OutputKind;
  /** The template, spec or file name after `=`. */
  arg?: string;
}

/** Formats that take a template, spec or file after `=` (kubectl's aliases included). */
const WITH_ARG: Record<string, OutputKind> = {
  jsonpath: "jsonpath",
  "jsonpath-file": "jsonpath-file",
  "jsonpath-as-json": "jsonpath-as-json",
  "custom-columns": "custom-columns",
  "custom-columns-file": "custom-columns-file",
  "go-template": "go-template",
  "go-template-file": "go-template-file",
  template: "go-template",
  templatefile: "go-template-file",
};

const TEMPLATES = ["go-template", "go-template-file", "jsonpath", "jsonpath-as-json", "jsonpath-file", "template", "templatefile"];

/** json and yaml: what commands printing records allow. */
export const DATA_FORMATS = ["json", "yaml"] as const;
/** What create and apply print their objects as. */
export const WRITE_FORMATS = [...DATA_FORMATS, "name", ...TEMPLATES];
/** Everything get prints. */
export const GET_FORMATS = [...WRITE_FORMATS, "custom-columns", "custom-columns-file", "wide"];

export interface OutputRules {
  /** What -o may name here, kubectl's aliases (`template`, `templatefile`) included. */
  formats: readonly string[];
  /** --template's text: for a template format given without `=`, and go-template when -o is empty. */
  template?: string;
  /** This command's own error for a format it does not print, instead of kubectl's. */
  unsupported?: (raw: string) => DatumctlError;
}

/** The printer -o names; undefined when -o is empty (the command's default view). */
export function parseOutput(raw: string | undefined, rules: OutputRules): Output | undefined {
  if (raw === undefined || raw === "") return rules.template ? { kind: "go-template", arg: rules.template } : undefined;
  const eq = raw.indexOf("=");
  const name = eq === -1 ? raw : raw.slice(0, eq);
  const kind = WITH_ARG[name];
  if (rules.formats.includes(name) && (kind || eq === -1)) {
    if (!kind) return { kind: name as OutputKind };
    const arg = eq === -1 ? rules.template : raw.slice(eq + 1);
    if (!arg) throw invalidInput(`template format specified but no template given`, `Use -o ${name}='…'.`);
    return { kind, arg };
  }
  throw (
    rules.unsupported?.(raw) ??
    invalidInput(`unable to match a printer suitable for the output format "${raw}", allowed formats are: ${[...rules.formats].sort().join(",")}`)
  );
}

/** -o json or -o yaml, for commands that print records: only those two are allowed. */
export const parseDataOutput = (raw: string | undefined) => parseOutput(raw, { formats: DATA_FORMATS })?.kind as DataFormat | undefined;

export const isTable = (o: Output) => o.kind === "table" || o.kind === "wide";

export interface PrintOptions {
  /** One object asked for by name prints alone; anything else prints as a List. */
  single: boolean;
  noHeaders: boolean;
  showManagedFields: boolean;
}

/** Objects in any format but a table, as kubectl prints them. */
export async function printObjects(output: Output, objects: KubeObject[], opts: PrintOptions, io?: IO): Promise<string> {
  // kubectl drops managedFields from json and yaml only; templates still see them.
  const strip = !opts.showManagedFields && (output.kind === "json" || output.kind === "yaml");
  const shown = strip ? objects.map(withoutManagedFields) : objects;
  const doc = opts.single && shown.length === 1 ? shown[0]! : asList(shown);
  if (output.kind === "json" || output.kind === "yaml") return printDocument(output.kind, doc);
  if (output.kind === "name") return printNames(shown);
  const { printTemplate } = await import("./templates");
  return printTemplate(output, doc, opts.noHeaders, io);
}
