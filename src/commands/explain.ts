// `datumctl explain TYPE[.field…]`: the fields of a resource type, from the control plane's
// OpenAPI v3, laid out exactly as kubectl 1.32's `explain` lays them out (src/explain/).
import { defineCommand, runtime } from "../cli/command";
import type { FlagDef } from "../cli/flags";
import { runExplain } from "../explain/index";
import { output } from "./_shared";

const args = {
  type: { type: "positional", required: false, variadic: true, description: "TYPE[.FIELD…], e.g. dnszones.spec or dnsrecordsets.spec.records" },
  recursive: { type: "boolean", description: "Print every field of every field, names and types only" },
  "api-version": { type: "string", valueHint: "group/version", description: "Explain the type at this group/version" },
  ...output({ description: "Format: plaintext (plaintext-openapiv2 is not supported)", default: "plaintext" }),
} satisfies Record<string, FlagDef>;

export default defineCommand({
  meta: {
    examples: {
      "Describe the DNSZone type": "datumctl explain dnszones",
      "Describe one field": "datumctl explain dnszones.spec.domainName",
      "Show every field of a record set, names and types only": "datumctl explain dnsrecordsets.spec --recursive",
    },
    seeAlso: ["datumctl api-resources", "datumctl get"],
  },
  args,
  async run(ctx) {
    const a = ctx.args;
    await runExplain(runtime(ctx), {
      args: a._,
      recursive: a.recursive === true,
      apiVersion: a["api-version"] ?? "",
      output: a.output,
    });
  },
});
