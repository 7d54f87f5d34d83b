// Server-side Tables printed as kubectl prints them: upper-cased headers, priority columns only
// with -o wide, a NAMESPACE column with -A, LABELS with --show-labels, -L label columns, a
// kind/ prefix on names when several types are shown, and Go tabwriter alignment.
import type { KubeObject, Table } from "../api/types";
import { age } from "./age";
import { tabwrite } from "./tabwriter";

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  allNamespaces?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  /** `dnszone.dns.networking.miloapis.com`: prefixes each name as `<kind>/<name>`. */
  kindPrefix?: string;
}

/** A cell as Go's fmt prints it; strings stop at their first line break, marked with "...". */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") {
    const brk = cell.search(/[\f\n\r]/);
    return brk >= 0 ? `${cell.slice(0, brk)}...` : cell;
  }
  if (typeof cell === "object") return JSON.stringify(cell);
  return String(cell);
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(",") : "<none>";
}

/** kubectl names a -L column by the label key's last path segment. */
const labelHeader = (key: string) => key.split("/").at(-1)!.toUpperCase();

export function tableRows(table: Table, opts: TableOptions): string[][] {
  const visible = table.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || !c.priority);
  const rows: string[][] = [];
  if (!opts.noHeaders) {
    rows.push([
      ...(opts.allNamespaces ? ["NAMESPACE"] : []),
      ...visible.map(({ c }) => c.name.toUpperCase()),
      ...(opts.labelColumns ?? []).map(labelHeader),
      ...(opts.showLabels ? ["LABELS"] : []),
    ]);
  }
  for (const row of table.rows) {
    const meta = row.object?.metadata;
    const cells = visible.map(({ i }) => cellText(row.cells[i]));
    const nameAt = visible.findIndex(({ c }) => c.name.toLowerCase() === "name" && c.format === "name");
    const nameIndex = nameAt >= 0 ? nameAt : 0;
    if (opts.kindPrefix && cells.length) cells[nameIndex] = `${opts.kindPrefix}/${cells[nameIndex]}`;
    rows.push([
      ...(opts.allNamespaces ? [meta?.namespace ?? ""] : []),
      ...cells,
      ...(opts.labelColumns ?? []).map((k) => meta?.labels?.[k] ?? ""),
      ...(opts.showLabels ? [formatLabels(meta?.labels)] : []),
    ]);
  }
  return rows;
}

/** One table; nothing at all (not even headers) when it has no rows, as kubectl does. */
export function printTable(table: Table, opts: TableOptions): string {
  if (table.rows.length === 0) return "";
  return tabwrite(tableRows(table, opts));
}

/**
 * kubectl's own columns for objects a server sent without a Table (a watch of plain events):
 * NAME and AGE, decorated like any table (NAMESPACE, LABELS, -L).
 */
export function defaultTable(objects: KubeObject[], now = Date.now()): Table {
  return {
    columnDefinitions: [
      { name: "Name", type: "string", format: "name" },
      { name: "Age", type: "string" },
    ],
    rows: objects.map((o) => ({ cells: [o.metadata?.name ?? "", age(o.metadata?.creationTimestamp, now)], object: { metadata: o.metadata } })),
  };
}
