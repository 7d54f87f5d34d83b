import { defineCommand, runtime } from "../cli/command";
import { writeArgs, writeOptions } from "./_write-flags";

const args = {
  ...writeArgs("create"),
  "save-config": { type: "boolean", description: "Record the manifest in the last-applied annotation, so a later apply can patch it" },
  "field-manager": { type: "string", default: "kubectl-create", valueHint: "name", description: "Who owns the created fields" },
} as const;

export default defineCommand({
  args,
  async run(ctx) {
    const a = ctx.args;
    const { runCreate } = await import("../apply/create");
    await runCreate(runtime(ctx), { ...writeOptions(a), saveConfig: a["save-config"] === true });
  },
});
