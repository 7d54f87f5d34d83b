// --sort-by: order objects by a JSONPath field, as kubectl does (numbers numerically,
// everything else by its text, byte order). Tables are reordered by the same objects.
import type { ApiClient } from "../api/client";
import type { KubeObject, TableRow } from "../api/types";
import type { ApiResource } from "../discovery/index";
import { invalidInput } from "../errors";
import { type ListQuery, listObjects } from "../resources/fetch";

async function fieldOf(expr: string): Promise<(o: KubeObject) => unknown> {
  const { relaxedJsonPath, evaluateJsonPath } = await import("../printers/jsonpath/index");
  let template: string;
  try {
    template = relaxedJsonPath(expr);
  } catch (e) {
    throw invalidInput((e as Error).message);
  }
  return (o) => evaluateJsonPath(template, o)[0];
}

function compare(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = typeof a === "string" ? a : JSON.stringify(a);
  const y = typeof b === "string" ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export async function sortObjects(objects: KubeObject[], expr: string): Promise<KubeObject[]> {
  const field = await fieldOf(expr);
  const keyed = objects.map((o) => ({ o, k: field(o) }));
  if (objects.length > 0 && keyed.every((x) => x.k === undefined)) {
    throw invalidInput(`couldn't find any field with path "${expr}" in the list of objects`);
  }
  return keyed.sort((a, b) => compare(a.k, b.k)).map((x) => x.o);
}

const key = (m: { namespace?: string; name?: string } | undefined) => `${m?.namespace ?? ""}/${m?.name ?? ""}`;

/** Server tables carry only metadata, so the order comes from the full objects. */
export async function sortTableRows(client: ApiClient, r: ApiResource, q: ListQuery, rows: TableRow[], expr: string): Promise<TableRow[]> {
  const order = (await sortObjects((await listObjects(client, r, q)).items, expr)).map((o) => key(o.metadata));
  const position = new Map(order.map((k, i) => [k, i]));
  return [...rows].sort((a, b) => (position.get(key(a.object?.metadata)) ?? 0) - (position.get(key(b.object?.metadata)) ?? 0));
}
