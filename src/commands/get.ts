import { defineCommand } from "citty";
import { runtime } from "../cli/command";
import { DatumctlError } from "../errors";
import { getOrganizations, ORGANIZATION_ALIASES } from "../organizations/list";

export default defineCommand({
  args: {
    type: { type: "positional", required: true, description: "The resource type, e.g. organizations" },
    name: { type: "positional", required: false, description: "One resource by name" },
    output: { type: "string", alias: "o", valueHint: "format", description: "Output format: wide, name, json or yaml" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const type = ctx.args.type.toLowerCase();
    if (!ORGANIZATION_ALIASES.includes(type)) {
      throw new DatumctlError(`'datumctl get ${type}' is not available yet: only organizations can be listed in this version`, { code: "UNKNOWN_COMMAND" });
    }
    rt.io.out(await getOrganizations(rt, ctx.args.name, ctx.args.output ?? ""));
  },
});
