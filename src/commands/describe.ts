import { defineCommand, runtime } from "../cli/command";
import { runDescribe } from "../describe/index";

export default defineCommand({
  args: {
    resources: { type: "positional", required: false, variadic: true, description: "TYPE [NAME_PREFIX] or TYPE/NAME" },
    filename: { type: "string", alias: "f", multiple: true, valueHint: "file", description: "Describe the objects in these manifests" },
    recursive: { type: "boolean", alias: "R", description: "Read -f directories recursively" },
    selector: { type: "string", alias: "l", valueHint: "query", description: "Label selector" },
    "all-namespaces": { type: "boolean", alias: "A", description: "Across every namespace" },
    "show-events": { type: "boolean", default: true, description: "Show the object's events" },
    "chunk-size": { type: "string", default: "500", valueHint: "n", description: "Page size for lists" },
  },
  async run(ctx) {
    const a = ctx.args;
    await runDescribe(runtime(ctx), {
      args: a._,
      files: a.filename ?? [],
      recursive: a.recursive === true,
      labelSelector: a.selector,
      allNamespaces: a["all-namespaces"] === true,
      showEvents: a["show-events"] !== false,
      chunkSize: Number(a["chunk-size"]) || 500,
    });
  },
});
