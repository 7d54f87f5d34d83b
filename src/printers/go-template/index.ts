// kubectl's -o go-template / go-template-file / template / templatefile printer, on a subset of
// Go's text/template (see README "go-template" for what is supported). Pure: template text and
// the object kubectl would print in, text out, or a PrinterError carrying kubectl's message and
// what kubectl had already written to stdout (partial output plus its debugging dump).
import { goString } from "../go-fmt";
import { goJson } from "../go-json";
import { goQuote } from "../go-strconv";
import { type GoAny, PrinterError } from "../go-value";
import { GoTemplateExecError, State } from "./exec";
import { GoTemplateParseError, GoTemplateUnsupportedError, type Tree, parseGoTemplate } from "./parse";

export { GoTemplateExecError } from "./exec";
export { GoTemplateParseError, GoTemplateUnsupportedError, parseGoTemplate } from "./parse";

/** A template uses something datumctl's go-template does not implement (define, block, template, call, complex numbers). */
export class UnsupportedTemplateError extends PrinterError {
  override name = "UnsupportedTemplateError";
}

export interface GoTemplateOptions {
  /** --allow-missing-template-keys (default true): missing keys print `<no value>` instead of failing. */
  allowMissingKeys?: boolean;
}

function parseForPrinter(template: string): Tree {
  try {
    return parseGoTemplate(template);
  } catch (e) {
    if (e instanceof GoTemplateParseError) throw new PrinterError(`error parsing template ${template}, ${e.message}`, e.message);
    if (e instanceof GoTemplateUnsupportedError) throw new UnsupportedTemplateError(e.message);
    throw e;
  }
}

/** Run a template; text/template's own error text on failure (GoTemplateExecError), with no kubectl wrapping. */
export function executeGoTemplate(template: string, value: unknown, opts: GoTemplateOptions = {}): string {
  const tree = parseGoTemplate(template);
  const state = new State(tree, value as GoAny, { allowMissingKeys: opts.allowMissingKeys ?? true });
  state.run(value as GoAny);
  return state.out;
}

/** -o go-template=TEMPLATE as kubectl prints it. */
export function printGoTemplate(template: string, value: unknown, opts: GoTemplateOptions = {}): string {
  const tree = parseForPrinter(template);
  const state = new State(tree, value as GoAny, { allowMissingKeys: opts.allowMissingKeys ?? true });
  try {
    state.run(value as GoAny);
  } catch (e) {
    if (e instanceof GoTemplateUnsupportedError) throw new UnsupportedTemplateError(e.message, e.message, state.out);
    if (!(e instanceof GoTemplateExecError)) throw e;
    // kubectl writes the debugging help to stdout, after whatever the template had printed.
    const stdout =
      state.out +
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${template}\n` +
      `\traw data was:\n\t\t${goJson(value as GoAny)}\n` +
      `\tobject given to template engine was:\n\t\t${goString(value as GoAny)}\n\n`;
    throw new PrinterError(`error executing template ${goQuote(template)}: ${e.message}`, e.message, stdout);
  }
  return state.out;
}
