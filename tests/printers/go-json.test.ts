// The one JSON encoder in its three styles, and -o parsing, in-process.
import { expect, test } from "bun:test";
import { defaultSeed } from "../support/control-plane/seed";
import { goJson } from "../../src/printers/go-json";
import { invalidInput } from "../../src/errors";
import { parseOutput } from "../../src/printers/index";
import { printStruct, recordJson } from "../../src/printers/records";

const seed = defaultSeed(new Date("2026-11-29T12:00:00Z"));
const odd = { s: 'a<b>&c\u2028\u2029\u0001\b\f\n\r\t"\\ é 😀', n: [0, 1.5, 1e21, 1e-7, -3, 12345678901], z: null, e: {}, a: [], gone: undefined };

test("records print exactly as JSON.stringify(value, null, indent) does", () => {
  for (const v of [...seed.root, odd, [odd], "x", 5, null, []]) {
    expect(recordJson(v)).toBe(JSON.stringify(v, null, 2) + "\n");
    expect(recordJson(v, "    ")).toBe(JSON.stringify(v, null, 4) + "\n");
  }
});

test("a Go struct keeps its field order and Go's HTML-safe escapes", async () => {
  expect(await printStruct("json", { kind: "K", apiVersion: "v1", s: "<&>", gone: undefined })).toBe(
    '{\n    "kind": "K",\n    "apiVersion": "v1",\n    "s": "\\u003c\\u0026\\u003e"\n}\n',
  );
});

test("maps sort by bytes, as Go sorts them, numeric-looking keys included", () => {
  expect(goJson({ b: 1, "9": 2, "10": 3, a: undefined })).toBe('{"10":3,"9":2,"b":1}');
});

test("-o outside the allowed set gets kubectl's error, formats listed sorted; or the caller's own", () => {
  expect(() => parseOutput("wide", { formats: ["yaml", "json"] })).toThrow(
    'unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml',
  );
  expect(() => parseOutput("json=x", { formats: ["json"] })).toThrow('output format "json=x", allowed formats are: json');
  expect(() => parseOutput("jsonpath", { formats: ["jsonpath"] })).toThrow("template format specified but no template given");
  expect(parseOutput("template={.a}", { formats: ["template"] })).toEqual({ kind: "go-template", arg: "{.a}" });
  expect(parseOutput("", { formats: ["json"] })).toBeUndefined();
  expect(parseOutput(undefined, { formats: ["go-template"], template: "{{.a}}" })).toEqual({ kind: "go-template", arg: "{{.a}}" });
  expect(() => parseOutput("yaml", { formats: ["name"], unsupported: (raw) => invalidInput(`no ${raw} here`) })).toThrow("no yaml here");
});
