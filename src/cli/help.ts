// Help text in the shape kubectl and the Go datumctl print (Cobra's), on stdout.
import type { ArgsDef, CommandDef, CommandMeta } from "citty";
import { type HelpGroup, type HelpMeta, groupOf } from "./command";
import type { FlagDef } from "./flags";
import { GLOBAL_FLAGS } from "./globals";

const GROUP_ORDER: HelpGroup[] = ["Authentication", "Context", "Resource Management", "Other Commands"];

async function value<T>(v: T | Promise<T> | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

function columns(rows: [string, string][], indent = "  "): string {
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `${indent}${l.padEnd(width)}   ${r}`.trimEnd()).join("\n");
}

function flagRows(defs: ArgsDef): [string, string][] {
  const rows: [string, string][] = [];
  for (const [name, d] of Object.entries(defs)) {
    const def = d as FlagDef;
    if (def.type === "positional" || def.hidden) continue;
    const aliases = ("alias" in def ? [def.alias].flat() : []).filter((a): a is string => !!a);
    const short = aliases.find((a) => a.length === 1);
    const longName = short ? `-${short}, --${name}` : `    --${name}`;
    const type = def.type === "boolean" ? "" : ` ${def.valueHint ?? "string"}`;
    let text = def.description ?? "";
    if (def.type === "enum" && def.options) text += ` (one of: ${def.options.join(", ")})`;
    if (def.default !== undefined && def.default !== "" && def.type !== "boolean") text += ` (default "${def.default}")`;
    rows.push([`${longName}${type}`, text]);
  }
  return rows;
}

function synopsis(path: string[], defs: ArgsDef, hasSubs: boolean): string {
  const words = Object.entries(defs)
    .filter(([, d]) => d.type === "positional")
    .map(([n, d]) => (d.required === false ? `[${n.toUpperCase()}]` : n.toUpperCase()));
  const base = path.join(" ");
  if (hasSubs && words.length === 0) return `${base} [command]`;
  return [base, ...words, "[flags]"].join(" ");
}

export async function renderHelp(cmd: CommandDef<any>, path: string[]): Promise<string> {
  const meta = ((await value(cmd.meta)) ?? {}) as CommandMeta & HelpMeta;
  const defs = ((await value(cmd.args)) ?? {}) as ArgsDef;
  const group = groupOf(cmd);
  const parts: string[] = [];
  if (meta.description) parts.push(meta.description);

  parts.push(`Usage:\n  ${synopsis(path, defs, !!group)}`);
  if (group) {
    const visible = group.entries.filter((e) => !e.hidden);
    if (path.length === 1) {
      for (const g of GROUP_ORDER) {
        const rows = visible.filter((e) => (e.group ?? "Other Commands") === g).map((e) => [e.name, e.description] as [string, string]);
        if (rows.length) parts.push(`${g}:\n${columns(rows)}`);
      }
    } else {
      parts.push(`Available Commands:\n${columns(visible.map((e) => [e.name, e.description]))}`);
    }
  }
  const aliases = [meta.alias].flat().filter(Boolean);
  if (aliases.length) parts.push(`Aliases:\n  ${[path.at(-1), ...aliases].join(", ")}`);
  const examples = Object.entries(meta.examples ?? {});
  if (examples.length) parts.push(`Examples:\n${examples.map(([what, line]) => `  # ${what}\n  ${line}`).join("\n\n")}`);
  parts.push(`Flags:\n${columns([...flagRows(defs), ["-h, --help", `Help for ${path.at(-1)}`]])}`);
  parts.push(`Global Flags:\n${columns(flagRows(GLOBAL_FLAGS))}`);
  if (meta.seeAlso?.length) parts.push(`See Also:\n${meta.seeAlso.map((line) => `  ${line}`).join("\n")}`);
  if (group) parts.push(`Use "${path.join(" ")} <command> --help" for more information about a command.`);
  return parts.join("\n\n") + "\n";
}
