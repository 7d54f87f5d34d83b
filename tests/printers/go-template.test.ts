// go-template corners beyond the goldens: the unsupported constructs, variable scoping, byte
// columns in error positions, kubectl's error wrapping, base64 error offsets.
import { describe, expect, test } from "bun:test";
import { base64DecodeGo } from "../../src/printers/go-template/funcs";
import {
  GoTemplateExecError,
  GoTemplateParseError,
  UnsupportedTemplateError,
  executeGoTemplate,
  parseGoTemplate,
  printGoTemplate,
} from "../../src/printers/go-template/index";
import { PrinterError } from "../../src/printers/go-value";

const obj = {
  kind: "DNSZone",
  metadata: { name: "tricky", labels: { b: "2", a: "1", "😀": "smile", "\uffff": "max" } },
  spec: { tags: ["a", "b", "c"], n: 3, r: 0.5, nothing: null },
};
const run = (t: string, data: unknown = obj) => printGoTemplate(t, data);

describe("the supported subset", () => {
  test("fields, variables, pipelines and functions", () => {
    expect(run('{{.metadata.name}} {{$t := .spec.tags}}{{len $t}} {{index $t 1 | printf "%q"}} {{.spec.n | printf "%03d"}}')).toBe('tricky 3 "b" 003');
  });

  test("if / else if / else, with / else with, range / else", () => {
    expect(run("{{if eq .spec.n 1}}one{{else if eq .spec.n 3}}three{{else}}other{{end}}")).toBe("three");
    expect(run("{{with .spec.missing}}x{{else with .spec.tags}}{{len .}}{{else}}none{{end}}")).toBe("3");
    expect(run("{{range .spec.nothing}}x{{else}}empty{{end}}")).toBe("empty");
  });

  test("range over a map visits keys in Go's byte order", () => {
    expect(run("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}")).toBe("a=1 b=2 \uffff=max 😀=smile ");
  });

  test("variables are scoped to their control structure", () => {
    expect(() => run("{{if true}}{{$x := 1}}{{end}}{{$x}}")).toThrow('template: output:1: undefined variable "$x"');
    expect(run("{{$x := 1}}{{range .spec.tags}}{{$x = .}}{{end}}{{$x}}")).toBe("c");
    expect(run("{{range $i, $t := .spec.tags}}{{$i}}{{$t}}{{end}}")).toBe("0a1b2c");
  });

  test("break and continue", () => {
    expect(run('{{range .spec.tags}}{{if eq . "a"}}{{continue}}{{end}}{{if eq . "c"}}{{break}}{{end}}{{.}}{{end}}')).toBe("b");
  });

  test("trim markers and comments", () => {
    expect(run("a  {{- .kind -}}  b {{/* gone */}}c{{- /* also gone */ -}}  d")).toBe("aDNSZoneb cd");
  });

  test("missing keys print <no value>, or fail with missingkey=error", () => {
    expect(run('{{.spec.missing}} {{.spec.nothing}} {{index .metadata.labels "zz"}}')).toBe("<no value> <no value> <no value>");
    expect(() => printGoTemplate("{{.spec.missing}}", obj, { allowMissingKeys: false })).toThrow('map has no entry for key "missing"');
  });
});

describe("unsupported constructs are named", () => {
  const cases: [string, string][] = [
    ['{{define "x"}}a{{end}}', "{{define}}"],
    ['{{template "x"}}', "{{template}}"],
    ['{{block "x" .}}a{{end}}', "{{block}}"],
    ["{{call .x}}", "call"],
    ["{{1i}}", "complex number"],
  ];
  for (const [template, named] of cases) {
    test(template, () => {
      expect(() => run(template)).toThrow(UnsupportedTemplateError);
      expect(() => run(template)).toThrow(named);
    });
  }
});

describe("errors", () => {
  test("parse errors are Go's, wrapped as kubectl does", () => {
    expect(() => parseGoTemplate("{{.a")).toThrow(GoTemplateParseError);
    expect(() => run("{{.a")).toThrow("error parsing template {{.a, template: output:1: unclosed action");
  });

  test("execution errors: Go's location counts bytes, kubectl adds the debugging dump to stdout", () => {
    const data = { a: "x" };
    expect(() => executeGoTemplate("é{{.a.b.c}}", data)).toThrow(GoTemplateExecError);
    expect(() => executeGoTemplate("é{{.a.b.c}}", data)).toThrow(
      `template: output:1:6: executing "output" at <.a.b.c>: can't evaluate field b in type interface {}`,
    );
    try {
      run("ok {{.a.b}}", data);
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(PrinterError);
      const err = e as PrinterError;
      expect(err.message).toBe(
        `error executing template "ok {{.a.b}}": template: output:1:7: executing "output" at <.a.b>: can't evaluate field b in type interface {}`,
      );
      expect(err.partialOutput).toBe(
        `ok Error executing template: ${err.reason}. Printing more information for debugging the template:\n\ttemplate was:\n\t\tok {{.a.b}}\n\traw data was:\n\t\t{"a":"x"}\n\tobject given to template engine was:\n\t\tmap[a:x]\n\n`,
      );
    }
  });
});

test("base64decode reports Go's byte offsets", () => {
  expect(base64DecodeGo("YQ==")).toBe("a");
  expect(base64DecodeGo("aGVs\nbG8=")).toBe("hello");
  expect(() => base64DecodeGo("YQ")).toThrow("illegal base64 data at input byte 0");
  expect(() => base64DecodeGo("YQ=")).toThrow("illegal base64 data at input byte 3");
  expect(() => base64DecodeGo("YQ==YQ==")).toThrow("illegal base64 data at input byte 4");
  expect(() => base64DecodeGo("a!")).toThrow("illegal base64 data at input byte 1");
});

describe("printf bounds widths and precisions as Go's fmt does (at 1e6)", () => {
  // Outputs as kubectl 1.32 prints them; before, each of these asked for a gigabyte of padding.
  test("a width or precision from an operand beyond the bound is BADWIDTH / BADPREC", () => {
    expect(run('{{printf "%*d" 1000000000 5}}')).toBe("%!(BADWIDTH)5");
    expect(run('{{printf "%-*d|" -1000001 5}}')).toBe("%!(BADWIDTH)5|");
    expect(run('{{printf "%.*d" 1000000000 5}}')).toBe("%!(BADPREC)5");
    expect(run('{{printf "%.*s" .spec.n "abcdef"}}')).toBe("abc");
  });

  test("a width or precision written in the format that overflows swallows the rest, as Go's parsenum does", () => {
    expect(run('{{printf "%1000000000d" 5}}')).toBe("%!(NOVERB)%!(EXTRA int=5)");
    expect(run('{{printf "%99999999d|x" 5}}')).toBe("%!(NOVERB)%!(EXTRA int=5)");
    expect(run('{{printf "%.1000000000d|" 5}}')).toBe("%!(NOVERB)%!(EXTRA int=5)");
    expect(run('{{printf "%5.1000000000f|" 1.5}}')).toBe("%!(NOVERB)%!(EXTRA float64=1.5)");
  });

  test("up to the bound, widths still apply", () => {
    expect(run('{{printf "%*d|" 1000000 5 | len}}')).toBe("1000001");
    expect(run('{{printf "%*d|" 1000001 5 | len}}')).toBe("14");
    // parsenum checks the bound before each digit, so 8 digits can still pass.
    expect(run('{{printf "%10000009d|" 5 | len}}')).toBe("10000010");
  });
});
