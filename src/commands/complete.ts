import { defineCommand, runtime } from "../cli/command";
import { complete } from "../completion/index";

export default defineCommand({
  args: { words: { type: "positional", required: false, variadic: true } },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await complete(ctx.args._, rt));
  },
});
