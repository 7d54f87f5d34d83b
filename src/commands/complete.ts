import { defineCommand, rootOf, runtime } from "../cli/command";
import { GLOBAL_FLAGS } from "../cli/globals";
import { complete } from "../completion/index";

export default defineCommand({
  args: { words: { type: "positional", required: false, variadic: true } },
  async run(ctx) {
    const rt = runtime(ctx);
    // The whole tree, with the flags every command takes.
    const tree = { ...rootOf(ctx.cmd), args: GLOBAL_FLAGS };
    rt.io.out(await complete(tree, ctx.args._, rt));
  },
});
