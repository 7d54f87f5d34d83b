import { defineCommand } from "citty";
import { runtime } from "../cli/command";
import { whoami } from "../sessions/whoami";

export default defineCommand({
  args: {
    output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await whoami(rt, ctx.args.output));
  },
});
