import { defineCommand, runtime } from "../cli/command";
import { fieldManager, writeFlags, writeOptions } from "./_shared";

const args = {
  ...writeFlags("create"),
  "save-config": { type: "boolean", description: "Record the manifest in the last-applied annotation, so a later apply can patch it" },
  ...fieldManager({ description: "Who owns the created fields", default: "kubectl-create" }),
} as const;

export default defineCommand({
  meta: {
    examples: {
      "Check what the server would create from zone.yaml, without creating it": "datumctl create -f zone.yaml --dry-run=server -o yaml",
      "Create the zone in zone.yaml": "datumctl create -f zone.yaml",
    },
    seeAlso: ["datumctl apply", "datumctl explain"],
  },
  args,
  async run(ctx) {
    const a = ctx.args;
    const { runCreate } = await import("../apply/create");
    await runCreate(runtime(ctx), { ...writeOptions(a), saveConfig: a["save-config"] === true });
  },
});
