import { defineCommand, runtime } from "../cli/command";
import { parseDuration } from "../cli/globals";
import { parseDryRun } from "../apply/print";
import { runDelete } from "../delete/index";
import { invalidInput } from "../errors";
import { allNamespaces, dryRun, fieldSelector, files, ignoreNotFound, output, readFiles, selector, timeout, wait } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Check that the zone shop-example-com can be deleted, without deleting it": "datumctl delete dnszone shop-example-com --dry-run=server",
      "Delete the record set example-com-www": "datumctl delete dnsrecordset example-com-www",
      "Delete what zone.yaml describes": "datumctl delete -f zone.yaml",
      "Delete every zone labelled env=staging": "datumctl delete dnszones -l env=staging",
    },
    seeAlso: ["datumctl get"],
  },
  args: {
    resources: { type: "positional", required: false, variadic: true, description: "TYPE NAME…, TYPE/NAME…, or TYPE with -l or --all" },
    ...files("Delete the objects in these manifests (a file, a directory, a URL, or - for stdin)"),
    ...selector("Delete the objects whose labels match, e.g. -l app=web"),
    ...fieldSelector("Delete the objects whose fields match, e.g. metadata.name=web"),
    all: { type: "boolean", description: "Delete every object of the types, in the namespace" },
    ...allNamespaces("With -l or --all, across every namespace"),
    ...ignoreNotFound("Treat a missing object as deleted (the default with --all, -l or --field-selector)"),
    ...wait("Wait until the objects are gone before returning (--wait=false to return at once)"),
    ...timeout("0s", "How long to wait for the objects to go; 0 waits up to a week"),
    cascade: {
      type: "string",
      default: "background",
      optionalValue: "background",
      valueHint: "mode",
      description: "What happens to dependents: background, foreground or orphan",
    },
    "grace-period": {
      type: "string",
      default: "-1",
      valueHint: "seconds",
      description: "Seconds the object gets to shut down; negative leaves it to the server",
    },
    now: { type: "boolean", description: "Signal the objects to shut down at once (same as --grace-period=1)" },
    force: { type: "boolean", description: "Remove the objects from the API at once, skipping graceful deletion" },
    ...dryRun("mode", "none, client (print what would go), or server (let the server check the deletes without doing them)"),
    ...output({ description: "name: print type/name only" }),
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args;
    const grace = a["grace-period"];
    if (!/^-?\d+$/.test(grace))
      throw invalidInput(`invalid argument "${grace}" for "--grace-period" flag: strconv.ParseInt: parsing "${grace}": invalid syntax`);
    await runDelete(rt, {
      args: a._,
      ...readFiles(a),
      labelSelector: a.selector,
      fieldSelector: a["field-selector"],
      all: a.all === true,
      allNamespaces: a["all-namespaces"] === true,
      ignoreNotFound: a["ignore-not-found"],
      wait: a.wait !== false,
      timeoutMs: parseDuration(a.timeout, "--timeout"),
      cascade: a.cascade,
      gracePeriod: Number(grace),
      now: a.now === true,
      force: a.force === true,
      dryRun: parseDryRun(a["dry-run"]),
      output: a.output || undefined,
    });
  },
});
