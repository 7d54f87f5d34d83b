import { defineCommand, runtime } from "../cli/command";
import { printVersion } from "../version/index";
import { output } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Print the client and server versions": "datumctl version",
      "Print the client version only, without connecting": "datumctl version --client",
      "Both, as JSON": "datumctl version -o json",
    },
  },
  args: {
    ...output({ options: ["json", "yaml"] }),
    client: { type: "boolean", description: "Print the client version only, without contacting the server" },
  },
  async run(ctx) {
    await printVersion(runtime(ctx), { clientOnly: ctx.args.client === true, output: ctx.args.output });
  },
});
