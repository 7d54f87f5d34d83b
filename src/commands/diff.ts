import { defineCommand, runtime } from "../cli/command";
import { runDiff } from "../diff/index";
import { invalidInput } from "../errors";

export default defineCommand({
  args: {
    filename: { type: "string", alias: "f", multiple: true, valueHint: "file", description: "The manifests to compare with the live objects (a file, a directory, a URL, or - for stdin)" },
    recursive: { type: "boolean", alias: "R", description: "Read -f directories recursively" },
    selector: { type: "string", alias: "l", valueHint: "query", description: "Only the manifests whose labels match, e.g. -l app=web" },
    "server-side": { type: "boolean", description: "Compare with what a server-side apply would do" },
    "force-conflicts": { type: "boolean", description: "With --server-side, take fields other managers own" },
    "field-manager": { type: "string", valueHint: "name", description: "The field manager named in the dry run (default kubectl-client-side-apply, or kubectl with --server-side)" },
    "show-managed-fields": { type: "boolean", description: "Include metadata.managedFields in the diff" },
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
      files: a.filename ?? [],
      recursive: a.recursive === true,
      labelSelector: a.selector,
      serverSide: a["server-side"] === true,
      forceConflicts: a["force-conflicts"] === true,
      fieldManager: a["field-manager"] || undefined,
      showManagedFields: a["show-managed-fields"] === true,
    });
  },
});
