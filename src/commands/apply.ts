import { defineCommand, runtime } from "../cli/command";
import { fieldManager, forceConflicts, serverSide, writeFlags, writeOptions } from "./_shared";

const args = {
  ...writeFlags("apply"),
  ...serverSide("Apply on the server (server-side apply) instead of with the last-applied annotation"),
  ...forceConflicts,
  ...fieldManager({ description: "Who owns the applied fields (default kubectl-client-side-apply, or datumctl with --server-side)" }),
} as const;

export default defineCommand({
  meta: {
    examples: {
      "Create or update the zone in zone.yaml": "datumctl apply -f zone.yaml",
      "Apply several manifests at once": "datumctl apply -f zone.yaml -f records.yaml",
      "Apply on the server (server-side apply)": "datumctl apply --server-side -f zone.yaml",
    },
    seeAlso: ["datumctl diff", "datumctl create"],
  },
  args,
  async run(ctx) {
    const a = ctx.args;
    const { runApply } = await import("../apply/index");
    await runApply(runtime(ctx), { ...writeOptions(a), serverSide: a["server-side"] === true, forceConflicts: a["force-conflicts"] === true });
  },
});
