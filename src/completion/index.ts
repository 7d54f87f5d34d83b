// Shell completion through @bomb.sh/tab, which speaks Cobra's protocol: the scripts call
// `datumctl complete -- <words>` and read `value\tdescription` lines and a `:directive`.
// tab prints with console.log, so its output is captured and handed back as a string.
import type { ArgsDef, CommandDef } from "citty";
import { invalidInput } from "../errors";
import type { Runtime } from "../runtime";
import { RESOURCE_COMMANDS, resourceCandidates } from "./resources";

const SHELLS = ["bash", "zsh", "fish", "powershell"];

async function captureConsole(fn: () => unknown): Promise<string> {
  const original = console.log;
  let text = "";
  console.log = (...parts: unknown[]) => void (text += parts.join(" ") + "\n");
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return text;
}

export async function completionScript(shell: string): Promise<string> {
  if (!SHELLS.includes(shell)) {
    throw invalidInput(`unsupported shell "${shell}"`, `Allowed values: ${SHELLS.join(", ")}.`);
  }
  const { script } = await import("@bomb.sh/tab");
  return captureConsole(() => script(shell, "datumctl", "datumctl"));
}

async function value<T>(v: T | Promise<T> | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

/** Enum flags complete to their allowed values, everywhere in the tree. */
async function enumHandlers(cmd: CommandDef<any>): Promise<Record<string, unknown>> {
  const args = ((await value(cmd.args)) ?? {}) as ArgsDef;
  const options: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "enum" && def.options) {
      const values = def.options;
      options[name] = (complete: (v: string, d: string) => void) => values.forEach((v) => complete(v, ""));
    }
  }
  const subs = await value(cmd.subCommands);
  const subCommands: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(subs ?? {})) subCommands[name] = await enumHandlers((await value(sub))!);
  return { options, subCommands };
}

/** Completes `words` against `tree`: the root command, with the global flags as its args. */
export async function complete(tree: CommandDef<any>, words: string[], rt?: Runtime): Promise<string> {
  const { default: tab } = await import("@bomb.sh/tab/citty");
  const config = (await enumHandlers(tree)) as { subCommands: Record<string, { args?: Record<string, unknown> }> };
  // tab's handlers are synchronous, so server-backed candidates are fetched before parsing.
  if (rt && words.length >= 2 && RESOURCE_COMMANDS.includes(words[0]!)) {
    const candidates = await resourceCandidates(rt, words);
    const handler = (done: (v: string, d: string) => void) => candidates.forEach((c) => done(c.value, c.description));
    const sub = (config.subCommands[words[0]!] ??= {});
    const def = ((await value((await value(tree.subCommands))![words[0]!]!)) as CommandDef<any>).args;
    const positional = Object.entries(((await value(def)) ?? {}) as ArgsDef).find(([, d]) => d.type === "positional")?.[0];
    if (positional) sub.args = { ...sub.args, [positional]: handler };
  }
  const t = await tab(tree, config as never);
  return captureConsole(() => t.parse(words));
}
