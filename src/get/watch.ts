// get -w / --watch-only / --output-watch-events: the list, then a row per change until the
// stream ends: the server closes it, the connection drops, or --request-timeout elapses (all
// quietly, exit 0, as kubectl ends its watch) or the user presses Ctrl-C. Rows are printed as
// they come; column widths only grow over the watch, as in kubectl's one writer for it.
import { watchEvents } from "../api/watch-stream";
import type { ApiClient } from "../api/client";
import type { KubeObject, Table } from "../api/types";
import type { Runtime } from "../runtime";
import type { ApiResource } from "../discovery/index";
import { DatumctlError } from "../errors";
import { vlog } from "../log/verbose";
import { defaultTable, type TableOptions, tableRows } from "../printers/table";
import { KUBECTL_TABLE, tabwrite } from "../printers/tabwriter";
import { type ListQuery, TABLE_ACCEPT, listObjects, listTable } from "../resources/fetch";
import { isTable, printObjects } from "../printers/index";
import { goJson } from "../printers/go-json";
import { goYaml } from "../printers/yaml";
import { resourcePath } from "../resources/paths";
import type { GetOptions } from "./options";

/** kubectl pads event types to one width, so its EVENT column is as wide as MODIFIED. */
const eventType = (type: string) => type.padEnd(8);

export async function watch(rt: Runtime, client: ApiClient, r: ApiResource, opts: GetOptions & { query: ListQuery; name?: string }): Promise<void> {
  const table = isTable(opts.output);
  const tableOpts: TableOptions = {
    wide: opts.output.kind === "wide",
    allNamespaces: opts.allNamespaces && r.namespaced,
    showLabels: opts.showLabels,
    labelColumns: opts.labelColumns,
  };
  const fieldSelector = [opts.query.fieldSelector, opts.name ? `metadata.name=${opts.name}` : undefined].filter(Boolean).join(",") || undefined;
  const query = { ...opts.query, fieldSelector };
  let resourceVersion: string | undefined;
  const printer = new WatchTable(rt, tableOpts, opts.noHeaders, opts.outputWatchEvents);
  let documents = 0;
  const printObject = async (type: string, object: KubeObject) => {
    // kubectl writes a watch event with its object whole (managedFields too): JSON on one line.
    if (opts.outputWatchEvents && opts.output.kind === "json") return rt.io.out(`{"type":${goJson(type)},"object":${goJson(object)}}\n`);
    const yaml = opts.output.kind === "yaml";
    const text =
      yaml && opts.outputWatchEvents
        ? await goYaml({ type, object })
        : await printObjects(opts.output, [object], { single: true, noHeaders: true, showManagedFields: opts.showManagedFields });
    // YAML documents after the first start with ---, as kubectl's YAML printer writes them.
    rt.io.out(yaml && documents++ > 0 ? `---\n${text}` : text);
  };
  // The list comes first in every case, as kubectl's: the watch starts where it ends.
  if (table) {
    const initial = await listTable(client, r, query);
    resourceVersion = initial.metadata?.resourceVersion;
    if (!opts.watchOnly) printer.print(initial, "ADDED");
  } else {
    const initial = await listObjects(client, r, query);
    resourceVersion = initial.resourceVersion;
    if (!opts.watchOnly) for (const object of initial.items) await printObject("ADDED", object);
  }
  const params = new URLSearchParams({ watch: "1" });
  if (resourceVersion) params.set("resourceVersion", resourceVersion);
  if (query.labelSelector) params.set("labelSelector", query.labelSelector);
  if (fieldSelector) params.set("fieldSelector", fieldSelector);
  const res = await client.call(`${resourcePath(r, { namespace: query.namespace })}?${params}`, {
    headers: { accept: table ? TABLE_ACCEPT : "application/json" },
  });
  const events = watchEvents<KubeObject | Table>(res, rt.globals.requestTimeoutMs);
  for (;;) {
    let next: IteratorResult<{ type: string; object: KubeObject | Table }>;
    try {
      next = await events.next();
    } catch (e) {
      if (!(e instanceof DatumctlError) || (e.code !== "TIMEOUT" && e.code !== "NETWORK")) throw e;
      vlog(rt, 1, `The watch ended: ${e.message}`);
      return;
    }
    if (next.done) return;
    const event = next.value;
    if (event.type === "BOOKMARK" || event.type === "ERROR") continue;
    if (table) printer.print(event.object, event.type);
    else await printObject(event.type, event.object as KubeObject);
  }
}

/**
 * Tables as kubectl's printer shows a watch: the server's Tables with the columns of the last
 * one that had them, headers once per column set; an object the server sent without a Table
 * gets kubectl's own NAME and AGE columns, with their headers the first time.
 */
class WatchTable {
  private columns: Table["columnDefinitions"] = [];
  private readonly widths: number[] = [];
  private tableHeaders: boolean;
  private plainHeaders: boolean;

  constructor(
    private readonly rt: Runtime,
    private readonly opts: TableOptions,
    noHeaders: boolean,
    private readonly withEvents: boolean,
  ) {
    this.tableHeaders = !noHeaders;
    this.plainHeaders = !noHeaders;
  }

  print(object: KubeObject | Table, type: string): void {
    const fromServer = isServerTable(object);
    const table = fromServer ? this.withColumns(object) : defaultTable([object]);
    if (!table.rows.length) return;
    const headers = fromServer ? this.tableHeaders : this.plainHeaders;
    if (fromServer) this.tableHeaders = false;
    else this.plainHeaders = false;
    const rows = tableRows(table, { ...this.opts, noHeaders: !headers });
    const cells = this.withEvents ? rows.map((row, i) => [headers && i === 0 ? "EVENT" : eventType(type), ...row]) : rows;
    this.rt.io.out(tabwrite(cells, KUBECTL_TABLE, this.widths));
  }

  /** The rows of a server's Table; watch events after the first leave their columns out. */
  private withColumns(t: Table): Table {
    if (Array.isArray(t.columnDefinitions) && t.columnDefinitions.length) this.columns = t.columnDefinitions;
    return { columnDefinitions: this.columns, rows: Array.isArray(t.rows) ? t.rows : [] };
  }
}

const isServerTable = (o: KubeObject | Table): o is Table => o.kind === "Table";
