import { defineCommand, runtime } from "../cli/command";
import { runEdit } from "../edit/index";
import { invalidInput } from "../errors";
import { fieldManager, files, output, readFiles, showManagedFields, validate } from "./_shared";

const VALIDATION: Record<string, "Strict" | "Warn" | "Ignore"> = { strict: "Strict", true: "Strict", warn: "Warn", ignore: "Ignore", false: "Ignore" };

export default defineCommand({
  meta: {
    examples: {
      "Edit the zone example-com in $KUBE_EDITOR or $EDITOR": "datumctl edit dnszone example-com",
      "Edit it as JSON": "datumctl edit dnszone/example-com -o json",
    },
    seeAlso: ["datumctl apply", "datumctl get"],
  },
  args: {
    resources: { type: "positional", required: false, variadic: true, description: "TYPE NAME…, TYPE/NAME…, or TYPE for all of them" },
    ...files("Edit the live objects these manifests name"),
    ...output({ description: "Edit as yaml or json", default: "yaml" }),
    "output-patch": { type: "boolean", description: "Print the patch sent for each object" },
    ...fieldManager({ description: "The field manager recorded for the change", default: "kubectl-edit" }),
    ...validate("How the server treats unknown or duplicate fields: strict, warn or ignore"),
    ...showManagedFields("Keep metadata.managedFields in the file"),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args;
    const output = a.output;
    if (output !== "yaml" && output !== "json")
      throw invalidInput(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
    const validation = VALIDATION[a.validate.toLowerCase()];
    if (!validation) throw invalidInput(`invalid - validate option "${a.validate}"; must be one of: strict (or true), warn, ignore (or false)`);
    await runEdit(rt, {
      args: a._,
      ...readFiles(a),
      output,
      outputPatch: a["output-patch"] === true,
      fieldManager: a["field-manager"],
      validation,
      showManagedFields: a["show-managed-fields"] === true,
    });
  },
});
