import { defineCommand, runtime } from "../../cli/command";
import { listContexts } from "../../contexts/index";

export default defineCommand({
  args: {
    all: { type: "boolean", description: "Show the contexts of every session" },
    output: { type: "enum", alias: "o", options: ["json", "yaml"], valueHint: "format", description: "Output format" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await listContexts(rt, { all: ctx.args.all === true, output: ctx.args.output, refresh: false }));
  },
});
