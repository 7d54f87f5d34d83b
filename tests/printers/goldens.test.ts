// Replays every golden recorded from kubectl 1.32 (scripts/record-printer-goldens.ts) through
// our printers, offline: same template, same input objects, and the output must match byte for
// byte. For failures, our error message must be kubectl's stderr after its "error: " prefix, and
// what we say was already written must be kubectl's stdout.
import { describe, expect, test } from "bun:test";
import { parseCustomColumnsFile, parseCustomColumnsSpec, printCustomColumns } from "../../src/printers/custom-columns";
import { printGoTemplate } from "../../src/printers/go-template/index";
import { PrinterError } from "../../src/printers/go-value";
import { printJsonPath, printJsonPathAsJson } from "../../src/printers/jsonpath/index";
import customColumns from "../fixtures/printers/custom-columns.json";
import goTemplate from "../fixtures/printers/go-template.json";
import jsonpath from "../fixtures/printers/jsonpath.json";

interface Golden {
  name: string;
  input: string;
  args: string[];
  format: string;
  template: string;
  noHeaders: boolean;
  allowMissingKeys: boolean;
  stdout: string;
  stderr: string;
  exitCode: number;
}

interface Fixture {
  kubectl: string;
  inputs: Record<string, unknown>;
  cases: Golden[];
}

function print(c: Golden, input: unknown): string {
  const allowMissingKeys = c.allowMissingKeys;
  switch (c.format) {
    case "jsonpath":
    case "jsonpath-file":
      return printJsonPath(c.template, input, { allowMissingKeys });
    case "jsonpath-as-json":
      return printJsonPathAsJson(c.template, input, { allowMissingKeys });
    case "custom-columns":
      return printCustomColumns(parseCustomColumnsSpec(c.template), input, { noHeaders: c.noHeaders });
    case "custom-columns-file":
      return printCustomColumns(parseCustomColumnsFile(c.template), input, { noHeaders: c.noHeaders });
    default:
      return printGoTemplate(c.template, input, { allowMissingKeys });
  }
}

/** What kubectl printed for an error: "error: " + message, plus a newline if it had none. */
const asStderr = (message: string) => `error: ${message}${message.endsWith("\n") ? "" : "\n"}`;

function replay(fixture: Fixture) {
  for (const c of fixture.cases) {
    const input = structuredClone(fixture.inputs[c.input]);
    test(`${c.format}: ${c.name}`, () => {
      if (c.exitCode === 0) {
        expect(c.stderr).toBe("");
        expect(print(c, input)).toBe(c.stdout);
        return;
      }
      let error: unknown;
      try {
        print(c, input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PrinterError);
      const e = error as PrinterError;
      expect(asStderr(e.message)).toBe(c.stderr);
      expect(e.partialOutput).toBe(c.stdout);
    });
  }
}

describe("jsonpath goldens (kubectl 1.32)", () => replay(jsonpath as Fixture));
describe("custom-columns goldens (kubectl 1.32)", () => replay(customColumns as Fixture));
describe("go-template goldens (kubectl 1.32)", () => replay(goTemplate as Fixture));
