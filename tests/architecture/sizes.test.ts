// Small files: none in src/ over 400 lines or 14 KiB, but the single-algorithm files named below
// (each a port of one algorithm, whose parts read best together).
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../src");
const MAX_LINES = 400;
const MAX_BYTES = 14 * 1024;

const SINGLE_ALGORITHM: Record<string, string> = {
  "diff/gnu.ts": "GNU diffutils' choice of lines for diff -u",
  "printers/go-template/lex.ts": "Go text/template's lexer",
  "printers/go-template/parse.ts": "Go text/template's parser",
  "printers/go-template/exec.ts": "Go text/template's executor",
  "printers/jsonpath/parser.ts": "client-go's JSONPath parser",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

test(`no src file over ${MAX_LINES} lines or ${MAX_BYTES / 1024} KiB but the single-algorithm ones`, () => {
  const big = sourceFiles(SRC)
    .filter((f) => !(f in SINGLE_ALGORITHM))
    .map((f) => {
      const text = readFileSync(join(SRC, f), "utf8");
      return { f, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0), bytes: Buffer.byteLength(text) };
    })
    .filter(({ lines, bytes }) => lines > MAX_LINES || bytes > MAX_BYTES)
    .map(({ f, lines, bytes }) => `${f}: ${lines} lines, ${bytes} bytes`);
  expect(big).toEqual([]);
});

test("every file named single-algorithm still exists", () => {
  for (const f of Object.keys(SINGLE_ALGORITHM)) expect(statSync(join(SRC, f)).isFile(), f).toBe(true);
});
