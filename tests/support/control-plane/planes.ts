// Datum's control planes: which URL prefix names which plane, what each plane serves, and
// where its objects live. Organizations, projects and memberships live in the platform root's
// store; the user and organization planes are filtered views of it (as Milo's are), and each
// project has a store of its own for its DNS objects and events.
import { DNS_RECORD_SET, DNS_ZONE, ORGANIZATION, ORGANIZATION_MEMBERSHIP, PROJECT } from "./datum-types";
import { CORE_EVENT, EVENTS_K8S_EVENT } from "./event-types";
import { type Cause, notFound } from "./status";
import { Store } from "./store";
import type { Obj, PlaneRef, ResourceType } from "./types";

export interface Binding {
  type: ResourceType;
  /** Only objects this accepts exist in the plane. */
  visible?: (o: Obj) => boolean;
  /** Defaults for objects created through this plane. */
  prepare?: (o: Obj) => void;
  /** Extra admission checks for writes through this plane. */
  admit?: (o: Obj) => Cause[];
  readOnly?: boolean;
}

export interface Plane {
  ref: PlaneRef;
  store: Store;
  bindings: Binding[];
}

const PREFIXES: [PlaneRef["kind"], RegExp, (id: string) => string][] = [
  ["user", /^\/apis\/iam\.miloapis\.com\/v1alpha1\/users\/([^/]+)\/control-plane(?=\/|$)/, (id) => `/apis/iam.miloapis.com/v1alpha1/users/${id}/control-plane`],
  [
    "organization",
    /^\/apis\/resourcemanager\.miloapis\.com\/v1alpha1\/organizations\/([^/]+)\/control-plane(?=\/|$)/,
    (id) => `/apis/resourcemanager.miloapis.com/v1alpha1/organizations/${id}/control-plane`,
  ],
  [
    "project",
    /^\/apis\/resourcemanager\.miloapis\.com\/v1alpha1\/projects\/([^/]+)\/control-plane(?=\/|$)/,
    (id) => `/apis/resourcemanager.miloapis.com/v1alpha1/projects/${id}/control-plane`,
  ],
];

export function prefixFor(kind: PlaneRef["kind"], id: string): string {
  const p = PREFIXES.find(([k]) => k === kind);
  return p ? p[2](encodeURIComponent(id)) : "";
}

/** Split a request path into the plane it names and the path inside it. */
export function splitPrefix(path: string): { ref: PlaneRef; rest: string } {
  for (const [kind, re] of PREFIXES) {
    const m = re.exec(path);
    if (m) return { ref: { kind, id: decodeURIComponent(m[1]!), prefix: m[0] }, rest: path.slice(m[0].length) || "/" };
  }
  return { ref: { kind: "root", id: "", prefix: "" }, rest: path };
}

export type Role = "owner" | "viewer";

export class Planes {
  readonly root = new Store("root");
  private readonly projectStores = new Map<string, Store>();
  private readonly storeWatchers: ((s: Store) => void)[] = [];

  organization(id: string): Obj | undefined {
    return this.root.get(ORGANIZATION.storage, "", id);
  }

  project(id: string): Obj | undefined {
    return this.root.get(PROJECT.storage, "", id);
  }

  /** The store of a project's control plane, created on first use. */
  projectStore(id: string): Store {
    let s = this.projectStores.get(id);
    if (!s) {
      s = new Store(`project/${id}`);
      this.projectStores.set(id, s);
      for (const w of this.storeWatchers) w(s);
    }
    return s;
  }

  /** Calls `fn` with every project store, now and as they are created. */
  onProjectStore(fn: (s: Store) => void) {
    this.storeWatchers.push(fn);
    for (const s of this.projectStores.values()) fn(s);
  }

  dropProject(id: string) {
    this.projectStores.delete(id);
  }

  memberships(sub: string): Obj[] {
    return this.root.list(ORGANIZATION_MEMBERSHIP.storage).filter((m) => m.spec?.userRef?.name === sub);
  }

  /** The strongest role `sub` holds in an organization. */
  role(sub: string, orgId: string): Role | undefined {
    let best: Role | undefined;
    for (const m of this.memberships(sub)) {
      if (m.spec?.organizationRef?.name !== orgId) continue;
      for (const r of m.spec?.roles ?? []) {
        const name = String(r?.name ?? "");
        if (/owner|admin/.test(name)) best = "owner";
        else if (/viewer|member|reader/.test(name) && !best) best = "viewer";
      }
    }
    return best;
  }

  /** The plane a prefix names; 404 (in the parent resource's words) for unknown ids. */
  resolve(ref: PlaneRef): Plane {
    const root = this.root;
    switch (ref.kind) {
      case "root":
        return { ref, store: root, bindings: [{ type: ORGANIZATION }, { type: PROJECT }, { type: ORGANIZATION_MEMBERSHIP }] };
      case "user": {
        const sub = ref.id;
        const mine = (o: Obj) => o.spec?.userRef?.name === sub;
        const member = (o: Obj) => this.memberships(sub).some((m) => m.spec?.organizationRef?.name === o.metadata.name);
        return {
          ref,
          store: root,
          bindings: [
            { type: ORGANIZATION_MEMBERSHIP, visible: mine, readOnly: true },
            { type: ORGANIZATION, visible: member, readOnly: true },
          ],
        };
      }
      case "organization": {
        if (!this.organization(ref.id)) throw notFound(ORGANIZATION, ref.id);
        const owned = (o: Obj) => o.spec?.ownerRef?.name === ref.id;
        const prepare = (o: Obj) => {
          o.spec ??= {};
          o.spec.ownerRef ??= { kind: "Organization", name: ref.id };
        };
        const admit = (o: Obj): Cause[] =>
          owned(o)
            ? []
            : [
                {
                  reason: "FieldValueInvalid",
                  field: "spec.ownerRef.name",
                  message: `Invalid value: ${JSON.stringify(o.spec?.ownerRef?.name ?? "")}: must be the organization "${ref.id}"`,
                },
              ];
        return { ref, store: root, bindings: [{ type: PROJECT, visible: owned, prepare, admit }] };
      }
      case "project": {
        if (!this.project(ref.id)) throw notFound(PROJECT, ref.id);
        const types = [DNS_ZONE, DNS_RECORD_SET, CORE_EVENT, EVENTS_K8S_EVENT];
        return { ref, store: this.projectStore(ref.id), bindings: types.map((type) => ({ type })) };
      }
    }
  }

  exists(ref: PlaneRef): boolean {
    if (ref.kind === "organization") return !!this.organization(ref.id);
    if (ref.kind === "project") return !!this.project(ref.id);
    return true;
  }

  /** The organization whose members decide access to a plane. */
  orgOf(ref: PlaneRef): string | undefined {
    if (ref.kind === "organization") return ref.id;
    if (ref.kind === "project") return this.project(ref.id)?.spec?.ownerRef?.name;
    return undefined;
  }
}
