// `datumctl explain TYPE[.field…]`: kubectl 1.32's explain against the scoped control plane.
//
//   runExplain(rt, { args, recursive, apiVersion, output })
//     1. TYPE[.field…] is parsed as kubectl parses it (path.ts); the type word is resolved
//        through discovery like every other command's TYPE (short names, kinds, singulars).
//        Without --api-version, `plural.group.field…` names the group explicitly.
//     2. /openapi/v3 gives the group/version document's URL; the document is read from the
//        on-disk cache when its hash is known (openapi.ts).
//     3. render.ts lays it out as kubectl's plaintext template does. A field that does not
//        exist still prints the GROUP/KIND/VERSION header first, then fails with kubectl's
//        `error: field "x" does not exist`.
//   Errors keep kubectl's wording (first line of stderr); exit code 1.
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { Runtime } from "../runtime";
import { type ApiResource, discover, resolveResource } from "../discovery/index";
import { DatumctlError, invalidInput } from "../errors";
import { groupVersionDocument, groupVersionPath, openApiPaths } from "./openapi";
import { ALL_NODES, FIRST_NODE, fieldsOf, parsePath, typeOf } from "./path";
import { type ExplainFailure, type ExplainTarget, gvrString, renderExplain } from "./render";

export { renderExplain, type ExplainTarget, type Rendered } from "./render";

export const OUTPUT_FORMATS = ["plaintext", "plaintext-openapiv2"] as const;

export interface ExplainOptions {
  /** The positional arguments; exactly one is accepted. */
  args: string[];
  recursive: boolean;
  /** --api-version, "" when not given. */
  apiVersion: string;
  /** --output, "plaintext" by default. */
  output: string;
}

const SUGGEST = 'Use "datumctl api-resources" for a complete list of supported resources.';

/** kubectl's words for a type the server does not serve (no `error: ` prefix, as kubectl prints it). */
function unknownType(name: string, hint?: string): DatumctlError {
  const message = `the server doesn't have a resource type "${name}"`;
  return new DatumctlError(message, {
    code: "NOT_FOUND",
    human: message,
    hint: hint ?? "Run 'datumctl api-resources' to see the resource types this control plane serves.",
  });
}

/** apimachinery's ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === "" || gv === "/") return { group: "", version: "" };
  const slashes = gv.split("/").length - 1;
  if (slashes === 0) return { group: "", version: gv };
  if (slashes === 1) {
    const i = gv.indexOf("/");
    return { group: gv.slice(0, i), version: gv.slice(i + 1) };
  }
  throw invalidInput(`unexpected GroupVersion string: ${gv}`, "Give --api-version as group/version, e.g. dns.networking.miloapis.com/v1alpha1.");
}

interface Resolved {
  resource: ApiResource;
  fields: string[];
}

type Scoped = Awaited<ReturnType<typeof scopedClient>>;

async function resolveType(rt: Runtime, scoped: Scoped, input: string, explicitVersion: boolean): Promise<Resolved> {
  const trimmed = input.endsWith(".") ? input.slice(0, -1) : input;
  const nodes = parsePath(input);
  const type = typeOf(nodes);
  let found: ApiResource[];
  try {
    found = await resolveResource(rt, scoped, type);
  } catch (e) {
    if (e instanceof DatumctlError && e.code === "NOT_FOUND") throw unknownType(type, e.hint);
    throw e;
  }
  // A category names several types; kubectl's explain takes resource names only.
  if (found.length !== 1) throw unknownType(type);
  const chosen = found[0]!;
  if (explicitVersion) return { resource: chosen, fields: fieldsOf(nodes.slice(1), ALL_NODES) };

  // `plural.group.field…`: the first served group whose `plural.group` starts the argument.
  const surface = await discover(rt, scoped);
  const candidates = [chosen];
  for (const g of surface.groups) {
    if (g.name === chosen.group) continue;
    const served = surface.resources.filter((r) => r.group === g.name && r.resource === chosen.resource);
    const pick = served.find((r) => r.version === g.preferredVersion) ?? served[0];
    if (pick) candidates.push(pick);
  }
  for (const r of candidates) {
    const groupResource = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (!trimmed.startsWith(groupResource)) continue;
    const suffix = trimmed.slice(groupResource.length);
    return { resource: r, fields: suffix ? fieldsOf(parsePath(suffix).slice(1), FIRST_NODE) : [] };
  }
  return { resource: chosen, fields: fieldsOf(nodes.slice(1), FIRST_NODE) };
}

function failure(e: ExplainFailure): DatumctlError {
  switch (e.kind) {
    case "field":
      return new DatumctlError(e.message, { code: "INVALID_INPUT" });
    case "resource":
    case "kind":
      return new DatumctlError(e.message, { code: "NOT_FOUND" });
    case "schema":
      return new DatumctlError(e.message, { code: "SERVER", hint: "The server's OpenAPI document has a field without a schema." });
  }
}

/** kubectl's fallback renderer reads OpenAPI v2, which datumctl does not lay out. */
async function openApiV2(client: ApiClient): Promise<never> {
  await client.call("/openapi/v2");
  throw invalidInput("-o plaintext-openapiv2 is not supported by datumctl", "Use -o plaintext (the default), which reads the server's OpenAPI v3.");
}

export async function runExplain(rt: Runtime, opts: ExplainOptions): Promise<void> {
  if (opts.args.length === 0) throw invalidInput(`You must specify the type of resource to explain. ${SUGGEST}`);
  if (opts.args.length > 1) throw invalidInput("We accept only this format: explain RESOURCE");

  // Reading schemas touches no organization data: no onboarding gate (as for api-resources).
  const scoped = await scopedClient(rt, { skipOnboarding: true });
  const { resource, fields } = await resolveType(rt, scoped, opts.args[0]!, opts.apiVersion !== "");
  if (opts.output === "plaintext-openapiv2") return openApiV2(scoped.client);

  const target: ExplainTarget = { group: resource.group, version: resource.version, resource: resource.resource };
  const paths = await openApiPaths(scoped);
  if (opts.apiVersion !== "") Object.assign(target, parseGroupVersion(opts.apiVersion));
  const gvPath = groupVersionPath(target.group, target.version);
  const url = paths.get(gvPath);
  if (url === undefined) throw new DatumctlError(`couldn't find resource for "${gvrString(target)}"`, { code: "NOT_FOUND" });
  const doc = await groupVersionDocument(rt, scoped, gvPath, url);
  if (opts.output !== "plaintext") throw invalidInput(`unrecognized format: ${opts.output}`, "Use -o plaintext (the default).");

  const rendered = renderExplain(doc, target, fields, opts.recursive);
  if (rendered.out) rt.io.out(rendered.out);
  if (rendered.error) throw failure(rendered.error);
}
