// `datumctl api-resources`: kubectl's table of served resource types, byte for byte: the
// preferred version of each resource, filtered, sorted by group (or name, or kind) and then
// name, laid out by Go's tabwriter. Fresh from the server unless --cached.
import { tabwrite } from "../printers/tabwriter";
import { scopedClient } from "../resources/scoped";
import { defineCommand, runtime } from "../cli/command";
import type { FlagDef } from "../cli/flags";
import { type ApiResource, byteCompare, discover, groupVersion, preferredResources, qualifiedName } from "../discovery/index";
import { DatumctlError, invalidInput } from "../errors";
import { parseOutput } from "../printers/index";
import { noHeaders, output } from "./_shared";

const args = {
  ...output({ description: "Output format: wide or name" }),
  namespaced: { type: "boolean", description: "If false, only cluster-scoped resources; if true, only namespaced ones (default: both)" },
  "api-group": { type: "string", valueHint: "group", description: "Only resources in this API group ('' for the core group)" },
  verbs: { type: "string", multiple: true, valueHint: "verbs", description: "Only resources that support all these verbs (comma-separated)" },
  categories: { type: "string", multiple: true, valueHint: "categories", description: "Only resources in all these categories (comma-separated)" },
  "sort-by": { type: "string", valueHint: "field", description: "Sort by 'name' or 'kind' (default: API group)" },
  ...noHeaders("Leave out the header line"),
  cached: { type: "boolean", description: "Use the cached list of resources if it is recent enough" },
} satisfies Record<string, FlagDef>;

/** kubectl's StringSlice flags: repeated, each comma-separated. */
const list = (v: string[] | undefined): string[] => (v ?? []).flatMap((s) => (s === "" ? [] : s.split(",")));

export interface ApiResourcesOptions {
  output: string;
  namespaced?: boolean;
  apiGroup?: string;
  verbs: string[];
  categories: string[];
  sortBy: string;
  noHeaders: boolean;
}

export function renderApiResources(resources: ApiResource[], o: ApiResourcesOptions): string {
  const hasAll = (have: string[], want: string[]) => want.every((w) => have.includes(w));
  const rows = resources.filter(
    (r) =>
      r.verbs.length > 0 &&
      (o.apiGroup === undefined || o.apiGroup === r.group) &&
      (o.namespaced === undefined || o.namespaced === r.namespaced) &&
      hasAll(r.verbs, o.verbs) &&
      hasAll(r.categories, o.categories),
  );
  const key = (r: ApiResource) => (o.sortBy === "name" ? r.resource : o.sortBy === "kind" ? r.kind : r.group);
  // Stable, like Go's sort.Stable: ties on (key, name) keep discovery order.
  rows.sort((a, b) => byteCompare(key(a), key(b)) || byteCompare(a.resource, b.resource));

  if (o.output === "name") return rows.map((r) => `${qualifiedName(r)}\n`).join("");
  const wide = o.output === "wide";
  const table: string[][] = [];
  if (!o.noHeaders) table.push(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", ...(wide ? ["VERBS", "CATEGORIES"] : [])]);
  for (const r of rows) {
    const cells = [r.resource, r.shortNames.join(","), groupVersion(r.group, r.version), String(r.namespaced), r.kind];
    if (wide) cells.push(r.verbs.join(","), r.categories.join(","));
    table.push(cells);
  }
  return tabwrite(table);
}

export default defineCommand({
  meta: {
    examples: {
      "List the resource types the current project serves": "datumctl api-resources",
      "Only those of the DNS API group": "datumctl api-resources --api-group dns.networking.miloapis.com",
      "The types of the organization acme's control plane, names only": "datumctl api-resources --organization acme -o name",
    },
    seeAlso: ["datumctl explain", "datumctl get"],
  },
  args,
  async run(ctx) {
    const rt = runtime(ctx);
    const a = ctx.args;
    const output = a.output ?? "";
    parseOutput(output, { formats: ["name", "wide"], unsupported: (raw) => invalidInput(`--output ${raw} is not available`, "Use -o wide or -o name.") });
    const sortBy = a["sort-by"] ?? "";
    if (!["", "name", "kind"].includes(sortBy)) throw invalidInput("--sort-by accepts only name or kind");

    // Discovery reads no organization data, so the onboarding gate is not needed (the Go tool ran it anyway, one more request per command).
    const scoped = await scopedClient(rt, { skipOnboarding: true });
    const surface = await discover(rt, scoped, { cached: a.cached === true });
    rt.io.out(
      renderApiResources(preferredResources(surface), {
        output,
        namespaced: a.namespaced,
        apiGroup: a["api-group"],
        verbs: list(a.verbs),
        categories: list(a.categories),
        sortBy,
        noHeaders: a["no-headers"] === true,
      }),
    );
    if (surface.failed.length) {
      const detail = surface.failed.map((f) => `${f.groupVersion}: ${f.message}`).join(", ");
      throw new DatumctlError(`unable to retrieve the complete list of server APIs: ${detail}`, { code: "SERVER", retryable: true });
    }
  },
});
