// What `get` was asked for: `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`, resolved to resources.
// Every name is checked here, with kubectl's words, before anything is sent.
import { nameError } from "./names";
import { invalidInput } from "../errors";

export interface TypeRequest {
  /** As the user typed it, for discovery. */
  type: string;
  /** Empty: list them all. */
  names: string[];
}

export function parseGetArgs(args: string[], usage = "datumctl get"): TypeRequest[] {
  if (args.length === 0) {
    throw invalidInput("you must specify the type of resource to get", `Run '${usage} --help' for examples, or 'datumctl api-resources' for the types.`);
  }
  const slashed = args.filter((a) => a.includes("/"));
  if (slashed.length > 0) {
    if (slashed.length !== args.length) {
      throw invalidInput(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'datumctl get resource/<resource_name>' instead of 'datumctl get resource resource/<resource_name>'",
      );
    }
    const out: TypeRequest[] = [];
    for (const a of args) {
      const parts = a.split("/");
      if (parts.length !== 2) throw invalidInput("arguments in resource/name form may not have more than one slash");
      const [type, name] = parts as [string, string];
      if (!type || !name) throw invalidInput("arguments in resource/name form must have a single resource and name");
      checkName(name);
      const last = out.at(-1);
      if (last && last.type === type) last.names.push(name);
      else out.push({ type, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args as [string, ...string[]];
  names.forEach(checkName);
  return types
    .split(",")
    .filter(Boolean)
    .map((type) => ({ type, names: [...names] }));
}

function checkName(name: string): void {
  const bad = nameError(name);
  if (bad) throw bad;
}
