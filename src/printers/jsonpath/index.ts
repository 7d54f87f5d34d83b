// kubectl's -o jsonpath / jsonpath-file / jsonpath-as-json printers, and the relaxed path syntax
// custom-columns and --sort-by accept. Pure functions: a template and a JSON value in, text out,
// or a PrinterError with the message kubectl prints after "error: ".
//
// The value is what kubectl hands its printer: for `get` of several objects, a
// {"apiVersion":"v1","kind":"List","items":[…],"metadata":{"resourceVersion":""}} list; for a
// single named object, the object itself. managedFields are NOT stripped for these printers.
import { goSharpV } from "../go-fmt";
import { goJson } from "../go-json";
import { goFloat, goQuote } from "../go-strconv";
import { type GoAny, PrinterError } from "../go-value";
import { GoNum, goKind } from "../go-value";
import { INVALID, JsonPathEngine, JsonPathExecError, type Value, isComposite } from "./eval";
import { JsonPathSyntaxError, type ListNode, parseJsonPath } from "./parser";

export { JsonPathSyntaxError, parseJsonPath } from "./parser";
export { JsonPathExecError } from "./eval";

export interface JsonPathOptions {
  /** --allow-missing-template-keys (default true): a missing key prints nothing instead of failing. */
  allowMissingKeys?: boolean;
}

/** A parsed template, reusable (each run starts a fresh range state machine). */
export class JsonPath {
  private constructor(
    readonly template: string,
    private readonly root: ListNode,
  ) {}

  /** Parse; throws JsonPathSyntaxError with client-go's message ("unclosed action", …). */
  static parse(template: string): JsonPath {
    return new JsonPath(template, parseJsonPath(template));
  }

  /** client-go's FindResults: one list of values per top-level node and range iteration. */
  findResults(value: unknown, opts: JsonPathOptions = {}): Value[][] {
    return new JsonPathEngine(this.root, opts.allowMissingKeys ?? true).findResults(value as GoAny);
  }
}

/** client-go's evalToText: %v, except nil prints `null`. */
function toText(v: Value): string {
  if (v === INVALID) return "<no value>";
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || v instanceof GoNum)
    return goKind(v) === "int" ? String(v instanceof GoNum ? v.value : v) : goFloat(v instanceof GoNum ? v.value : v);
  return goJson(v);
}

const jsonValue = (v: Value): GoAny => (v === INVALID ? null : v);

/** Text of one result group: maps and slices as compact JSON, the rest with %v, space-separated. */
export function printResults(results: Value[]): string {
  return results.map((r) => (isComposite(r) ? goJson(jsonValue(r)) : toText(r))).join(" ");
}

/** jsonpath-as-json: each group as an indented JSON array, then a newline. */
export function printResultsAsJson(results: Value[]): string {
  return goJson(results.map(jsonValue), "    ") + "\n";
}

function parseForPrinter(template: string): JsonPath {
  try {
    return JsonPath.parse(template);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw new PrinterError(`error parsing jsonpath ${template}, ${e.message}`, e.message);
    throw e;
  }
}

/** The message kubectl prints when executing a jsonpath template fails. */
export function jsonPathExecutionMessage(template: string, value: unknown, reason: string): string {
  return (
    `error executing jsonpath ${goQuote(template)}: Error executing template: ${reason}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template}\n` +
    `\tobject given to jsonpath engine was:\n\t\t${goSharpV(value as GoAny)}\n\n\n`
  );
}

function run(template: string, value: unknown, opts: JsonPathOptions, print: (r: Value[]) => string): string {
  const jp = parseForPrinter(template);
  let groups: Value[][];
  try {
    groups = jp.findResults(value, opts);
  } catch (e) {
    if (e instanceof JsonPathExecError) throw new PrinterError(jsonPathExecutionMessage(template, value, e.message), e.message);
    throw e;
  }
  return groups.map(print).join("");
}

/** -o jsonpath=TEMPLATE (and jsonpath-file, with the file's text as the template). */
export function printJsonPath(template: string, value: unknown, opts: JsonPathOptions = {}): string {
  return run(template, value, opts, printResults);
}

/** -o jsonpath-as-json=TEMPLATE. */
export function printJsonPathAsJson(template: string, value: unknown, opts: JsonPathOptions = {}): string {
  return run(template, value, opts, printResultsAsJson);
}

/**
 * The values a template finds in `value`, all groups flattened, as plain JSON (numbers a template
 * wrote itself unboxed). For --sort-by and other callers that want data, not text. Throws
 * JsonPathSyntaxError / JsonPathExecError.
 */
export function evaluateJsonPath(template: string, value: unknown, opts: JsonPathOptions = {}): unknown[] {
  return JsonPath.parse(template)
    .findResults(value, opts)
    .flat()
    .map((v) => (v === INVALID ? undefined : v instanceof GoNum ? v.value : v));
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * kubectl's RelaxedJSONPathExpression: `metadata.name`, `.metadata.name`, `{metadata.name}` and
 * `{.metadata.name}` all become `{.metadata.name}`; "" stays "". Anything with more braces is refused.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr.length === 0) return expr;
  const m = RELAXED.exec(expr);
  if (!m) throw new PrinterError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}
