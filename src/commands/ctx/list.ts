import { defineCommand, runtime } from "../../cli/command";
import { listContexts } from "../../contexts/index";
import { allSessions, output } from "../_shared";

export default defineCommand({
  meta: {
    examples: {
      "List the organizations and projects of the active session": "datumctl ctx list",
      "List the contexts of every session, as JSON": "datumctl ctx ls --all -o json",
    },
    seeAlso: ["datumctl ctx use"],
  },
  args: {
    ...allSessions,
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await listContexts(rt, { all: ctx.args.all === true, output: ctx.args.output, refresh: false }));
  },
});
