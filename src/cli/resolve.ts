// Finds which command a command line names, the way Cobra does: words are matched against
// subcommands, flags are skipped wherever they stand.
import type { ArgsDef, CommandDef } from "citty";
import { DatumctlError } from "../errors";
import { groupOf } from "./command";
import { flagTable, takesNextWord } from "./flags";

export interface Resolved {
  cmd: CommandDef<any>;
  /** e.g. ["datumctl", "auth", "list"] */
  path: string[];
  /** argv with the command words removed: the command's own flags and positionals. */
  args: string[];
  parent?: CommandDef<any>;
}

async function value<T>(v: T | Promise<T> | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

/** Index of the first positional word in args, or -1. */
function firstWord(args: readonly string[], defs: ArgsDef): number {
  const { long, short } = flagTable(defs);
  for (let i = 0; i < args.length; i++) {
    const tok = args[i]!;
    if (tok === "--") return -1;
    if (!tok.startsWith("-") || tok === "-") return i;
    if (tok.includes("=")) continue;
    const name = tok.startsWith("--") ? long.get(tok.slice(2)) : tok.length === 2 ? short.get(tok[1]!) : undefined;
    if (name !== undefined && takesNextWord(defs[name])) i++;
  }
  return -1;
}

export async function resolveCommand(root: CommandDef<any>, argv: readonly string[]): Promise<Resolved> {
  let cmd = root;
  let parent: CommandDef<any> | undefined;
  const path = [String((await value(root.meta))?.name ?? "datumctl")];
  const args = [...argv];
  for (;;) {
    const subs = await value(cmd.subCommands);
    if (!subs) break;
    const defs = ((await value(cmd.args)) ?? {}) as ArgsDef;
    const at = firstWord(args, defs);
    if (at === -1) break;
    const word = args[at]!;
    const sub = subs[word];
    if (sub === undefined) {
      if (word === "help" && cmd === root) {
        // `datumctl help [command…]` is `datumctl [command…] --help`.
        args.splice(at, 1);
        args.push("--help");
        continue;
      }
      if (Object.values(defs).some((d) => d.type === "positional")) break;
      throw unknownCommand(word, path, cmd);
    }
    parent = cmd;
    cmd = (await value(sub))!;
    path.push(word);
    args.splice(at, 1);
  }
  return { cmd, path, args, parent };
}

function unknownCommand(word: string, path: string[], cmd: CommandDef<any>): DatumctlError {
  const guesses = suggestions(
    word,
    (groupOf(cmd)?.entries ?? []).filter((e) => !e.hidden),
  );
  const where = path.join(" ");
  return new DatumctlError(`unknown command "${word}" for "${where}"`, {
    code: "UNKNOWN_COMMAND",
    // Cobra's layout (kubectl, the Go datumctl): the candidates one per line, tab-indented.
    hint: guesses.length ? `Did you mean this?\n${guesses.map((g) => `\t${g}`).join("\n")}` : `Run '${where} --help' for a list of commands.`,
  });
}

/**
 * The commands a mistyped word may mean, closest first: as Cobra, a name (or alias) within edit
 * distance 2 or one the word starts; and a name whose start is one edit from the word, so
 * `auth gett` finds get-token.
 */
function suggestions(word: string, entries: readonly { name: string; aliases?: string[] }[]): string[] {
  const typed = word.toLowerCase();
  const score = (n: string): number => {
    const d = distance(typed, n);
    if (d <= 2) return d;
    if (typed.length >= 2 && n.startsWith(typed)) return 3;
    if (typed.length >= 3 && distance(typed, n.slice(0, typed.length)) <= 1) return 4;
    return Number.POSITIVE_INFINITY;
  };
  return entries
    .map((e) => ({ name: e.name, score: Math.min(...[e.name, ...(e.aliases ?? [])].map(score)) }))
    .filter((c) => c.score !== Number.POSITIVE_INFINITY)
    .sort((a, b) => a.score - b.score)
    .map((c) => c.name);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
