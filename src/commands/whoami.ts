import { defineCommand, runtime } from "../cli/command";
import { whoami } from "../sessions/whoami";
import { output } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Show who you are signed in as and which organization or project commands act on": "datumctl whoami",
      "The same, as JSON": "datumctl whoami -o json",
    },
    seeAlso: ["datumctl auth whoami", "datumctl ctx"],
  },
  args: {
    ...output({ options: ["json", "yaml"] }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await whoami(rt, ctx.args.output));
  },
});
