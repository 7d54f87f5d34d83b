import { defineCommand, runtime } from "../../cli/command";
import { whoami } from "../../reviews/self-subject-review";
import { output } from "../_shared";

// Asks the control plane of the resolved scope (no kubeconfig involved).
export default defineCommand({
  args: {
    ...output({ description: "Output format: json or yaml (default: a table)" }),
  },
  async run(ctx) {
    await whoami(runtime(ctx), ctx.args.output);
  },
});
