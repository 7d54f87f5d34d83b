// The template printers: jsonpath, jsonpath-as-json, custom-columns and go-template, each with
// its -file form. Their engines are loaded only when asked for.
import { DatumctlError, invalidInput } from "../errors";
import type { IO } from "../io";

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
    const { PrinterError } = await import("./go-value");
    if (!(e instanceof PrinterError)) throw e;
    if (e.partialOutput && io) io.out(e.partialOutput);
    const { UnsupportedTemplateError } = await import("./go-template/index");
    const message = e.message.replace(/\n$/, "");
    throw e instanceof UnsupportedTemplateError ? invalidInput(message) : new DatumctlError(message, { code: "INVALID_INPUT" });
  }
}

/** A parsed -o (printers/index.ts's Output), taken by its shape so nothing here imports index.ts. */
type TemplateOutput = { kind: string; arg?: string };

/** One document (an object or a List) through the template printer `output` names. */
export async function printTemplate(output: TemplateOutput, doc: unknown, noHeaders: boolean, io?: IO): Promise<string> {
  switch (output.kind) {
    case "jsonpath":
    case "jsonpath-file": {
      const text = output.kind === "jsonpath" ? output.arg! : await readTemplateFile(output.arg!);
      const { printJsonPath } = await import("./jsonpath/index");
      return template(io, () => printJsonPath(text, doc));
    }
    case "jsonpath-as-json": {
      const { printJsonPathAsJson } = await import("./jsonpath/index");
      return template(io, () => printJsonPathAsJson(output.arg!, doc));
    }
    case "custom-columns":
    case "custom-columns-file": {
      const cc = await import("./custom-columns");
      const spec = output.kind === "custom-columns" ? output.arg! : await readTemplateFile(output.arg!);
      return template(io, () =>
        cc.printCustomColumns(output.kind === "custom-columns" ? cc.parseCustomColumnsSpec(spec) : cc.parseCustomColumnsFile(spec), doc, { noHeaders }),
      );
    }
    case "go-template":
    case "go-template-file": {
      const text = output.kind === "go-template" ? output.arg! : await readTemplateFile(output.arg!);
      const { printGoTemplate } = await import("./go-template/index");
      return template(io, () => printGoTemplate(text, doc));
    }
    default:
      throw invalidInput(`unsupported output ${output.kind}`);
  }
}
