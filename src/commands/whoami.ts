import { defineCommand, runtime } from "../cli/command";
import { whoami } from "../sessions/whoami";
import { output } from "./_shared";

export default defineCommand({
  args: {
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await whoami(rt, ctx.args.output));
  },
});
