import { sessionList, renderSessionList } from "../../sessions/index";
import { defineCommand, runtime } from "../../cli/command";
import { output } from "../_shared";

export default defineCommand({
  args: {
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await renderSessionList(await sessionList(rt), ctx.args.output, rt));
  },
});
