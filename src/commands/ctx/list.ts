import { defineCommand, runtime } from "../../cli/command";
import { listContexts } from "../../contexts/index";
import { allSessions, output } from "../_shared";

export default defineCommand({
  args: {
    ...allSessions,
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await listContexts(rt, { all: ctx.args.all === true, output: ctx.args.output, refresh: false }));
  },
});
