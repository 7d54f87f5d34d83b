// -o for get: which printer a value names, with kubectl's error for anything else.
import { invalidInput } from "../errors";

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

const ALLOWED = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

export function parseOutput(raw: string | undefined, template?: string): Output {
  if (raw === undefined || raw === "") return template ? { kind: "go-template", arg: template } : { kind: "table" };
  if (raw === "wide" || raw === "json" || raw === "yaml" || raw === "name") return { kind: raw };
  const eq = raw.indexOf("=");
  const name = eq === -1 ? raw : raw.slice(0, eq);
  const kind = WITH_ARG[name];
  if (kind) {
    const arg = eq === -1 ? template : raw.slice(eq + 1);
    if (!arg) throw invalidInput(`template format specified but no template given`, `Use -o ${name}='…'.`);
    return { kind, arg };
  }
  throw invalidInput(`unable to match a printer suitable for the output format "${raw}", allowed formats are: ${ALLOWED}`);
}

export const isTable = (o: Output) => o.kind === "table" || o.kind === "wide";
