// Direct object access for tests (and the seed): read and write a plane's objects without
// HTTP, authorization or validation. Writes still stamp uid, generation, creationTimestamp,
// managedFields and a resourceVersion, and watchers see them.
import { rfc3339 } from "./context";
import { trackUpdate } from "./fields";
import { type Binding, type Plane, type Planes, splitPrefix } from "./planes";
import { clone, deepEqual, type Obj } from "./types";

export interface ObjectAccess {
  /** One object by resource ("dnszones" or "dnszones.dns.networking.miloapis.com"). */
  get(prefix: string, resource: string, name: string, namespace?: string): Obj | undefined;
  list(prefix: string, resource: string, namespace?: string): Obj[];
  /** Create or replace an object (type from apiVersion/kind; namespace defaults to "default"). */
  put(prefix: string, obj: Obj, opts?: { manager?: string }): Obj;
  /** Delete an object; returns it, or undefined if it was not there. */
  remove(prefix: string, resource: string, name: string, namespace?: string): Obj | undefined;
}

export function objectAccess(planes: Planes, now: () => Date): ObjectAccess {
  const plane = (prefix: string): Plane => planes.resolve(splitPrefix(prefix || "/").ref);
  const byResource = (p: Plane, resource: string): Binding => {
    const b = p.bindings.find((x) => x.type.plural === resource || `${x.type.plural}.${x.type.group}` === resource);
    if (!b) throw new Error(`control plane ${p.ref.kind} ${p.ref.id} serves no "${resource}"`);
    return b;
  };
  const shape = (b: Binding, o: Obj) =>
    b.type.fromStorage ? b.type.fromStorage(o) : { ...o, apiVersion: b.type.group ? `${b.type.group}/${b.type.version}` : b.type.version, kind: b.type.kind };
  const nsOf = (b: Binding, ns?: string) => (b.type.namespaced ? (ns ?? "default") : "");

  return {
    get(prefix, resource, name, namespace) {
      const p = plane(prefix);
      const b = byResource(p, resource);
      const o = p.store.get(b.type.storage, nsOf(b, namespace), name);
      return o && (!b.visible || b.visible(o)) ? shape(b, o) : undefined;
    },
    list(prefix, resource, namespace) {
      const p = plane(prefix);
      const b = byResource(p, resource);
      return p.store
        .list(b.type.storage, b.type.namespaced ? namespace : undefined)
        .filter((o) => !b.visible || b.visible(o))
        .map((o) => shape(b, o));
    },
    put(prefix, input, opts = {}) {
      const p = plane(prefix);
      const b = p.bindings.find(
        (x) => x.type.kind === input.kind && (x.type.group ? `${x.type.group}/${x.type.version}` : x.type.version) === input.apiVersion,
      );
      if (!b) throw new Error(`control plane ${p.ref.kind} ${p.ref.id} serves no ${input.apiVersion} ${input.kind}`);
      const o = clone(input);
      o.metadata ??= {};
      if (b.type.namespaced) o.metadata.namespace ??= "default";
      const live = p.store.get(b.type.storage, o.metadata.namespace ?? "", o.metadata.name);
      const liveShaped = live && shape(b, live);
      const at = rfc3339(now());
      o.metadata.uid ??= live?.metadata.uid ?? crypto.randomUUID();
      o.metadata.creationTimestamp ??= live?.metadata.creationTimestamp ?? at;
      const { metadata: _a, status: _b, ...spec } = o;
      const { metadata: _c, status: _d, ...liveSpec } = liveShaped ?? {};
      o.metadata.generation ??= !liveShaped ? 1 : deepEqual(spec, liveSpec) ? liveShaped.metadata.generation : (liveShaped.metadata.generation ?? 1) + 1;
      if (o.metadata.managedFields === undefined) {
        // Spec and metadata as the portal would have written them, status as a controller would.
        const specOnly = clone(o);
        if (b.type.statusSubresource) {
          if (liveShaped?.status === undefined) delete specOnly.status;
          else specOnly.status = liveShaped.status;
        }
        trackUpdate(liveShaped, specOnly, { manager: opts.manager ?? "datum-cloud-portal", apiVersion: o.apiVersion, time: at });
        o.metadata.managedFields = specOnly.metadata.managedFields;
        if (b.type.statusSubresource)
          trackUpdate(specOnly, o, { manager: "milo-controller-manager", apiVersion: o.apiVersion, time: at, subresource: "status" });
        if (o.metadata.managedFields === undefined) delete o.metadata.managedFields;
      }
      delete o.metadata.resourceVersion;
      return shape(b, p.store.put(b.type.storage, b.type.toStorage ? b.type.toStorage(o) : o));
    },
    remove(prefix, resource, name, namespace) {
      const p = plane(prefix);
      const b = byResource(p, resource);
      const gone = p.store.delete(b.type.storage, nsOf(b, namespace), name);
      return gone && shape(b, gone);
    },
  };
}
