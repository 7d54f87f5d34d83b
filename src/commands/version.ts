import { defineCommand, runtime } from "../cli/command";
import { printVersion } from "../version/index";
import { output } from "./_shared";

export default defineCommand({
  args: {
    ...output({ options: ["json", "yaml"] }),
    client: { type: "boolean", description: "Print the client version only, without contacting the server" },
  },
  async run(ctx) {
    await printVersion(runtime(ctx), { clientOnly: ctx.args.client === true, output: ctx.args.output });
  },
});
