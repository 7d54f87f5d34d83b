import { defineCommand, runtime } from "../cli/command";
import { runDescribe } from "../describe/index";
import { allNamespaces, chunkSize, files, readFiles, selector } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Show the zone example-com in detail, with its events": "datumctl describe dnszone example-com",
      "Describe every zone labelled team=web": "datumctl describe dnszones -l team=web",
    },
    seeAlso: ["datumctl get", "datumctl explain"],
  },
  args: {
    resources: { type: "positional", required: false, variadic: true, description: "TYPE [NAME_PREFIX] or TYPE/NAME" },
    ...files("Describe the objects in these manifests"),
    ...selector("Label selector"),
    ...allNamespaces("Across every namespace"),
    "show-events": { type: "boolean", default: true, description: "Show the object's events" },
    ...chunkSize("Page size for lists"),
  },
  async run(ctx) {
    const a = ctx.args;
    await runDescribe(runtime(ctx), {
      args: a._,
      ...readFiles(a),
      labelSelector: a.selector,
      allNamespaces: a["all-namespaces"] === true,
      showEvents: a["show-events"] !== false,
      chunkSize: Number(a["chunk-size"]) || 500,
    });
  },
});
