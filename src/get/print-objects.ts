// Every printer but the table: json, yaml, name, and the template printers. A request for one
// object by name prints that object; anything else prints a List, as kubectl does.
import type { KubeObject } from "../api/types";
import type { IO } from "../io";
import { DatumctlError, invalidInput } from "../errors";
import { asList, goJson, goYaml, qualifiedName, withoutManagedFields } from "../printers/objects";
import type { Output } from "./output";

export interface PrintOptions {
  single: boolean;
  noHeaders: boolean;
  showManagedFields: boolean;
}

async function readTemplateFile(path: string): Promise<string> {
  try {
    return await Bun.file(path).text();
  } catch {
    throw invalidInput(`error reading ${path}: no such file`);
  }
}

/**
 * Runs a template printer. On a template error kubectl has already printed what came before
 * it (and, for go-template, a dump of the data): that goes to stdout, the error to stderr.
 */
async function template(io: IO | undefined, fn: () => string | Promise<string>): Promise<string> {
  try {
    return await fn();
  } catch (e) {
    const { PrinterError } = await import("../printers/go-value");
    if (!(e instanceof PrinterError)) throw e;
    if (e.partialOutput && io) io.out(e.partialOutput);
    const { UnsupportedTemplateError } = await import("../printers/go-template/index");
    const message = e.message.replace(/\n$/, "");
    throw e instanceof UnsupportedTemplateError ? invalidInput(message) : new DatumctlError(message, { code: "INVALID_INPUT" });
  }
}

export async function printObjects(output: Output, objects: KubeObject[], opts: PrintOptions, io?: IO): Promise<string> {
  // kubectl drops managedFields from json and yaml only; templates still see them.
  const strip = !opts.showManagedFields && (output.kind === "json" || output.kind === "yaml");
  const shown = strip ? objects.map(withoutManagedFields) : objects;
  const doc = opts.single && shown.length === 1 ? shown[0]! : asList(shown);
  switch (output.kind) {
    case "json":
      return goJson(doc) + "\n";
    case "yaml":
      return goYaml(doc);
    case "name":
      return shown.map((o) => `${qualifiedName(o)}\n`).join("");
    case "jsonpath":
    case "jsonpath-file": {
      const text = output.kind === "jsonpath" ? output.arg! : await readTemplateFile(output.arg!);
      const { printJsonPath } = await import("../printers/jsonpath/index");
      return template(io, () => printJsonPath(text, doc));
    }
    case "jsonpath-as-json": {
      const { printJsonPathAsJson } = await import("../printers/jsonpath/index");
      return template(io, () => printJsonPathAsJson(output.arg!, doc));
    }
    case "custom-columns":
    case "custom-columns-file": {
      const cc = await import("../printers/custom-columns");
      const spec = output.kind === "custom-columns" ? output.arg! : await readTemplateFile(output.arg!);
      return template(io, () => cc.printCustomColumns(output.kind === "custom-columns" ? cc.parseCustomColumnsSpec(spec) : cc.parseCustomColumnsFile(spec), doc, { noHeaders: opts.noHeaders }));
    }
    case "go-template":
    case "go-template-file": {
      const text = output.kind === "go-template" ? output.arg! : await readTemplateFile(output.arg!);
      const { printGoTemplate } = await import("../printers/go-template/index");
      return template(io, () => printGoTemplate(text, doc));
    }
    default:
      throw invalidInput(`unsupported output ${output.kind}`);
  }
}
