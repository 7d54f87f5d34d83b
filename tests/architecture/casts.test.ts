// Commands read their flags typed from the definitions (defineCommand in src/cli/command.ts),
// and flags several commands share are declared once (src/commands/_shared.ts). A cast in a
// command, or a shared flag declared again beside a command, fails here.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dir, "../..");
const commandsDir = join(root, "src/commands");
const sources = readdirSync(commandsDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: relative(root, join(commandsDir, f)), text: readFileSync(join(commandsDir, f), "utf8") }));

const CAST = /\bas\s+(?:never\b|any\b|unknown\s+as\b|Record\s*<\s*string\s*,\s*unknown\s*>)/;

/** "file:line: text" for every match of `pattern` outside comments. */
function find(pattern: RegExp, only?: (file: string) => boolean): string[] {
  const hits: string[] = [];
  for (const { file, text } of sources) {
    if (only && !only(file)) continue;
    text.split("\n").forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      if (code.match(pattern)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe("src/commands", () => {
  test("the pattern catches every forbidden cast", () => {
    const samples = ["x as never", "y as any", "z as unknown as T", "ctx.args as Record<string, unknown>", "a as Record<string,unknown>"];
    expect(samples.filter((s) => !s.match(CAST))).toEqual([]);
    expect("a as string[]".match(CAST)).toBeNull();
  });

  test("the command files are found", () => {
    expect(sources.map((s) => s.file)).toContain("src/commands/get.ts");
    expect(sources.map((s) => s.file)).toContain("src/commands/auth/can-i.ts");
  });

  test("no command casts with as never, as any, as unknown as or as Record<string, unknown>", () => {
    expect(find(CAST)).toEqual([]);
  });

  test("-o, -f, -R, -l and -A are declared only in _shared.ts", () => {
    const shared = /alias:\s*"[ofRlA]"/;
    expect(find(shared, (f) => !f.endsWith("/_shared.ts"))).toEqual([]);
    const inShared = (c: string) => find(new RegExp(`alias:\\s*"${c}"`), (f) => f.endsWith("/_shared.ts")).length > 0;
    expect(["o", "f", "R", "l", "A"].filter((c) => !inShared(c))).toEqual([]);
  });
});
