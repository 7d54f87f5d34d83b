// `describe` for any object, laid out the way kubectl's generic describer lays out custom
// resources: name, namespace, labels and annotations first, then every field in key order
// with camelCase turned into words, then the object's events.
import type { KubeObject } from "../api/types";
import { age } from "../printers/age";
import { formatTabs, KUBECTL_DESCRIBE } from "../printers/tabwriter";
import { goString } from "../printers/go-fmt";

const ACRONYMS = new Set(["API", "URL", "UID", "OSB", "GUID"]);
const SKIP = new Set([".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);
const SKIP_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);
const MAX_ANNOTATION = 140;

/** Splits camelCase as Go's camelcase package does: runs of lower, upper, digits, other. */
function camelWords(s: string): string[] {
  const kind = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 4);
  const runs: string[] = [];
  let last = 0;
  for (const c of s) {
    const k = kind(c);
    if (k === last) runs[runs.length - 1] += c;
    else runs.push(c);
    last = k;
  }
  // An upper-case run hands its last letter to a lower-case run after it: "apiVersion" →
  // api, Version; "HTTPServer" → HTTP, Server.
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i]![0]!) === 2 && kind(runs[i + 1]![0]!) === 1) {
      runs[i + 1] = runs[i]!.slice(-1) + runs[i + 1];
      runs[i] = runs[i]!.slice(0, -1);
    }
  }
  return runs.filter((r) => r.length > 0);
}

export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelWords(field)
    .filter((p) => p !== "_")
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(" ");
}

class Lines {
  text = "";
  write(level: number, s: string) {
    this.text += "  ".repeat(level) + s;
  }
}

function content(w: Lines, level: number, obj: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(obj).sort()) {
    const path = `${prefix}.${field}`;
    if (SKIP.has(path)) continue;
    const value = obj[field];
    if (value && typeof value === "object" && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      content(w, level + 1, value as Record<string, unknown>, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === "object" && !Array.isArray(child)) content(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${goString(child as never)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goString(value as never)}\n`);
    }
  }
}

function labels(w: Lines, title: string, values: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(values ?? {}).sort();
  if (keys.length === 0) return w.write(0, "<none>\n");
  keys.forEach((k, i) => w.write(0, `${i ? "\t" : ""}${k}=${values![k]}\n`));
}

function annotations(w: Lines, values: Record<string, string> | undefined): void {
  w.write(0, "Annotations:\t");
  const keys = Object.keys(values ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) return w.write(0, "<none>\n");
  keys.forEach((k, i) => {
    if (i) w.write(0, "\t");
    const value = values![k]!.replace(/\n$/, "");
    if (value.length + k.length + 2 > MAX_ANNOTATION || value.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const line of value.split("\n")) w.write(0, `\t  ${line.length > MAX_ANNOTATION - 2 ? line.slice(0, MAX_ANNOTATION - 2) + "..." : line}\n`);
    } else {
      w.write(0, `${k}: ${value}\n`);
    }
  });
}

export interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingController?: string;
}

function events(list: EventLike[], now: number): { flushFirst: boolean; text: string } {
  const w = new Lines();
  if (list.length === 0) {
    w.write(0, "Events:\t<none>\n");
    return { flushFirst: false, text: w.text };
  }
  const sorted = [...list].sort((a, b) => Date.parse(a.lastTimestamp ?? "") - Date.parse(b.lastTimestamp ?? "") || 0);
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = e.eventTime ? age(e.eventTime, now) : age(e.firstTimestamp, now);
    const interval = e.series
      ? `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`
      : (e.count ?? 0) > 1
        ? `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`
        : first;
    w.write(1, `${e.type ?? ""}\t${e.reason ?? ""}\t${interval}\t${e.source?.component || e.reportingController || ""}\t${(e.message ?? "").trim()}\n`);
  }
  return { flushFirst: true, text: w.text };
}

/** The describe text; `eventList` undefined when events were not looked up (--show-events=false). */
export function describeGeneric(obj: KubeObject, eventList: EventLike[] | undefined, now = Date.now()): string {
  const w = new Lines();
  const meta = obj.metadata ?? {};
  w.write(0, `Name:\t${meta.name ?? ""}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ""}\n`);
  labels(w, "Labels", meta.labels);
  annotations(w, meta.annotations);
  content(w, 0, obj as Record<string, unknown>, "");
  if (!eventList) return formatTabs(w.text, KUBECTL_DESCRIBE);
  const ev = events(eventList, now);
  // kubectl flushes its tab writer before an events table, but not before "Events: <none>".
  return ev.flushFirst ? formatTabs(w.text, KUBECTL_DESCRIBE) + formatTabs(ev.text, KUBECTL_DESCRIBE) : formatTabs(w.text + ev.text, KUBECTL_DESCRIBE);
}
