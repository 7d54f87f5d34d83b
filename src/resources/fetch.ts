// Fetching what `get` shows: lists page by page (limit/continue), named objects one by one,
// as server-side Tables for the table printer or as objects for every other printer.
import type { ApiClient } from "../api/client";
import type { KubeList, KubeObject, Table } from "../api/types";
import type { ApiResource } from "../discovery/index";
import { DatumctlError } from "../errors";
import { resourcePath } from "./paths";

export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; 0 fetches everything at once. */
  chunkSize: number;
}

function query(q: ListQuery, cont?: string): string {
  const p = new URLSearchParams();
  if (q.labelSelector) p.set("labelSelector", q.labelSelector);
  if (q.fieldSelector) p.set("fieldSelector", q.fieldSelector);
  if (q.chunkSize > 0) p.set("limit", String(q.chunkSize));
  if (cont) p.set("continue", cont);
  const s = p.toString();
  return s ? `?${s}` : "";
}

function malformed(client: ApiClient, r: ApiResource, what: string): DatumctlError {
  return new DatumctlError(`the server sent something other than ${what} of ${r.resource} from ${client.url(resourcePath(r))}`, {
    code: "SERVER",
    retryable: true,
  });
}

export async function listTable(client: ApiClient, r: ApiResource, q: ListQuery): Promise<Table> {
  let table: Table | undefined;
  let cont: string | undefined;
  do {
    const page = await client.get<Table>(resourcePath(r, { namespace: q.namespace }) + query(q, cont), { headers: { accept: TABLE_ACCEPT } });
    if (!Array.isArray(page?.rows) || !Array.isArray(page.columnDefinitions)) throw malformed(client, r, "a table");
    if (!table) table = { ...page, rows: [...(page.rows ?? [])] };
    else table.rows.push(...(page.rows ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return table;
}

/** Items of a list, each with its apiVersion and kind filled in (servers may leave them out). */
export async function listObjects(client: ApiClient, r: ApiResource, q: ListQuery): Promise<{ items: KubeObject[]; resourceVersion?: string }> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  do {
    const page = await client.get<KubeList>(resourcePath(r, { namespace: q.namespace }) + query(q, cont));
    if (!Array.isArray(page?.items)) throw malformed(client, r, "a list");
    for (const item of page.items ?? []) items.push({ apiVersion, kind: r.kind, ...item });
    cont = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion;
  } while (cont);
  return { items, resourceVersion };
}

/** One object by name; a missing one raises the server's NotFound. */
export async function getOne<T>(client: ApiClient, r: ApiResource, name: string, namespace: string | undefined, table: boolean): Promise<T> {
  return client.get<T>(resourcePath(r, { namespace, name }), { headers: { accept: table ? TABLE_ACCEPT : "application/json" } });
}
