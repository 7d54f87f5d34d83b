import { defineCommand, runtime } from "../cli/command";
import { invalidInput } from "../errors";
import { runGet } from "../get/index";
import { parseOutput } from "../get/output";
import { getOrganizations, ORGANIZATION_ALIASES } from "../organizations/index";
import { allNamespaces, chunkSize, fieldSelector, ignoreNotFound, noHeaders, output, selector, showManagedFields } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "List the DNS zones of the current project": "datumctl get dnszones",
      "Show the zone example-com as YAML": "datumctl get dnszone example-com -o yaml",
      "List the zones labelled env=prod, with their labels": "datumctl get dnszones -l env=prod --show-labels",
      "List zones and record sets together, with more columns": "datumctl get dnszones,dnsrecordsets -o wide",
      "Print each zone's domain name": "datumctl get dnszones -o jsonpath='{.items[*].spec.domainName}'",
      "List the projects of the organization acme": "datumctl get projects --organization acme",
      "Keep printing changes to the zones (Ctrl-C to stop)": "datumctl get dnszones --watch",
    },
    seeAlso: ["datumctl api-resources", "datumctl explain", "datumctl describe"],
  },
  args: {
    resources: { type: "positional", required: false, variadic: true, description: "TYPE[,TYPE…] [NAME…] or TYPE/NAME…" },
    ...output({ description: "json, yaml, name, wide, jsonpath=…, custom-columns=…, go-template=… (and their -file forms)" }),
    ...selector("Label selector, e.g. -l env=prod,team!=web"),
    ...fieldSelector("Field selector, e.g. metadata.name=example-com"),
    ...allNamespaces("List across every namespace"),
    ...chunkSize("Fetch lists in pages of this size; 0 fetches all at once"),
    "sort-by": { type: "string", valueHint: "jsonpath", description: "Sort by this field, e.g. .metadata.creationTimestamp" },
    "show-labels": { type: "boolean", description: "Add a LABELS column" },
    "label-columns": { type: "string", alias: "L", multiple: true, valueHint: "keys", description: "Add a column for each of these labels" },
    ...noHeaders("Leave out table headers"),
    ...ignoreNotFound("Say nothing about names that do not exist"),
    "show-kind": { type: "boolean", description: "Prefix names with their type" },
    ...showManagedFields("Keep metadata.managedFields in json and yaml"),
    watch: { type: "boolean", alias: "w", description: "After listing, keep printing changes" },
    "watch-only": { type: "boolean", description: "Print changes only, without the initial list" },
    "output-watch-events": { type: "boolean", description: "Say which change (ADDED, MODIFIED, DELETED) each row is" },
    raw: { type: "string", valueHint: "path", description: "GET this path under the control plane and print the body as is" },
    template: { type: "string", valueHint: "text", description: "The template for -o go-template or jsonpath without =" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args;
    const args = a._;
    if (typeof a.raw === "string") {
      const { rawGet } = await import("../get/raw");
      return rawGet(rt, a.raw, args);
    }
    if (args.length >= 1 && args.length <= 2 && ORGANIZATION_ALIASES.includes(args[0]!.toLowerCase())) {
      rt.io.out(await getOrganizations(rt, args[1], a.output ?? ""));
      return;
    }
    const chunkSize = Number(a["chunk-size"]);
    if (!Number.isInteger(chunkSize) || chunkSize < 0)
      throw invalidInput(`invalid value "${a["chunk-size"]}" for --chunk-size`, "Use a whole number; 0 fetches everything at once.");
    await runGet(rt, {
      args,
      output: parseOutput(a.output, a.template),
      labelSelector: a.selector,
      fieldSelector: a["field-selector"],
      allNamespaces: a["all-namespaces"] === true,
      chunkSize,
      sortBy: a["sort-by"],
      showLabels: a["show-labels"] === true,
      labelColumns: (a["label-columns"] ?? []).flatMap((l) => l.split(",")).filter(Boolean),
      noHeaders: a["no-headers"] === true,
      ignoreNotFound: a["ignore-not-found"] === true,
      showKind: a["show-kind"] === true,
      showManagedFields: a["show-managed-fields"] === true,
      watch: a.watch === true,
      watchOnly: a["watch-only"] === true,
      outputWatchEvents: a["output-watch-events"] === true,
    });
  },
});
