import { defineCommand, runtime } from "../cli/command";
import { whoami } from "../auth/local-identity";

export default defineCommand({
  args: {
    output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await whoami(rt, ctx.args.output));
  },
});
