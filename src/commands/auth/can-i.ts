import { defineCommand, runtime } from "../../cli/command";
import { canI } from "../../reviews/can-i";
import { allNamespaces, noHeaders } from "../_shared";

// kubectl's `auth can-i` against the control plane of the resolved scope (no kubeconfig involved).
export default defineCommand({
  meta: {
    examples: {
      "Check whether you may create DNS zones in the current project": "datumctl auth can-i create dnszones",
      "Check whether you may delete the zone example-com": "datumctl auth can-i delete dnszones/example-com",
      "Check whether you may list the projects of the organization acme": "datumctl auth can-i list projects --organization acme",
      "List everything you may do in the current project": "datumctl auth can-i --list",
    },
    seeAlso: ["datumctl auth whoami"],
  },
  args: {
    verb: { type: "positional", required: false, description: "An API verb: get, list, watch, create, update, patch, delete, …" },
    type: { type: "positional", required: false, description: "TYPE, TYPE/NAME, or a non-resource URL starting with /" },
    // Variadic so that extra words reach kubectl's own "two arguments" error.
    name: { type: "positional", required: false, variadic: true, description: "NAME, when not given as TYPE/NAME" },
    ...allNamespaces("Check the action in all namespaces"),
    quiet: { type: "boolean", alias: "q", description: "Print nothing; only the exit code answers (0 yes, 1 no)" },
    subresource: { type: "string", valueHint: "name", description: "A subresource, such as status" },
    list: { type: "boolean", description: "List every action allowed in the namespace" },
    ...noHeaders("With --list, leave out the header row"),
  },
  async run(ctx) {
    const a = ctx.args;
    await canI(runtime(ctx), {
      args: a._,
      list: a.list === true,
      quiet: a.quiet === true,
      allNamespaces: a["all-namespaces"] === true,
      noHeaders: a["no-headers"] === true,
      subresource: a.subresource ?? "",
    });
  },
});
