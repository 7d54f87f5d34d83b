// A flag parser with kubectl's (pflag's) rules, driven by citty argument definitions.
// citty's own parser reads `-o=json` as "=json", drops unknown flags silently and
// cannot collect repeated flags; kubectl users rely on all three.
import type { ArgDef, ArgsDef } from "citty";
import { invalidInput } from "../errors";

/** citty's ArgDef plus what kubectl-style flags need. */
export type FlagDef = ArgDef & {
  /** Collect every occurrence (`-f a -f b`) instead of keeping the last. */
  multiple?: boolean;
  /** Accepted but left out of help. */
  hidden?: boolean;
  /** A positional that takes every remaining word. */
  variadic?: boolean;
  /**
   * The value a value flag takes when given bare (`--dry-run` alone, kubectl's NoOptDefVal):
   * then only `--flag=value` sets another, and the next word is never taken as its value.
   */
  optionalValue?: string;
};

/** A command's flags and positionals, by name. */
export type Flags = Record<string, FlagDef>;

/** The value parseFlags gives a definition: booleans, enum options, lists for repeated flags, otherwise a string. */
type FlagValue<D> = D extends { type: "boolean" }
  ? boolean
  : D extends { type: "enum"; options: readonly (infer O extends string)[] }
    ? O
    : D extends { multiple: true }
      ? string[]
      : string;

/** A flag with a default, or a required one (parseFlags refuses its absence), always has a value; a positional may be missing even when required. */
type Always<D> = D extends { type: "positional" } ? false : D extends { default: {} } | { required: true } ? true : false;

/** What a command's run reads: each flag typed from its definition, `_` every positional word (src/main.ts builds them from ParsedFlags). */
export type FlagValues<T extends Flags> = { _: string[] } & {
  -readonly [K in keyof T]: Always<T[K]> extends true ? FlagValue<T[K]> : FlagValue<T[K]> | undefined;
};

export interface ParsedFlags {
  values: Record<string, unknown>;
  positionals: string[];
  help: boolean;
}

const BOOL_WORDS: Record<string, boolean> = { true: true, "1": true, t: true, false: false, "0": false, f: false };

function aliasesOf(def: FlagDef): string[] {
  const alias = "alias" in def ? def.alias : undefined;
  return alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
}

export function flagTable(defs: ArgsDef) {
  const long = new Map<string, string>();
  const short = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    long.set(name, name);
    for (const a of aliasesOf(def)) (a.length === 1 ? short : long).set(a, name);
  }
  return { long, short };
}

export function takesValue(def: ArgDef | undefined): boolean {
  return def !== undefined && def.type !== "boolean" && def.type !== "positional";
}

/** Whether `--flag word` makes `word` the flag's value (false for booleans and optional-value flags). */
export const takesNextWord = (def: ArgDef | undefined): boolean => takesValue(def) && (def as FlagDef).optionalValue === undefined;

/**
 * Parses argv against `defs`. `usage` names the command for the "see --help" hint.
 * Flags may appear before, between or after positionals; `--` ends the flags.
 */
export function parseFlags(argv: readonly string[], defs: ArgsDef, usage: string): ParsedFlags {
  const { long, short } = flagTable(defs);
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  const hint = `See '${usage} --help' for usage.`;

  const set = (name: string, raw: string | true, shown: string) => {
    const def = defs[name] as FlagDef;
    let value: unknown = raw;
    if (def.type === "boolean") {
      if (raw !== true) {
        const b = BOOL_WORDS[raw.toLowerCase()];
        if (b === undefined) throw invalidInput(`invalid value "${raw}" for ${shown}: must be true or false`, hint);
        value = b;
      }
    } else if (def.type === "enum" && def.options && !def.options.includes(raw as string)) {
      throw invalidInput(`invalid value "${raw}" for ${shown}`, `Allowed values: ${def.options.join(", ")}.`);
    }
    if (def.multiple) ((values[name] ??= []) as unknown[]).push(value);
    else values[name] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (tok.startsWith("--") && tok.length > 2) {
      const eq = tok.indexOf("=");
      const flag = (eq === -1 ? tok.slice(2) : tok.slice(2, eq)).replaceAll("_", "-");
      const inline = eq === -1 ? undefined : tok.slice(eq + 1);
      const name = long.get(flag);
      if (name === undefined) {
        if (flag === "help") {
          help = true;
          continue;
        }
        throw invalidInput(`unknown flag: --${flag}`, hint);
      }
      const optional = (defs[name] as FlagDef).optionalValue;
      if (!takesValue(defs[name])) {
        set(name, inline ?? true, `--${flag}`);
      } else if (inline !== undefined) {
        set(name, inline, `--${flag}`);
      } else if (optional !== undefined) {
        set(name, optional, `--${flag}`);
      } else if (i + 1 < argv.length) {
        set(name, argv[++i]!, `--${flag}`);
      } else {
        throw invalidInput(`flag needs an argument: --${flag}`, hint);
      }
      continue;
    }
    if (tok.startsWith("-") && tok.length > 1) {
      // A cluster of shorthands: -abc, -ojson, -o=json, -v9.
      for (let j = 1; j < tok.length; j++) {
        const c = tok[j]!;
        const name = short.get(c);
        if (name === undefined) {
          if (c === "h") {
            help = true;
            continue;
          }
          throw invalidInput(`unknown shorthand flag: '${c}' in ${tok}`, hint);
        }
        if (!takesValue(defs[name])) {
          if (tok[j + 1] === "=") {
            set(name, tok.slice(j + 2), `-${c}`);
            break;
          }
          set(name, true, `-${c}`);
          continue;
        }
        let rest = tok.slice(j + 1);
        if (rest.startsWith("=")) rest = rest.slice(1);
        if (rest !== "" || tok[j + 1] === "=") set(name, rest, `-${c}`);
        else if (i + 1 < argv.length) set(name, argv[++i]!, `-${c}`);
        else throw invalidInput(`flag needs an argument: '${c}' in -${c}`, hint);
        break;
      }
      continue;
    }
    positionals.push(tok);
  }

  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    if (values[name] === undefined && def.default !== undefined) values[name] = def.default;
    if (def.required && values[name] === undefined) {
      throw invalidInput(`required flag "--${name}" not set`, hint);
    }
  }
  return { values, positionals, help };
}
