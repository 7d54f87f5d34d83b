import { defineCommand, runtime } from "../../cli/command";
import { DatumctlError } from "../../errors";
import { describeUpdate, INTERACTIVE_MODES, updateKubeconfig } from "../../kubeconfig/update";
import { kubeconfig } from "../_shared";

export default defineCommand({
  meta: {
    examples: {
      "Let kubectl use the project web (then: kubectl get dnszones)": "datumctl auth update-kubeconfig --project web",
      "Let kubectl use the organization acme's control plane": "datumctl auth update-kubeconfig --organization acme",
      "Write the entry to a file of its own, for a script that must never prompt":
        "datumctl auth update-kubeconfig --project web --kubeconfig web.kubeconfig --exec-interactive-mode Never",
    },
    seeAlso: ["datumctl auth doctor", "datumctl ctx use"],
  },
  // --organization and --project are not declared here: they are datumctl's global flags,
  // lifted out of argv (src/cli/globals.ts) before this command parses its own, so they
  // arrive in runtime(ctx).globals. They name the kubeconfig target only: DATUM_* variables
  // and the current datumctl context are deliberately not consulted.
  args: {
    ...kubeconfig("Kubeconfig file to update (default: where kubectl would write, from $KUBECONFIG or ~/.kube/config)"),
    hostname: { type: "string", valueHint: "host", description: "API server host (host[:port] or https URL); default the session's" },
    "exec-interactive-mode": {
      type: "enum",
      options: [...INTERACTIVE_MODES],
      default: "IfAvailable",
      valueHint: "mode",
      description: "interactiveMode of the exec credential plugin; Never for CI and scripts",
    },
    session: { type: "string", valueHint: "name", description: "Session the entry signs in with (default the active one)" },
    "exec-command": { type: "string", valueHint: "path", description: "Path of the datumctl binary kubectl runs (default: the one running now)" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const { project, organization, platformWide } = rt.globals;
    const hint = "Pass exactly one of --organization <id> or --project <id>.";
    if (platformWide) throw new DatumctlError("--platform-wide has no control plane to add to a kubeconfig", { code: "INVALID_INPUT", hint });
    if (project && organization) throw new DatumctlError("--organization and --project cannot be used together", { code: "INVALID_INPUT", hint });
    if (!project && !organization) throw new DatumctlError("one of --organization or --project is required", { code: "INVALID_INPUT", hint });
    const result = await updateKubeconfig(rt, {
      scope: project ? { kind: "project", id: project } : { kind: "organization", id: organization! },
      kubeconfig: ctx.args.kubeconfig,
      hostname: ctx.args.hostname,
      interactiveMode: ctx.args["exec-interactive-mode"],
      session: ctx.args.session,
      execCommand: ctx.args["exec-command"],
    });
    rt.io.err(describeUpdate(result));
  },
});
