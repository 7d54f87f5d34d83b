import { type CommandEntry, commandGroup, defineCommand, runtime } from "../../cli/command";
import { listContexts } from "../../contexts/index";
import { allSessions, output } from "../_shared";

const entries: CommandEntry[] = [
  { name: "list", aliases: ["ls"], description: "List contexts without refreshing them", load: () => import("./list") },
  { name: "use", description: "Choose the organization or project commands act on", load: () => import("./use") },
];

export default commandGroup(
  defineCommand({
    meta: {
      examples: {
        "List your organizations and projects; the current one is marked": "datumctl ctx",
        "Look them up again first (after being added to one)": "datumctl ctx --refresh",
        "Act on the project web of the organization acme": "datumctl ctx use acme/web",
      },
      seeAlso: ["datumctl whoami"],
    },
    args: {
      refresh: { type: "boolean", description: "Look up your organizations and projects again first" },
      ...allSessions,
      ...output({ options: ["json", "yaml"] }),
    },
    async run(ctx) {
      const rt = runtime(ctx);
      rt.io.out(await listContexts(rt, { all: ctx.args.all === true, output: ctx.args.output, refresh: ctx.args.refresh ? true : undefined }));
    },
  }),
  entries,
);
