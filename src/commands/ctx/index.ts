import { defineCommand, type CommandEntry, commandGroup, runtime } from "../../cli/command";
import { listContexts } from "../../contexts/index";

const entries: CommandEntry[] = [
  { name: "list", aliases: ["ls"], description: "List contexts without refreshing them", load: () => import("./list") },
  { name: "use", description: "Choose the organization or project commands act on", load: () => import("./use") },
];

export default commandGroup(
  defineCommand({
    args: {
      refresh: { type: "boolean", description: "Look up your organizations and projects again first" },
      all: { type: "boolean", description: "Show the contexts of every session" },
      output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
    },
    async run(ctx) {
      const rt = runtime(ctx);
      rt.io.out(await listContexts(rt, { all: ctx.args.all === true, output: ctx.args.output, refresh: ctx.args.refresh ? true : undefined }));
    },
  }),
  entries,
);
