import { sessionList, renderSessionList } from "../../sessions/index";
import { defineCommand, runtime } from "../../cli/command";
import { output } from "../_shared";

export default defineCommand({
  meta: {
    examples: {
      "List your sessions; the active one is marked": "datumctl auth list",
      "The same, as YAML": "datumctl auth ls -o yaml",
    },
    seeAlso: ["datumctl auth switch", "datumctl login"],
  },
  args: {
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await renderSessionList(await sessionList(rt), ctx.args.output, rt));
  },
});
