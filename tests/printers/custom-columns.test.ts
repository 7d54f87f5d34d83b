// custom-columns parsing and rendering beyond the goldens: inputs as arrays, single objects,
// file whitespace rules and error texts.
import { expect, test } from "bun:test";
import { parseCustomColumns, parseCustomColumnsFile, parseCustomColumnsSpec, printCustomColumns } from "../../src/printers/custom-columns";
import { PrinterError } from "../../src/printers/go-value";

const zones = [
  { metadata: { name: "example-com", labels: { env: "prod", team: "web" } }, status: { nameservers: ["ns1", "ns2"] } },
  { metadata: { name: "shop" }, spec: { nothing: null } },
];

test("a spec splits on commas, then on the first colon, and relaxes each path", () => {
  expect(parseCustomColumnsSpec("NAME:metadata.name,X:{.a:b},:.c")).toEqual([
    { header: "NAME", fieldSpec: "{.metadata.name}" },
    { header: "X", fieldSpec: "{.a:b}" },
    { header: "", fieldSpec: "{.c}" },
  ]);
  expect(parseCustomColumns).toBe(parseCustomColumnsSpec);
});

test("bad specs", () => {
  expect(() => parseCustomColumnsSpec("")).toThrow("custom-columns format specified but no custom columns given");
  expect(() => parseCustomColumnsSpec("A:.a,B")).toThrow("unexpected custom-columns spec: B, expected <header>:<json-path-expr>");
  expect(() => parseCustomColumnsSpec("A:{.a}{.b}")).toThrow(PrinterError);
});

test("a columns file: any whitespace between words, CRLF, no trailing newline needed", () => {
  expect(parseCustomColumnsFile("NAME \t  LABELS\r\n.metadata.name\t{.metadata.labels}")).toEqual([
    { header: "NAME", fieldSpec: "{.metadata.name}" },
    { header: "LABELS", fieldSpec: "{.metadata.labels}" },
  ]);
  expect(() => parseCustomColumnsFile("\n")).toThrow("invalid template, missing spec line");
  expect(() => parseCustomColumnsFile("A B\nx\n")).toThrow("number of headers (2) and field specifications (1) don't match");
});

test("rows for an array, a List, or one object", () => {
  const cols = parseCustomColumnsSpec("NAME:.metadata.name,LABELS:.metadata.labels,NS:.status.nameservers,N:.spec.nothing");
  const expected =
    "NAME          LABELS                   NS          N\nexample-com   map[env:prod team:web]   [ns1 ns2]   <none>\nshop          <none>                   <none>      <nil>\n";
  expect(printCustomColumns(cols, zones)).toBe(expected);
  expect(printCustomColumns(cols, { kind: "List", items: zones })).toBe(expected);
  expect(printCustomColumns(cols, zones[1])).toBe("NAME   LABELS   NS       N\nshop   <none>   <none>   <nil>\n");
  expect(printCustomColumns(cols, [], { noHeaders: true })).toBe("");
  expect(printCustomColumns(cols, [])).toBe("NAME   LABELS   NS    N\n"); // minwidth 6
});

test("an error while printing keeps what kubectl had already written", () => {
  try {
    printCustomColumns(parseCustomColumnsSpec("NAME:.metadata.name,X:.status.nameservers[3]"), zones);
    throw new Error("no error");
  } catch (e) {
    expect(e).toBeInstanceOf(PrinterError);
    expect((e as PrinterError).message).toBe("array index out of bounds: index 3, length 2");
    expect((e as PrinterError).partialOutput).toBe("NAME   X\n");
  }
});
