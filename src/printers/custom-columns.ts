// kubectl's -o custom-columns=SPEC and -o custom-columns-file=FILE printers: parse the column
// specs, evaluate each column's jsonpath per object, print with kubectl's tabwriter settings.
// Values print as fmt.Sprint does (`<nil>`, `map[a:b]`, `[x y]`), several results of one column
// are joined with ",", no result is `<none>`, and ESC / CR are made visible as kubectl does.
import { goString } from "./go-fmt";
import { type GoAny, PrinterError } from "./go-value";
import { JsonPath, JsonPathExecError, JsonPathSyntaxError, relaxedJsonPath } from "./jsonpath/index";
import { INVALID } from "./jsonpath/eval";
import { tabwrite } from "./tabwriter";

export interface Column {
  header: string;
  /** A full jsonpath template, already relaxed: `{.metadata.name}`. */
  fieldSpec: string;
}

/** Parse `-o custom-columns=NAME:.metadata.name,UID:{.metadata.uid}` (the part after `=`). */
export function parseCustomColumnsSpec(spec: string): Column[] {
  if (spec.length === 0) throw new PrinterError("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) throw new PrinterError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPath(part.slice(colon + 1)) };
  });
}

/** Alias of parseCustomColumnsSpec. */
export const parseCustomColumns = parseCustomColumnsSpec;

const FORMAT_HINT = "Expected format is one line of space separated headers, one line of space separated column specs.";

/** Go's unicode.IsSpace, which bufio.ScanWords splits on. */
const words = (line: string) => line.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((w) => w.length > 0);

/** Parse a custom-columns file: one line of headers, one line of paths, whitespace-separated. */
export function parseCustomColumnsFile(text: string): Column[] {
  // bufio.Scanner lines: split on \n, a trailing \r dropped, no line for a final empty tail.
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (text.endsWith("\n")) lines.pop();
  if (text.length === 0 || lines.length < 1) throw new PrinterError(`invalid template, missing header line. ${FORMAT_HINT}`);
  const headers = words(lines[0]!);
  if (lines.length < 2) throw new PrinterError(`invalid template, missing spec line. ${FORMAT_HINT}`);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length) {
    throw new PrinterError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPath(specs[i]!) }));
}

/** kubectl's printers.EscapeTerminal. */
const escapeTerminal = (s: string) => s.replaceAll("\x1b", "^[").replaceAll("\r", "\\r");

function tabulate(lines: string[]): string {
  if (lines.length === 0) return "";
  // The tabwriter sees one stream: a value with a tab or newline makes extra cells or lines.
  const rows = lines
    .join("\n")
    .split("\n")
    .map((line) => line.split("\t"));
  return tabwrite(rows);
}

export interface CustomColumnsOptions {
  /** --no-headers */
  noHeaders?: boolean;
}

/**
 * Render objects as kubectl does: `value` is what kubectl hands the printer (a List, or one
 * object), or simply an array of objects. Anything with an `items` array counts as a list, one
 * row per item.
 */
export function printCustomColumns(columns: Column[], value: unknown, opts: CustomColumnsOptions = {}): string {
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(columns.map((c) => c.header).join("\t"));
  let parsers: JsonPath[];
  try {
    parsers = columns.map((c) => JsonPath.parse(c.fieldSpec));
  } catch (e) {
    // kubectl parses the columns after writing the header, and flushes it on the way out.
    if (e instanceof JsonPathSyntaxError) throw new PrinterError(e.message, e.message, tabulate(lines));
    throw e;
  }
  const v = value as { items?: unknown };
  const objects = Array.isArray(value) ? value : v !== null && typeof v === "object" && Array.isArray(v.items) ? (v.items as unknown[]) : [value];
  for (const obj of objects) {
    const cells: string[] = [];
    for (const parser of parsers) {
      let groups;
      try {
        groups = parser.findResults(obj, { allowMissingKeys: true });
      } catch (e) {
        if (e instanceof JsonPathExecError) throw new PrinterError(e.message, e.message, tabulate(lines));
        throw e;
      }
      const strings: string[] = [];
      if (groups.length === 0 || groups[0]!.length === 0) strings.push("<none>");
      for (const group of groups) for (const r of group) strings.push(escapeTerminal(r === INVALID ? "<nil>" : goString(r as GoAny)));
      cells.push(strings.join(","));
    }
    lines.push(cells.join("\t"));
  }
  return tabulate(lines);
}
