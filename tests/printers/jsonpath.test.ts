// Parser and evaluator corners of the kubectl JSONPath printer that the goldens do not pin
// down on their own: node shapes, the relaxed path syntax, reuse, error classes, deep templates.
import { describe, expect, test } from "bun:test";
import { PrinterError } from "../../src/printers/go-value";
import {
  JsonPath,
  JsonPathSyntaxError,
  evaluateJsonPath,
  parseJsonPath,
  printJsonPath,
  printJsonPathAsJson,
  relaxedJsonPath,
} from "../../src/printers/jsonpath/index";

const list = {
  kind: "List",
  apiVersion: "v1",
  metadata: { resourceVersion: "" },
  items: [
    { metadata: { name: "a", labels: { "app.kubernetes.io/name": "x" } }, spec: { n: [1, 2, 3], ratio: 0.5 } },
    { metadata: { name: "b" }, spec: { n: [4] } },
  ],
};

describe("parser", () => {
  test("text and actions are top-level nodes; range and end are identifiers", () => {
    const root = parseJsonPath('x {range .items[*]}{.a}{"\\n"}{end}');
    expect(root.nodes.map((n) => n.type)).toEqual(["text", "list", "list", "list", "list"]);
    expect(root.nodes[1]).toEqual({
      type: "list",
      nodes: [
        { type: "identifier", name: "range" },
        { type: "field", value: "items" },
        {
          type: "array",
          params: [
            { value: 0n, known: false, derived: false },
            { value: 0n, known: false, derived: false },
            { value: 0n, known: false, derived: false },
          ],
        },
      ],
    });
    expect(root.nodes[3]).toEqual({ type: "list", nodes: [{ type: "text", text: "\n" }] });
  });

  test("['a.b'] becomes the fields a and b; escaped dots stay in one field", () => {
    expect(parseJsonPath("{['a.b']}").nodes[0]).toEqual({
      type: "list",
      nodes: [
        { type: "field", value: "a" },
        { type: "field", value: "b" },
      ],
    });
    expect(parseJsonPath("{.a\\.b}").nodes[0]).toEqual({ type: "list", nodes: [{ type: "field", value: "a.b" }] });
  });

  test("a single index is [i, i+1) with a derived end", () => {
    const n = parseJsonPath("{[-1]}").nodes[0] as { nodes: { params: unknown }[] };
    expect(n.nodes[0]!.params).toEqual([
      { value: -1n, known: true, derived: false },
      { value: 0n, known: true, derived: true },
      { value: 0n, known: false, derived: false },
    ]);
  });

  test("unions, filters and literals", () => {
    const u = parseJsonPath("{['a','b']}").nodes[0] as { nodes: { type: string; nodes: unknown[] }[] };
    expect(u.nodes[0]!.type).toBe("union");
    expect(u.nodes[0]!.nodes).toHaveLength(2);
    const f = parseJsonPath("{[?(@.x>=1.5)]}").nodes[0] as { nodes: { operator: string; right: unknown }[] };
    expect(f.nodes[0]!.operator).toBe(">=");
    expect(f.nodes[0]!.right).toEqual({ type: "list", nodes: [{ type: "float", value: 1.5 }] });
    const e = parseJsonPath("{[?(@.x)]}").nodes[0] as { nodes: { operator: string }[] };
    expect(e.nodes[0]!.operator).toBe("exists");
    expect(parseJsonPath("{true 7}").nodes[0]).toEqual({
      type: "list",
      nodes: [
        { type: "bool", value: true },
        { type: "int", value: 7 },
      ],
    });
  });

  test("syntax errors carry client-go's messages", () => {
    const cases: [string, string][] = [
      ["{.a", "unclosed action"],
      ["{.a[", "unterminated array"],
      ["{.a[x]}", "invalid array index x"],
      ["{.a[?(@.b]}", "unterminated filter"],
      ["{.a[?(@.b)}", "unclosed array expect ]"],
      ["{'abc}", "unterminated quoted string"],
      ["{'\\z'}", "unquote string '\\z' error invalid syntax"],
      ["{....a}", "invalid multiple recursive descent"],
      ["{#}", "unrecognized character in action: U+0023 '#'"],
      ["{.a\t}", "unrecognized character in action: U+0009"],
      ["{-}", "cannot parse number -"],
      ["{1.2.3}", "cannot parse number 1.2.3"],
    ];
    for (const [template, message] of cases) {
      expect(() => parseJsonPath(template)).toThrow(JsonPathSyntaxError);
      expect(() => parseJsonPath(template)).toThrow(message);
    }
  });

  test("a long template file does not grow the stack", () => {
    const template = "{.kind}\n".repeat(20000);
    expect(printJsonPath(template, { kind: "K" })).toBe("K\n".repeat(20000));
  });
});

describe("printing", () => {
  test("a parsed template can run again (range state is per run)", () => {
    const jp = JsonPath.parse('{range .items[*]}{.metadata.name}{"\\n"}{end}');
    const once = jp.findResults(list);
    expect(jp.findResults(list)).toEqual(once);
    expect(printJsonPath('{range .items[*]}{.metadata.name}{"\\n"}{end}', list)).toBe("a\nb\n");
  });

  test("negative indexes resolve per array", () => {
    expect(printJsonPath("{.items[*].spec.n[-1]}", list)).toBe("3 4");
  });

  test("missing keys: nothing, or kubectl's error when not allowed", () => {
    expect(printJsonPath("[{.nope}]", list)).toBe("[]");
    try {
      printJsonPath("{.nope}", list, { allowMissingKeys: false });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(PrinterError);
      expect((e as PrinterError).reason).toBe("nope is not found");
      expect((e as PrinterError).message).toStartWith(
        'error executing jsonpath "{.nope}": Error executing template: nope is not found. Printing more information',
      );
      expect((e as PrinterError).message).toEndWith("\n\n\n");
    }
  });

  test("parse errors say which template", () => {
    expect(() => printJsonPath("{.a", list)).toThrow("error parsing jsonpath {.a, unclosed action");
  });

  test("as-json prints one array per group", () => {
    expect(printJsonPathAsJson("{.kind}{.items[*].spec.ratio}", list)).toBe('[\n    "List"\n]\n[\n    0.5\n]\n');
  });
});

describe("relaxedJsonPath", () => {
  test("the four accepted forms", () => {
    for (const e of ["metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"]) expect(relaxedJsonPath(e)).toBe("{.metadata.name}");
    expect(relaxedJsonPath("")).toBe("");
    expect(relaxedJsonPath("{range .items}")).toBe("{.range .items}");
  });

  test("more braces are refused", () => {
    expect(() => relaxedJsonPath("{range .items[*]}{.a}{end}")).toThrow(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  });
});

test("evaluateJsonPath returns plain values for sort-by", () => {
  expect(evaluateJsonPath("{.spec.ratio}", list.items[0])).toEqual([0.5]);
  expect(evaluateJsonPath("{.items[*].metadata.name}", list)).toEqual(["a", "b"]);
  expect(evaluateJsonPath("{.missing}", list)).toEqual([]);
  expect(evaluateJsonPath("{7}", list)).toEqual([7]);
});

describe("indexes are int64s, as client-go's", () => {
  test("one that does not fit an int64 is a parse error, not an empty result", () => {
    for (const i of ["99999999999999999999", "9223372036854775808", "-9223372036854775809", "1:99999999999999999999", "0:2:99999999999999999999"]) {
      expect(() => printJsonPath(`{.items[${i}]}`, list)).toThrow(`error parsing jsonpath {.items[${i}]}, array index ${i.split(":").at(-1)} is not a number`);
    }
  });

  test("one past 2^53 is out of bounds, printed exactly", () => {
    for (const i of ["9007199254740993", "9223372036854775807"]) {
      expect(() => printJsonPath(`{.items[${i}]}`, list)).toThrow(`Error executing template: array index out of bounds: index ${i}, length 2.`);
    }
    expect(() => printJsonPath("{.items[-9007199254740993]}", list)).toThrow("array index out of bounds: index -9007199254740991, length 2.");
    expect(printJsonPath("{.items[0:2:9223372036854775807].metadata.name}", list)).toBe("a");
  });
});
