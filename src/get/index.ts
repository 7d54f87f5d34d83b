// `datumctl get`: resolve the types, fetch lists or named objects from the scoped control
// plane, and print them as kubectl would, tables per type, errors after the output.
import type { KubeObject, Table } from "../api/types";
import type { Runtime } from "../runtime";
import { scopedClient } from "../resources/scoped";
import { type ApiResource, resolveResource } from "../discovery/index";
import { DatumctlError, formatError } from "../errors";
import { printTable } from "../printers/table";
import { type ListQuery, getOne, listObjects, listTable } from "../resources/fetch";
import { isTable, printObjects } from "../printers/index";
import { kindPrefix } from "../resources/paths";
import { parseGetArgs } from "../resources/requests";
import { sortObjects, sortTableRows } from "./sort";
import type { GetOptions } from "./options";
import { watch } from "./watch";

export type { GetOptions } from "./options";

interface Section {
  resource: ApiResource;
  table?: Table;
  objects: KubeObject[];
}

export async function runGet(rt: Runtime, opts: GetOptions): Promise<void> {
  const scoped = await scopedClient(rt);
  const requests = parseGetArgs(opts.args);
  const namespace = opts.allNamespaces ? undefined : scoped.namespace;
  const table = isTable(opts.output);
  const errors: DatumctlError[] = [];
  const sections: Section[] = [];
  const query: ListQuery = { namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, chunkSize: opts.chunkSize };

  for (const req of requests) {
    for (const resource of await resolveResource(rt, scoped, req.type)) {
      const section: Section = { resource, objects: [] };
      sections.push(section);
      if (opts.watch || opts.watchOnly) continue;
      if (req.names.length === 0) {
        if (table) section.table = await listTable(scoped.client, resource, query);
        else section.objects = (await listObjects(scoped.client, resource, query)).items;
        continue;
      }
      for (const name of req.names) {
        try {
          if (table) {
            const t = await getOne<Table>(scoped.client, resource, name, namespace ?? scoped.namespace, true);
            if (!section.table) section.table = t;
            else section.table.rows.push(...t.rows);
          } else {
            const obj = await getOne<KubeObject>(scoped.client, resource, name, namespace ?? scoped.namespace, false);
            section.objects.push({ apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version, kind: resource.kind, ...obj });
          }
        } catch (e) {
          if (e instanceof DatumctlError && e.code === "NOT_FOUND") {
            if (!opts.ignoreNotFound) errors.push(e);
            continue;
          }
          throw e;
        }
      }
    }
  }

  if (opts.watch || opts.watchOnly) {
    if (sections.length !== 1 || requests[0]!.names.length > 1) {
      throw new DatumctlError("you may only specify a single resource type to watch", { code: "INVALID_INPUT" });
    }
    return watch(rt, scoped.client, sections[0]!.resource, { ...opts, query, name: requests[0]!.names[0] });
  }

  if (opts.sortBy) {
    for (const s of sections) {
      if (s.table) s.table.rows = await sortTableRows(scoped.client, s.resource, query, s.table.rows, opts.sortBy);
      else s.objects = await sortObjects(s.objects, opts.sortBy);
    }
  }

  if (table)
    printTables(
      rt,
      sections,
      opts,
      namespace,
      requests.some((r) => r.names.length > 0),
    );
  else {
    const objects = sections.flatMap((s) => s.objects);
    const single = requests.length === 1 && sections.length === 1 && requests[0]!.names.length === 1;
    rt.io.out(await printObjects(opts.output, objects, { single, noHeaders: opts.noHeaders, showManagedFields: opts.showManagedFields }, rt.io));
  }
  reportErrors(rt, errors);
}

function printTables(rt: Runtime, sections: Section[], opts: GetOptions, namespace: string | undefined, named: boolean): void {
  const withRows = sections.filter((s) => s.table && s.table.rows.length > 0);
  const prefix = opts.showKind || withRows.length > 1;
  withRows.forEach((s, i) => {
    if (i > 0) rt.io.out("\n");
    rt.io.out(
      printTable(s.table!, {
        wide: opts.output.kind === "wide",
        noHeaders: opts.noHeaders,
        allNamespaces: opts.allNamespaces && s.resource.namespaced,
        showLabels: opts.showLabels,
        labelColumns: opts.labelColumns,
        kindPrefix: prefix ? kindPrefix(s.resource) : undefined,
      }),
    );
  });
  if (withRows.length === 0 && !named && !opts.ignoreNotFound) {
    const namespaced = sections.some((s) => s.resource.namespaced);
    rt.io.err(namespace && namespaced ? `No resources found in ${namespace} namespace.\n` : "No resources found\n");
  }
}

/** Every error is shown, as kubectl shows them; the command then fails with the last. */
function reportErrors(rt: Runtime, errors: DatumctlError[]): void {
  if (errors.length === 0) return;
  const last = errors.pop()!;
  if (rt.globals.errorFormat === "human") {
    for (const e of errors) rt.io.err(formatError(e, "human", rt.globals.verbosity));
    throw last;
  }
  throw errors.length === 0 ? last : new DatumctlError(last.message, { code: last.code, details: errors.map((e) => e.message).join("\n"), human: last.human });
}
