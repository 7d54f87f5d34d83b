import { defineCommand, runtime } from "../../cli/command";
import { renderHuman, renderJSON, runDoctor } from "../../doctor/index";
import { kubeconfig, output } from "../_shared";

// Checks everything kubectl's datumctl sign-in depends on; exits 1 when something is broken
// (warnings do not fail). The report goes to stdout, -o json for scripts.
export default defineCommand({
  meta: {
    examples: {
      "Check credential storage, sessions, kubeconfig entries and connectivity": "datumctl auth doctor",
      "The same checks, as JSON": "datumctl auth doctor -o json",
    },
    seeAlso: ["datumctl auth list", "datumctl auth update-kubeconfig"],
  },
  args: {
    ...output({ options: ["json"], description: "Output format: json (default: a report for humans)" }),
    ...kubeconfig("Kubeconfig file to check (default: $KUBECONFIG or ~/.kube/config, as kubectl reads them)"),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const report = await runDoctor(rt, { kubeconfig: ctx.args.kubeconfig });
    rt.io.out(ctx.args.output === "json" ? renderJSON(report) : renderHuman(report));
    if (report.summary.fail > 0) rt.exitCode = 1;
  },
});
