import { defineCommand } from "citty";
import { sessionList, renderSessionList } from "../../sessions/index";
import { runtime } from "../../cli/command";

export default defineCommand({
  args: {
    output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await renderSessionList(await sessionList(rt), ctx.args.output, rt));
  },
});
