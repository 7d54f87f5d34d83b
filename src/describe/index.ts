// `datumctl describe`: objects by name, by name prefix, by selector or from -f, each shown by
// the generic describer with its events, separated by blank lines as kubectl separates them.
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { type ApiResource, resolveResource } from "../discovery/index";
import { DatumctlError } from "../errors";
import { getOne, listObjects } from "../resources/fetch";
import { resourcePath, whereError } from "../resources/paths";
import { parseGetArgs } from "../resources/requests";
import { type EventLike, describeGeneric } from "./generic";

export interface DescribeOptions {
  args: string[];
  files: string[];
  recursive: boolean;
  labelSelector?: string;
  allNamespaces: boolean;
  showEvents: boolean;
  chunkSize: number;
}

const EVENTS = { group: "", version: "v1", resource: "events", namespaced: true };

async function eventsFor(client: ApiClient, obj: KubeObject, kind: string): Promise<EventLike[]> {
  const m = obj.metadata ?? {};
  const selector = [
    `involvedObject.kind=${kind}`,
    `involvedObject.name=${m.name ?? ""}`,
    `involvedObject.namespace=${m.namespace ?? ""}`,
    `involvedObject.uid=${m.uid ?? ""}`,
  ].join(",");
  const path = resourcePath(EVENTS, { namespace: m.namespace || undefined });
  try {
    const list = await client.get<{ items?: EventLike[] }>(`${path}?${new URLSearchParams({ fieldSelector: selector, limit: "500" })}`);
    return list.items ?? [];
  } catch {
    // kubectl's client hands back an empty list with the error, so it shows "Events: <none>".
    return [];
  }
}

export async function runDescribe(rt: Runtime, opts: DescribeOptions): Promise<void> {
  const scoped = await scopedClient(rt);
  const namespace = opts.allNamespaces ? undefined : scoped.namespace;
  const found: { resource: ApiResource; object: KubeObject }[] = [];
  // kubectl prints name-prefix matches each followed by a newline, not blank-line separated.
  let prefixMode = false;
  const errors: DatumctlError[] = [];

  if (opts.files.length) {
    const { readManifests } = await import("../manifests/read");
    for (const m of await readManifests(rt, opts.files, { recursive: opts.recursive, verb: "describe" })) {
      const [resource] = await resolveResource(
        rt,
        scoped,
        `${m.object.kind}.${(m.object.apiVersion ?? "").split("/").slice(0, -1).join("/")}`.replace(/\.$/, ""),
      );
      const where = { namespace: m.object.metadata?.namespace || scoped.namespace, name: m.object.metadata?.name ?? "" };
      const bad = whereError(resource!, where);
      if (bad) throw bad;
      found.push({ resource: resource!, object: await getOne<KubeObject>(scoped.client, resource!, where.name, where.namespace, false) });
    }
  }
  for (const req of opts.args.length ? parseGetArgs(opts.args, "datumctl describe") : []) {
    for (const resource of await resolveResource(rt, scoped, req.type)) {
      const query = { namespace, labelSelector: opts.labelSelector, chunkSize: opts.chunkSize };
      if (req.names.length === 0) {
        for (const object of (await listObjects(scoped.client, resource, query)).items) found.push({ resource, object });
        continue;
      }
      for (const name of req.names) {
        try {
          found.push({ resource, object: await getOne<KubeObject>(scoped.client, resource, name, namespace ?? scoped.namespace, false) });
        } catch (e) {
          if (!(e instanceof DatumctlError) || e.code !== "NOT_FOUND") throw e;
          // Not an exact name: with just TYPE NAME, kubectl describes every object whose name starts with it.
          if (opts.args.length !== 2) {
            errors.push(e);
            continue;
          }
          prefixMode = true;
          const matches = (await listObjects(scoped.client, resource, query)).items.filter((o) => o.metadata?.name?.startsWith(name));
          if (matches.length === 0) errors.push(e);
          for (const object of matches) found.push({ resource, object });
        }
      }
    }
  }
  if (opts.args.length === 0 && opts.files.length === 0) {
    throw new DatumctlError("you must specify the type of resource to describe", {
      code: "INVALID_INPUT",
      hint: "Run 'datumctl describe --help' for examples.",
    });
  }

  const now = Date.now();
  const texts: string[] = [];
  for (const { resource, object } of found) {
    texts.push(describeGeneric(object, opts.showEvents ? await eventsFor(scoped.client, object, resource.kind) : undefined, now));
  }
  rt.io.out(prefixMode ? texts.map((t) => `${t}\n`).join("") : texts.join("\n\n"));
  if (found.length === 0 && errors.length === 0) rt.io.err(namespace ? `No resources found in ${namespace} namespace.\n` : "No resources found\n");
  const last = errors.pop();
  for (const e of errors) rt.io.err(`${e.human ?? `error: ${e.message}`}\n`);
  if (last) throw last;
}
