// Go value formatting: fmt's %v / Sprintf verbs, strconv float formatting and quoting,
// encoding/json's output, %#v. Expected values are what Go 1.23 prints.
import { describe, expect, test } from "bun:test";
import { goSharpV, goSprint, goSprintf, goSprintln, goString } from "../../src/printers/go-fmt";
import { goJson } from "../../src/printers/go-json";
import { formatFloat, goFloat, goQuote } from "../../src/printers/go-strconv";
import { GoNum, compareKeys, goTypeName } from "../../src/printers/go-value";

describe("goFloat (%v of a float64)", () => {
  const cases: [number, string][] = [
    [0.5, "0.5"],
    [1234567.5, "1.2345675e+06"],
    [1e6, "1e+06"],
    [123456, "123456"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e-7, "1e-07"],
    [1e21, "1e+21"],
    [1e20, "1e+20"],
    [-2.5, "-2.5"],
    [0.1 + 0.2, "0.30000000000000004"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [100, "100"],
    [0, "0"],
  ];
  for (const [x, want] of cases) test(`${x} → ${want}`, () => expect(goFloat(x)).toBe(want));
});

describe("formatFloat with a precision rounds the exact value, ties to even", () => {
  const cases: [number, "e" | "f" | "g", number, string][] = [
    [2.5, "f", 0, "2"],
    [3.5, "f", 0, "4"],
    [0.125, "f", 2, "0.12"],
    [0.375, "f", 2, "0.38"],
    [1.005, "f", 2, "1.00"],
    [1e21, "f", 0, "1000000000000000000000"],
    [123.456, "e", 2, "1.23e+02"],
    [0.0001234, "g", 2, "0.00012"],
    [123456789, "g", 3, "1.23e+08"],
    [100, "g", 3, "100"],
    [1e6, "g", 3, "1e+06"],
    [9.999, "f", 2, "10.00"],
    [0.5, "f", 6, "0.500000"],
    [-0.0000001, "e", 3, "-1.000e-07"],
  ];
  for (const [x, fmt, prec, want] of cases) test(`${x} %.${prec}${fmt} → ${want}`, () => expect(formatFloat(x, fmt, prec)).toBe(want));
});

describe("goSprintf", () => {
  const cases: [string, unknown[], string][] = [
    ["%d|%5d|%-5d|%05d|%+d", [42, 42, 42, 42, 42], "42|   42|42   |00042|+42"],
    ["%5.1f|%-8.3f|%.0f|%f|%f", [3.14159, 2.5, 2.5, new GoNum(1, "float64"), 1], "  3.1|2.500   |2|1.000000|%!f(int64=1)"],
    ["%e|%E|%g|%G", [1234.5678, 1234.5678, 0.000012345, 1e21], "1.234568e+03|1.234568E+03|1.2345e-05|1E+21"],
    ["%s|%10s|%-6s|%.2s", ["ab", "ab", "ab", "abc"], "ab|        ab|ab    |ab"],
    ["%q|%q", ['say "hi"', "héllo\n"], '"say \\"hi\\""|"héllo\\n"'],
    ["%x|%X|%x|%#x|%o|%b", [255, 255, "hi", 255, 8, 5], "ff|FF|6869|0xff|10|101"],
    ["%t|%v|%v", [true, null, [1, "a", null]], "true|<nil>|[1 a <nil>]"],
    ["%v", [{ b: 1, a: { y: 2.5, x: "s" } }], "map[a:map[x:s y:2.5] b:1]"],
    ["%d|%s|%t", ["str", 5, 3], "%!d(string=str)|%!s(int64=5)|%!t(int64=3)"],
    ["%s|%d", [null, null], "%!s(<nil>)|%!d(<nil>)"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["%d", [1, 2, "x", null], "1%!(EXTRA int64=2, string=x, <nil>)"],
    ["100%%|%z", [1], "100%|%!z(int64=1)"],
    ["%", [], "%!(NOVERB)"],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%s", [[1, 2]], "[%!s(int64=1) %!s(int64=2)]"],
    ["%T %T %T %T", ["s", 1, 1.5, { a: 1 }], "string int64 float64 map[string]interface {}"],
    ["%v", [new GoNum(3, "int")], "3"],
    ["%s", [new GoNum(3, "int")], "%!s(int=3)"],
    ["%6.2f%%", [0.5], "  0.50%"],
    ["%c|%U", [65, 0x1f600], "A|U+1F600"],
  ];
  for (const [format, args, want] of cases) test(`${format}`, () => expect(goSprintf(format, args as never)).toBe(want));
});

test("goSprint adds spaces only between non-strings; Sprintln always", () => {
  expect(goSprint(["a", 1, 2, "b", "c", true, false])).toBe("a1 2bctrue false");
  expect(goSprintln(["a", 1, "b"])).toBe("a 1 b\n");
});

test("goString prints maps with sorted keys and nils as <nil>", () => {
  expect(goString({ z: null, a: [], m: {} })).toBe("map[a:[] m:map[] z:<nil>]");
  expect(goString(null)).toBe("<nil>");
  expect(goString(12345678901)).toBe("12345678901");
});

test("goQuote is strconv.Quote", () => {
  expect(goQuote('a"b\\')).toBe('"a\\"b\\\\"');
  expect(goQuote("\x01\x7f\t")).toBe('"\\x01\\x7f\\t"');
  expect(goQuote("é 日本")).toBe('"é 日本"');
  expect(goQuote("\u00a0\u2028")).toBe('"\\u00a0\\u2028"');
  expect(goQuote("😀")).toBe('"😀"');
});

test("goJson is encoding/json: sorted keys, HTML-safe, Go 1.22 \\b and \\f", () => {
  expect(goJson({ b: "<&>", a: [1, 1.5, null, true] })).toBe('{"a":[1,1.5,null,true],"b":"\\u003c\\u0026\\u003e"}');
  expect(goJson("\b\f\u2028\u0001")).toBe('"\\b\\f\\u2028\\u0001"');
  expect(goJson({ x: { y: [] }, e: {} }, "    ")).toBe('{\n    "e": {},\n    "x": {\n        "y": []\n    }\n}');
  expect(goJson([1e21, 1e-7, 12345678901])).toBe("[1e+21,1e-7,12345678901]");
});

test("goSharpV is %#v of decoded JSON", () => {
  expect(goSharpV({ b: [1, "x", null], a: 1.5, c: true })).toBe('map[string]interface {}{"a":1.5, "b":[]interface {}{1, "x", interface {}(nil)}, "c":true}');
});

test("type names", () => {
  expect([goTypeName("s"), goTypeName(1), goTypeName(1.5), goTypeName(true), goTypeName([]), goTypeName({}), goTypeName(null)]).toEqual([
    "string",
    "int64",
    "float64",
    "bool",
    "[]interface {}",
    "map[string]interface {}",
    "<nil>",
  ]);
  expect(goTypeName(2 ** 64)).toBe("float64");
});

test("map keys sort by code point, as Go sorts by bytes", () => {
  expect(["😀", "\uffff", "a", "B"].sort(compareKeys)).toEqual(["B", "a", "\uffff", "😀"]);
});
