// How commands are declared and found. Each command module is loaded only when it runs,
// so `datumctl <x>` parses and evaluates only x's code.
import type { CommandDef, CommandMeta } from "citty";
import type { Runtime } from "../runtime";
import type { Flags, FlagValues } from "./flags";

/** What a command's run receives (src/main.ts builds it). */
export interface Context<T extends Flags> {
  args: FlagValues<T>;
  rawArgs: string[];
  /** The command being run, as found in the tree (completion walks up from it). */
  cmd: CommandDef<any>;
  data: Runtime;
}

/**
 * What `--help` shows beyond citty's meta. examples: what each example does → the command line
 * (one line each, runnable against `npm run sandbox`); seeAlso: related command lines.
 */
export interface HelpMeta {
  examples?: Record<string, string>;
  seeAlso?: string[];
}

export interface Command<T extends Flags> {
  meta?: CommandMeta & HelpMeta;
  args?: T;
  run?: (ctx: Context<T>) => unknown;
}

/**
 * Declares a command whose run reads its flags typed from their definitions (no casts in
 * src/commands). The definitions stay plain citty ones, so help, completion and parseFlags read them.
 */
export function defineCommand<const T extends Flags = {}>(def: Command<T>): CommandDef<any> {
  // citty types run with its own parser's ParsedArgs; ours (parseFlags) builds what FlagValues says.
  return def as CommandDef<any>;
}

export type HelpGroup = "Authentication" | "Context" | "Resource Management" | "Other Commands";

/** A registry line: enough to list, find and describe a command without loading it. */
export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<{ default: CommandDef<any> }>;
  aliases?: string[];
  group?: HelpGroup;
  hidden?: boolean;
  /** Every failure of this command, a bad flag included, exits with this code (kubectl diff: 1 means "differences found", so its errors exit 2). */
  errorExitCode?: number;
}

/** What commandGroup puts in a loaded command's meta. */
export interface EntryMeta extends HelpMeta {
  name: string;
  description: string;
  hidden?: boolean;
  errorExitCode?: number;
}

export interface Group {
  /** The registry this command group was built from, kept for help and suggestions. */
  entries: CommandEntry[];
}

const GROUPS = new WeakMap<CommandDef<any>, Group>();
/** Each loaded command's group, so a command can reach the whole tree without importing it. */
const PARENTS = new WeakMap<CommandDef<any>, CommandDef<any>>();

/** A citty command whose subcommands come from a registry, each resolved lazily. */
export function commandGroup(def: CommandDef<any>, entries: CommandEntry[]): CommandDef<any> {
  const subCommands: Record<string, () => Promise<CommandDef<any>>> = {};
  const self = { ...def, subCommands };
  for (const e of entries) {
    const load = async () => {
      const cmd = (await e.load()).default;
      const meta: EntryMeta = { ...(cmd.meta as object), name: e.name, description: e.description, hidden: e.hidden, errorExitCode: e.errorExitCode };
      const named = { ...cmd, meta };
      const group = GROUPS.get(cmd);
      if (group) GROUPS.set(named, group);
      PARENTS.set(named, self);
      return named;
    };
    for (const n of [e.name, ...(e.aliases ?? [])]) subCommands[n] = load;
  }
  GROUPS.set(self, { entries });
  return self;
}

export function groupOf(cmd: CommandDef<any>): Group | undefined {
  return GROUPS.get(cmd);
}

/** The root of the tree a loaded command was found in (completion walks the whole tree). */
export function rootOf(cmd: CommandDef<any>): CommandDef<any> {
  for (let parent = PARENTS.get(cmd); parent; parent = PARENTS.get(cmd)) cmd = parent;
  return cmd;
}

/** Typed access to the injected runtime. */
export function runtime(ctx: { data?: unknown }): Runtime {
  return ctx.data as Runtime;
}
