// `--dry-run` alone means client, as kubectl reads it. The shared flag parser always takes a
// value for a string flag, so a bare --dry-run swallowed the next word: parse the command's
// words again with it spelled out.
import type { ArgsDef } from "citty";
import { parseFlags } from "../cli/flags";
import { invalidInput } from "../errors";

export function withBareDryRun(raw: readonly string[] | undefined, defs: ArgsDef, usage: string, parsed: Record<string, unknown>): Record<string, unknown> {
  if (!raw) return parsed;
  const end = raw.indexOf("--");
  const words = end === -1 ? [...raw] : raw.slice(0, end);
  if (!words.includes("--dry-run")) return parsed;
  const again = parseFlags(
    words.map((w) => (w === "--dry-run" ? "--dry-run=unchanged" : w)),
    defs,
    usage,
  );
  if (again.positionals.length) throw invalidInput(`unexpected argument "${again.positionals[0]}" for "${usage}"`, `See '${usage} --help' for usage.`);
  return again.values;
}
