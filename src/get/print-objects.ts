// Every printer but the table: json, yaml, name, and the template printers. A request for one
// object by name prints that object; anything else prints a List, as kubectl does.
import type { KubeObject } from "../api/types";
import { invalidInput } from "../errors";
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

/** Template errors are the user's input being wrong. */
async function template<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw invalidInput((e as Error).message);
  }
}

export async function printObjects(output: Output, objects: KubeObject[], opts: PrintOptions): Promise<string> {
  const shown = opts.showManagedFields ? objects : objects.map(withoutManagedFields);
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
      return template(() => printJsonPath(text, doc));
    }
    case "jsonpath-as-json": {
      const { printJsonPathAsJson } = await import("../printers/jsonpath/index");
      return template(() => printJsonPathAsJson(output.arg!, doc));
    }
    case "custom-columns":
    case "custom-columns-file": {
      const cc = await import("../printers/custom-columns");
      const spec = output.kind === "custom-columns" ? cc.parseCustomColumns(output.arg!) : cc.parseCustomColumnsFile(await readTemplateFile(output.arg!));
      return template(() => cc.printCustomColumns(spec, shown, { noHeaders: opts.noHeaders }));
    }
    case "go-template":
    case "go-template-file": {
      const text = output.kind === "go-template" ? output.arg! : await readTemplateFile(output.arg!);
      const printGoTemplate = (_t: string, _d: unknown): string => { throw new Error("go-template pending"); };
      return template(() => printGoTemplate(text, doc));
    }
    default:
      throw invalidInput(`unsupported output ${output.kind}`);
  }
}
