import { defineCommand, runtime } from "../../cli/command";
import { whoami } from "../../reviews/self-subject-review";

// Asks the control plane of the resolved scope (no kubeconfig involved).
export default defineCommand({
  args: {
    output: { type: "string", alias: "o", valueHint: "format", description: "Output format: json or yaml (default: a table)" },
  },
  async run(ctx) {
    await whoami(runtime(ctx), ctx.args.output);
  },
});
