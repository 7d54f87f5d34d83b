import { defineCommand, runtime } from "../../cli/command";
import { whoami } from "../../reviews/self-subject-review";
import { output } from "../_shared";

// Asks the control plane of the resolved scope (no kubeconfig involved).
export default defineCommand({
  meta: {
    examples: {
      "Ask the API server who you are, with your groups": "datumctl auth whoami",
      "Ask the organization acme's control plane, as YAML": "datumctl auth whoami --organization acme -o yaml",
    },
    seeAlso: ["datumctl whoami", "datumctl auth can-i"],
  },
  args: {
    ...output({ description: "Output format: json or yaml (default: a table)" }),
  },
  async run(ctx) {
    await whoami(runtime(ctx), ctx.args.output);
  },
});
