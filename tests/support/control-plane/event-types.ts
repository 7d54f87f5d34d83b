// Events, served twice like a real apiserver: core v1 and events.k8s.io/v1 share one storage
// (stored in the core shape) and convert on the way in and out.
import { date, int, obj, str } from "./schemas";
import type { Obj, ResourceType } from "./types";

const objectRef = () => obj({ apiVersion: str(), kind: str(), name: str(), namespace: str(), uid: str(), fieldPath: str(), resourceVersion: str() });

const STORAGE = "events";
const EVENT_FIELDS = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

export const CORE_EVENT: ResourceType = {
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  storage: STORAGE,
  table: "events",
  fieldSelectors: EVENT_FIELDS,
  schema: obj(
    {
      apiVersion: str(),
      kind: str(),
      metadata: { type: "object" },
      involvedObject: objectRef(),
      reason: str(),
      message: str(),
      source: obj({ component: str(), host: str() }),
      firstTimestamp: date(),
      lastTimestamp: date(),
      eventTime: date(),
      count: int(),
      type: str(),
      action: str(),
      related: objectRef(),
      reportingComponent: str(),
      reportingInstance: str(),
      series: obj({ count: int(), lastObservedTime: date() }),
    },
    ["involvedObject"],
    "Event is a report of an event somewhere in the cluster.",
  ),
};

/** events.k8s.io/v1 → stored core shape. */
function toCore(e: Obj): Obj {
  const out: Obj = {
    apiVersion: "v1",
    kind: "Event",
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    action: e.action,
    related: e.related,
    series: e.series,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Stored core shape → events.k8s.io/v1. */
function fromCore(e: Obj): Obj {
  const out: Obj = {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export const EVENTS_K8S_EVENT: ResourceType = {
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  storage: STORAGE,
  table: "events",
  fieldSelectors: EVENT_FIELDS.map((f) => f.replace("involvedObject.", "regarding.")),
  fromStorage: fromCore,
  toStorage: toCore,
  schema: obj(
    {
      apiVersion: str(),
      kind: str(),
      metadata: { type: "object" },
      regarding: objectRef(),
      related: objectRef(),
      note: str(),
      reason: str(),
      type: str(),
      eventTime: date(),
      action: str(),
      reportingController: str(),
      reportingInstance: str(),
      series: obj({ count: int(), lastObservedTime: date() }),
      deprecatedSource: obj({ component: str(), host: str() }),
      deprecatedFirstTimestamp: date(),
      deprecatedLastTimestamp: date(),
      deprecatedCount: int(),
    },
    ["eventTime"],
    "Event is a report of an event somewhere in the cluster.",
  ),
};

export const EVENT_TYPES = [CORE_EVENT, EVENTS_K8S_EVENT];
