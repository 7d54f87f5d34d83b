// -o for get: every format the printers have, a table when -o is empty.
import { GET_FORMATS, type Output, parseOutput as parse } from "../printers/index";

export function parseOutput(raw: string | undefined, template?: string): Output {
  return parse(raw, { formats: GET_FORMATS, template }) ?? { kind: "table" };
}
