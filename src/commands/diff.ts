import { defineCommand, runtime } from "../cli/command";
import { runDiff } from "../diff/index";
import { invalidInput } from "../errors";
import { fieldManager, files, forceConflicts, readFiles, selector, serverSide, showManagedFields } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Show what applying zone.yaml would change (exit 1 when something would)": "datumctl diff -f zone.yaml",
      "The same for several manifests, as a server-side apply would do it": "datumctl diff --server-side -f zone.yaml -f records.yaml",
    },
    seeAlso: ["datumctl apply"],
  },
  args: {
    ...files("The manifests to compare with the live objects (a file, a directory, a URL, or - for stdin)"),
    ...selector("Only the manifests whose labels match, e.g. -l app=web"),
    ...serverSide("Compare with what a server-side apply would do"),
    ...forceConflicts,
    ...fieldManager({ description: "The field manager named in the dry run (default kubectl-client-side-apply, or kubectl with --server-side)" }),
    ...showManagedFields("Include metadata.managedFields in the diff"),
    // kubectl's; objects are compared one after another whatever it says (the output is the same).
    concurrency: { type: "string", default: "1", valueHint: "n", hidden: true, description: "Accepted for kubectl compatibility" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args;
    if (!/^\d+$/.test(a.concurrency)) {
      throw invalidInput(`invalid argument "${a.concurrency}" for "--concurrency" flag: strconv.ParseInt: parsing "${a.concurrency}": invalid syntax`);
    }
    // 0: the same; 1: differences found. Every error exits 2 (the registry's errorExitCode).
    rt.exitCode = await runDiff(rt, {
      ...readFiles(a),
      labelSelector: a.selector,
      serverSide: a["server-side"] === true,
      forceConflicts: a["force-conflicts"] === true,
      fieldManager: a["field-manager"] || undefined,
      showManagedFields: a["show-managed-fields"] === true,
    });
  },
});
