// One object store per backing database: objects keyed by storage/namespace/name, a single
// resourceVersion counter, and an event log so watches can resume from any resourceVersion.
import { clone, type Obj } from "./types";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  storage: string;
  rv: number;
  object: Obj;
  /** The object before the change (MODIFIED, DELETED). */
  old?: Obj;
}

const keyOf = (storage: string, ns: string, name: string) => `${storage}\u0000${ns}\u0000${name}`;

export class Store {
  private rv: number;
  private readonly objects = new Map<string, { storage: string; obj: Obj }>();
  private readonly log: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    readonly name: string,
    startRv = 1000,
  ) {
    this.rv = startRv;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  get(storage: string, ns: string, name: string): Obj | undefined {
    const e = this.objects.get(keyOf(storage, ns, name));
    return e && clone(e.obj);
  }

  /** Objects of one storage, sorted by namespace then name; all namespaces when ns is undefined. */
  list(storage: string, ns?: string): Obj[] {
    const out: Obj[] = [];
    for (const e of this.objects.values()) {
      if (e.storage !== storage) continue;
      if (ns !== undefined && (e.obj.metadata.namespace ?? "") !== ns) continue;
      out.push(e.obj);
    }
    out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    return out.map(clone);
  }

  /** Write (create or replace) an object, stamping a new resourceVersion. */
  put(storage: string, o: Obj): Obj {
    const ns = o.metadata.namespace ?? "";
    const key = keyOf(storage, ns, o.metadata.name);
    const old = this.objects.get(key)?.obj;
    this.rv++;
    const stored = ordered(clone(o));
    stored.metadata.resourceVersion = String(this.rv);
    this.objects.set(key, { storage, obj: stored });
    this.emit({ type: old ? "MODIFIED" : "ADDED", storage, rv: this.rv, object: clone(stored), ...(old ? { old: clone(old) } : {}) });
    return clone(stored);
  }

  delete(storage: string, ns: string, name: string): Obj | undefined {
    const key = keyOf(storage, ns, name);
    const old = this.objects.get(key)?.obj;
    if (!old) return undefined;
    this.objects.delete(key);
    this.rv++;
    // The DELETED event carries the last state with the deletion's resourceVersion, like etcd3.
    const gone = clone(old);
    gone.metadata.resourceVersion = String(this.rv);
    this.emit({ type: "DELETED", storage, rv: this.rv, object: clone(gone), old: clone(old) });
    return gone;
  }

  /** Events after resourceVersion `rv`; undefined when `rv` is in the future. */
  since(storage: string, rv: number): StoreEvent[] | undefined {
    if (rv > this.rv) return undefined;
    return this.log.filter((e) => e.storage === storage && e.rv > rv).map((e) => clone(e));
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: StoreEvent) {
    this.log.push(e);
    for (const fn of [...this.listeners]) fn(clone(e));
  }
}

const sortKey = (o: Obj) => `${o.metadata.namespace ?? ""}\u0000${o.metadata.name}`;

const TOP = ["apiVersion", "kind", "metadata", "spec"];
const META = [
  "name",
  "generateName",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];

/** Keys in the order the apiserver writes them, so JSON output reads like the real thing. */
function ordered(o: Obj): Obj {
  const sort = (x: Obj, order: string[]) => {
    const out: Obj = {};
    for (const k of order) if (k in x) out[k] = x[k];
    for (const k of Object.keys(x)) if (!(k in out)) out[k] = x[k];
    return out;
  };
  const top = sort(o, TOP);
  top.metadata = sort(top.metadata ?? {}, META);
  top.metadata.resourceVersion = ""; // placeholder keeps its slot
  return top;
}
