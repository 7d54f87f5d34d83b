// `datumctl delete`: objects named by TYPE NAME…, TYPE/NAME…, -f manifests, or -l / --all over
// types; one DELETE each (propagationPolicy from --cascade), a `<kind>.<group> "<name>" deleted`
// line per object, then --wait reads them back until they are gone. Never prompts, never
// checks versions. Everything is resolved before the first DELETE; after that a failure on
// one object does not stop the others (kubectl's order: lines as they go, errors at the end).
import { kindPrefix } from "../resources/paths";
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { type ApiResource, resolveResource } from "../discovery/index";
import { errorFromSource, manifestsOrNone } from "../diff/source";
import { type DatumctlError, invalidInput, isDatumctlError } from "../errors";
import { parseOutput } from "../printers/index";
import { listObjects } from "../resources/fetch";
import { resourcePath, whereError } from "../resources/paths";
import { type TypeRequest, parseGetArgs } from "../resources/requests";
import { type Deleted, waitForDeletion } from "./wait";

export type DryRun = "none" | "client" | "server";
export type Propagation = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  args: string[];
  files: string[];
  recursive: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  all: boolean;
  allNamespaces: boolean;
  /** undefined: not given (then true with --all, -l or --field-selector, as kubectl defaults it). */
  ignoreNotFound?: boolean;
  wait: boolean;
  /** 0: a week (kubectl's "forever"). */
  timeoutMs: number;
  /** As typed: background, foreground, orphan (or the deprecated true/false). */
  cascade: string;
  /** Seconds; -1 leaves it to the server. */
  gracePeriod: number;
  now: boolean;
  force: boolean;
  dryRun: DryRun;
  output?: string;
  stdin?: () => Promise<string>;
}

interface Target extends Deleted {
  /** The manifest a -f object came from, for kubectl's `error when deleting "<file>"`. */
  source?: string;
}

export const MISSING_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export function parseCascade(rt: Runtime, value: string): Propagation {
  switch (value) {
    case "background":
      return "Background";
    case "foreground":
      return "Foreground";
    case "orphan":
      return "Orphan";
  }
  const asBool = { true: true, "1": true, t: true, T: true, TRUE: true, True: true, false: false, "0": false, f: false, F: false, FALSE: false, False: false }[
    value
  ];
  if (asBool === undefined) throw invalidInput(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan"`);
  rt.io.err(`warning: --cascade=${value} is deprecated (boolean value) and can be replaced with --cascade=${asBool ? "background" : "orphan"}.\n`);
  return asBool ? "Background" : "Orphan";
}

/** What to delete, in kubectl's order; every type is resolved before anything is deleted. */
async function targets(rt: Runtime, scoped: Awaited<ReturnType<typeof scopedClient>>, opts: DeleteOptions, errors: DatumctlError[]): Promise<Target[]> {
  const requests: TypeRequest[] = opts.args.length ? parseGetArgs(opts.args, "datumctl delete") : [];
  const slashed = opts.args.some((a) => a.includes("/"));
  const selecting = opts.all || !!opts.labelSelector || !!opts.fieldSelector;
  const namespace = opts.allNamespaces ? undefined : scoped.namespace;

  if (opts.files.length) {
    if (requests.length && !slashed) throw invalidInput("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well");
    if (slashed) throw invalidInput("resource/name arguments cannot be provided when a path is specified");
    const { namespaceFor, resourceFor } = await import("../manifests/resource");
    let manifests = await manifestsOrNone(rt, opts.files, { recursive: opts.recursive, verb: "delete", stdin: opts.stdin });
    if (opts.labelSelector) {
      const { labelMatcher } = await import("../diff/selector");
      const matches = labelMatcher(opts.labelSelector);
      manifests = manifests.filter((m) => matches(m.object.metadata?.labels));
    }
    const out: Target[] = [];
    for (const m of manifests) {
      const resource = await resourceFor(rt, scoped, m.object, m.source);
      out.push({ resource, namespace: namespaceFor(rt, scoped, resource, m.object), name: m.object.metadata?.name ?? "", source: m.source });
    }
    return out;
  }

  if (selecting) {
    if (requests.length && !slashed && requests.some((r) => r.names.length)) throw invalidInput("name cannot be provided when a selector is specified");
    if (slashed) throw invalidInput("selectors and the all flag cannot be used when passing resource/name arguments");
    if (requests.length === 0) throw invalidInput("at least one resource must be specified to use a selector");
    const resources: ApiResource[] = [];
    for (const req of requests) resources.push(...(await resolveResource(rt, scoped, req.type)));
    const out: Target[] = [];
    for (const resource of resources) {
      try {
        const list = await listObjects(scoped.client, resource, {
          namespace: resource.namespaced ? namespace : undefined,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          chunkSize: 0,
        });
        for (const o of list.items) out.push({ resource, namespace: resource.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? "" });
      } catch (e) {
        // kubectl goes on with the other types and reports the failure at the end.
        if (!isDatumctlError(e)) throw e;
        if (!(e.code === "NOT_FOUND" && opts.ignoreNotFound !== false)) errors.push(e);
      }
    }
    return out;
  }

  if (requests.length === 0) throw invalidInput(MISSING_RESOURCES);
  const resolved: [ApiResource, string[]][] = [];
  for (const req of requests) for (const resource of await resolveResource(rt, scoped, req.type)) resolved.push([resource, req.names]);
  if (!slashed && resolved.every(([, names]) => names.length === 0)) throw invalidInput("resource(s) were provided, but no name was specified");
  const out: Target[] = [];
  for (const [resource, names] of resolved) {
    if (resource.namespaced && namespace === undefined) throw invalidInput("a resource cannot be retrieved by name across all namespaces");
    for (const name of names) out.push({ resource, namespace: resource.namespaced ? namespace : undefined, name });
  }
  return out;
}

interface DeleteBody {
  gracePeriodSeconds?: number;
  propagationPolicy: Propagation;
  dryRun?: string[];
}

async function deleteOne(client: ApiClient, t: Target, body: DeleteBody): Promise<string | undefined> {
  const res = await client.call(resourcePath(t.resource, { namespace: t.namespace, name: t.name }), {
    method: "DELETE",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  // A Status (details.uid) or the object as it was (metadata.uid): the uid --wait watches for.
  const answer = (await res.json().catch(() => ({}))) as KubeObject & { details?: { uid?: string } };
  return answer.kind === "Status" ? answer.details?.uid : answer.metadata?.uid;
}

export async function runDelete(rt: Runtime, opts: DeleteOptions): Promise<void> {
  const propagationPolicy = parseCascade(rt, opts.cascade);
  const selecting = opts.all || !!opts.labelSelector?.trim() || !!opts.fieldSelector?.trim();
  const ignoreNotFound = opts.ignoreNotFound ?? selecting;
  let grace = opts.gracePeriod;
  if (opts.now) {
    if (grace !== -1) throw invalidInput("--now and --grace-period cannot be specified together");
    grace = 1;
  }
  // --grace-period=0 without --force would delete at once; kubectl makes it 1 to avoid data loss.
  if (grace === 0 && !opts.force) grace = 1;
  if (opts.force && grace < 0) grace = 0;
  if (opts.all && (opts.labelSelector?.trim() || opts.fieldSelector?.trim())) throw invalidInput("setting 'all' parameter but found a non empty selector. ");

  const scoped = await scopedClient(rt);
  const errors: DatumctlError[] = [];
  const list = await targets(rt, scoped, { ...opts, ignoreNotFound }, errors);
  // Every object is addressable, or nothing is deleted: a name such as "." or "" would be the collection.
  for (const t of list) {
    const bad = whereError(t.resource, t);
    if (bad) throw t.source ? invalidInput(`error when deleting "${t.source}": ${bad.message}`) : bad;
  }

  const nameOnly =
    parseOutput(opts.output, { formats: ["name"], unsupported: (raw) => invalidInput(`unexpected -o output mode: ${raw}. We only support '-o name'`) })
      ?.kind === "name";
  if (opts.force && grace > 0) throw invalidInput("--force and --grace-period greater than 0 cannot be specified together");
  if (opts.force && grace === 0) {
    rt.io.err(
      "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    );
  }

  const body: DeleteBody = {
    ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
    propagationPolicy,
    ...(opts.dryRun === "server" ? { dryRun: ["All"] } : {}),
  };
  let operation = grace === 0 ? "force deleted" : "deleted";
  if (opts.dryRun === "client") operation += " (dry run)";
  if (opts.dryRun === "server") operation += " (server dry run)";
  const print = (t: Target) => rt.io.out(nameOnly ? `${kindPrefix(t.resource)}/${t.name}\n` : `${kindPrefix(t.resource)} "${t.name}" ${operation}\n`);

  let warnClusterScope = !!rt.globals.namespace && !opts.allNamespaces;
  const deleted: Deleted[] = [];
  for (const t of list) {
    deleted.push(t);
    if (warnClusterScope && !t.resource.namespaced) {
      rt.io.err("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
      warnClusterScope = false;
    }
    if (opts.dryRun === "client") {
      print(t);
      continue;
    }
    try {
      t.uid = await deleteOne(scoped.client, t, body);
      print(t);
    } catch (e) {
      if (!isDatumctlError(e)) throw e;
      if (e.code === "NOT_FOUND" && ignoreNotFound) continue;
      errors.push(errorFromSource(e, "deleting", t.source) as DatumctlError);
    }
  }

  const last = errors.pop();
  if (last) {
    for (const e of errors) rt.io.err(`${e.human ?? `error: ${e.message}`}\n`);
    throw last;
  }
  if (deleted.length === 0) {
    rt.io.out("No resources found\n");
    return;
  }
  if (!opts.wait || opts.dryRun !== "none") return;
  await waitForDeletion(rt, scoped.client, deleted, opts.timeoutMs);
}
