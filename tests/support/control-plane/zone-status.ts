// Sandbox only (off in tests, whose goldens must not move): what Datum's DNS operator does to a
// zone a moment after it is created — mark it Accepted and Programmed on Datum's nameservers.
import { rfc3339 } from "./context";
import { DNS_RECORD_SET, DNS_ZONE } from "./datum-types";
import { trackUpdate } from "./fields";
import type { Planes } from "./planes";
import type { Store } from "./store";
import type { Obj } from "./types";

const NAMESERVERS = ["ns1.datumdomains.net", "ns2.datumdomains.net"];

const condition = (type: string, message: string, at: string, generation: number) => ({
  type,
  status: "True",
  reason: type,
  message,
  lastTransitionTime: at,
  observedGeneration: generation,
});

/** Watches every project's store; returns a function that cancels the pending updates. */
export function settleNewZones(planes: Planes, afterMs: number, now: () => Date): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const settle = (store: Store, zone: Obj) => {
    const live = store.get(DNS_ZONE.storage, zone.metadata.namespace ?? "", zone.metadata.name);
    if (!live || live.metadata.uid !== zone.metadata.uid || live.status?.conditions?.length) return;
    const at = rfc3339(now());
    const generation = live.metadata.generation ?? 1;
    const records = store.list(DNS_RECORD_SET.storage, live.metadata.namespace).filter((r) => r.spec?.dnsZoneRef?.name === live.metadata.name);
    const next: Obj = {
      ...live,
      status: {
        conditions: [condition("Accepted", "Zone accepted", at, generation), condition("Programmed", "Zone programmed", at, generation)],
        nameservers: NAMESERVERS,
        recordCount: records.length,
      },
    };
    trackUpdate(live, next, { manager: "dns-operator", apiVersion: `${DNS_ZONE.group}/${DNS_ZONE.version}`, time: at, subresource: "status" });
    store.put(DNS_ZONE.storage, next);
  };
  planes.onProjectStore((store) =>
    store.subscribe((e) => {
      if (e.type !== "ADDED" || e.storage !== DNS_ZONE.storage || e.object.status?.conditions?.length) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        settle(store, e.object);
      }, afterMs);
      timers.add(timer);
    }),
  );
  return () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}
