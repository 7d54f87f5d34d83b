import { defineCommand, runtime } from "../cli/command";
import { writeArgs, writeOptions } from "./_write-flags";

const args = {
  ...writeArgs("apply"),
  "server-side": { type: "boolean", description: "Apply on the server (server-side apply) instead of with the last-applied annotation" },
  "force-conflicts": { type: "boolean", description: "With --server-side, take fields other managers own" },
  "field-manager": { type: "string", valueHint: "name", description: "Who owns the applied fields (default kubectl-client-side-apply, or datumctl with --server-side)" },
} as const;

export default defineCommand({
  args,
  async run(ctx) {
    const a = ctx.args;
    const { runApply } = await import("../apply/index");
    await runApply(runtime(ctx), { ...writeOptions(a), serverSide: a["server-side"] === true, forceConflicts: a["force-conflicts"] === true });
  },
});
