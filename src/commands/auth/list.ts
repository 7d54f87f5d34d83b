import { sessionList, renderSessionList } from "../../auth/sessions";
import { defineCommand, runtime } from "../../cli/command";

export default defineCommand({
  args: {
    output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await renderSessionList(await sessionList(rt), ctx.args.output, rt));
  },
});
