// get -w / --watch-only / --output-watch-events: the list, then a row per change until the
// server ends the stream or the user presses Ctrl-C. Each row is aligned on its own, as
// kubectl's per-event flush does.
import { watchEvents } from "../api/watch-stream";
import type { ApiClient } from "../api/client";
import type { KubeObject, Table } from "../api/types";
import type { Runtime } from "../runtime";
import type { ApiResource } from "../discovery/index";
import { tableRows } from "../printers/table";
import { tabwrite } from "../printers/tabwriter";
import { type ListQuery, TABLE_ACCEPT, listTable } from "../resources/fetch";
import { isTable, printObjects } from "../printers/index";
import { recordJson } from "../printers/records";
import { resourcePath } from "../resources/paths";
import type { GetOptions } from "./options";

export async function watch(rt: Runtime, client: ApiClient, r: ApiResource, opts: GetOptions & { query: ListQuery; name?: string }): Promise<void> {
  const table = isTable(opts.output);
  const tableOpts = {
    wide: opts.output.kind === "wide",
    allNamespaces: opts.allNamespaces && r.namespaced,
    showLabels: opts.showLabels,
    labelColumns: opts.labelColumns,
  };
  const fieldSelector = [opts.query.fieldSelector, opts.name ? `metadata.name=${opts.name}` : undefined].filter(Boolean).join(",") || undefined;
  const query = { ...opts.query, fieldSelector };
  let resourceVersion: string | undefined;
  let headers = !opts.noHeaders;
  if (!opts.watchOnly || table) {
    const initial = await listTable(client, r, query);
    resourceVersion = initial.metadata?.resourceVersion;
    if (!opts.watchOnly && table && initial.rows.length > 0) {
      const rows = tableRows(initial, { ...tableOpts, noHeaders: !headers });
      rt.io.out(tabwrite(opts.outputWatchEvents ? rows.map((row, i) => [i === 0 && headers ? "EVENT" : "ADDED", ...row]) : rows));
      headers = false;
    }
  }
  const params = new URLSearchParams({ watch: "1" });
  if (resourceVersion) params.set("resourceVersion", resourceVersion);
  if (query.labelSelector) params.set("labelSelector", query.labelSelector);
  if (fieldSelector) params.set("fieldSelector", fieldSelector);
  const res = await client.call(`${resourcePath(r, { namespace: query.namespace })}?${params}`, {
    headers: { accept: table ? TABLE_ACCEPT : "application/json" },
  });
  let columns: Table["columnDefinitions"] | undefined;
  for await (const event of watchEvents<KubeObject | Table>(res)) {
    if (event.type === "BOOKMARK" || event.type === "ERROR") continue;
    if (table) {
      const t = event.object as Table;
      columns = t.columnDefinitions?.length ? t.columnDefinitions : columns;
      const rows = tableRows({ ...t, columnDefinitions: columns ?? [] }, { ...tableOpts, noHeaders: !headers });
      headers = false;
      rt.io.out(tabwrite(opts.outputWatchEvents ? rows.map((row, i) => [rows.length > 1 && i === 0 ? "EVENT" : event.type, ...row]) : rows));
    } else {
      const text = await printObjects(opts.output, [event.object as KubeObject], { single: true, noHeaders: true, showManagedFields: opts.showManagedFields });
      // The event wraps the object as printed: its keys stay sorted, but nothing is escaped again.
      rt.io.out(opts.outputWatchEvents && opts.output.kind === "json" ? recordJson({ type: event.type, object: JSON.parse(text) }, "    ") : text);
    }
  }
}
