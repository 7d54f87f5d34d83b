// Server-side Tables (meta.k8s.io/v1) the way the CRD table convertor builds them: NAME, then
// the additionalPrinterColumns evaluated by JSONPath, dates as kubectl's human durations.
import { evaluate, printValue } from "./jsonpath";
import type { Obj, PrinterColumn, ResourceType } from "./types";

const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const since = (ts: unknown, now: Date) => (typeof ts === "string" && ts ? humanDuration(now.getTime() - Date.parse(ts)) : "<unknown>");

function columnsOf(t: ResourceType): PrinterColumn[] {
  return t.columns ?? [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: AGE_DESCRIPTION }];
}

/** apiextensions' cellForJSONValue, after the string case (JSONPath printing). */
function cell(col: PrinterColumn, o: Obj, now: Date): unknown {
  let found: unknown[];
  try {
    found = evaluate(col.jsonPath, o);
  } catch {
    return null;
  }
  if (!found.length) return null;
  const v = found[0];
  if (v === null || v === undefined) return null;
  switch (col.type) {
    case "string":
      return printValue(v);
    case "integer":
      return typeof v === "number" ? Math.trunc(v) : null;
    case "number":
      return typeof v === "number" ? v : null;
    case "boolean":
      return typeof v === "boolean" ? v : null;
    case "date":
      if (typeof v !== "string") return null;
      return Number.isNaN(Date.parse(v)) ? "<invalid>" : since(v, now);
  }
}

const EVENT_COLUMNS = [
  ["Last Seen", 0],
  ["Type", 0],
  ["Reason", 0],
  ["Object", 0],
  ["Subobject", 1],
  ["Source", 1],
  ["Message", 0],
  ["First Seen", 1],
  ["Count", 1],
  ["Name", 1],
] as const;

/** The built-in core Event printer (pkg/printers/internalversion). */
function eventCells(e: Obj, now: Date): unknown[] {
  const core = e.regarding
    ? {
        ...e,
        involvedObject: e.regarding,
        message: e.note,
        source: e.deprecatedSource,
        firstTimestamp: e.deprecatedFirstTimestamp,
        lastTimestamp: e.deprecatedLastTimestamp,
        count: e.deprecatedCount,
        reportingComponent: e.reportingController,
      }
    : e;
  const io = core.involvedObject ?? {};
  const last = core.series?.lastObservedTime ?? core.lastTimestamp ?? core.eventTime ?? core.metadata?.creationTimestamp;
  const first = core.firstTimestamp ?? core.eventTime;
  const src = core.source?.component ? [core.source.component, core.source.host].filter(Boolean).join(", ") : (core.reportingComponent ?? "");
  const count = core.series?.count ?? core.count ?? 1;
  return [
    since(last, now),
    core.type ?? "",
    core.reason ?? "",
    `${String(io.kind ?? "").toLowerCase()}/${io.name ?? ""}`,
    io.fieldPath ?? "",
    src,
    String(core.message ?? "").trim(),
    since(first, now),
    String(count),
    e.metadata?.name ?? "",
  ];
}

export function columnDefinitions(t: ResourceType): Obj[] {
  if (t.table === "events") {
    return EVENT_COLUMNS.map(([name, priority]) => ({ name, type: "string", format: "", description: "", priority }));
  }
  return [
    { name: "Name", type: "string", format: "name", description: NAME_DESCRIPTION, priority: 0 },
    ...columnsOf(t).map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
  ];
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function tableRow(t: ResourceType, o: Obj, now: Date, include: IncludeObject): Obj {
  const cells = t.table === "events" ? eventCells(o, now) : [o.metadata?.name, ...columnsOf(t).map((c) => cell(c, o, now))];
  const row: Obj = { cells };
  if (include === "Object") row.object = o;
  else if (include === "Metadata") row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
  return row;
}

export interface TableOptions {
  now: Date;
  include: IncludeObject;
  apiVersion: string; // meta.k8s.io/v1 or v1beta1
  noHeaders?: boolean;
  listMeta?: Obj;
}

export function buildTable(t: ResourceType, objects: Obj[], o: TableOptions): Obj {
  return {
    kind: "Table",
    apiVersion: o.apiVersion,
    metadata: o.listMeta ?? {},
    columnDefinitions: o.noHeaders ? null : columnDefinitions(t),
    rows: objects.map((obj) => tableRow(t, obj, o.now, o.include)),
  };
}
