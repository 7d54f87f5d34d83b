// Who may do what, from the seed's memberships: an organization's owners may do everything in
// its control plane and its projects' planes, viewers may get/list/watch; a user's own plane
// is theirs to read; the platform root belongs to platform admins only.
import type { Plane, Planes } from "./planes";
import type { Obj, Subject } from "./types";

export const READ_VERBS = ["get", "list", "watch"];

export interface Grant {
  /** "*" or a list of verbs. */
  verbs: string[];
  reason: string;
}

export function grantFor(planes: Planes, plane: Plane, subject: Subject, platformAdmins: Set<string>): Grant | undefined {
  const { ref } = plane;
  if (platformAdmins.has(subject.sub)) return { verbs: ["*"], reason: "platform administrator" };
  switch (ref.kind) {
    case "root":
      return undefined;
    case "user":
      return ref.id === subject.sub ? { verbs: READ_VERBS, reason: "your own user control plane" } : undefined;
    case "organization":
    case "project": {
      const org = planes.orgOf(ref);
      const role = org ? planes.role(subject.sub, org) : undefined;
      if (role === "owner") return { verbs: ["*"], reason: `owner of organization "${org}"` };
      if (role === "viewer") return { verbs: READ_VERBS, reason: `viewer of organization "${org}"` };
      return undefined;
    }
  }
}

export const allows = (g: Grant | undefined, verb: string) => !!g && (g.verbs.includes("*") || g.verbs.includes(verb));

/** Paths any authenticated user may GET (discovery, version, openapi). */
export const PUBLIC_PATHS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"];

export function nonResourceAllowed(path: string, verb: string): boolean {
  if (verb !== "get") return false;
  return PUBLIC_PATHS.some((p) => (p.endsWith("*") ? path.startsWith(p.slice(0, -1)) : path === p));
}

/** SelfSubjectRulesReview status for a plane. */
export function rulesFor(plane: Plane, grant: Grant | undefined): Obj {
  const resourceRules: Obj[] = [
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
    { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
  ];
  if (grant) {
    const groups = new Map<string, string[]>();
    for (const b of plane.bindings) groups.set(b.type.group, [...(groups.get(b.type.group) ?? []), b.type.plural]);
    for (const [group, resources] of groups) {
      resourceRules.push({ verbs: grant.verbs, apiGroups: [group], resources: grant.verbs.includes("*") ? ["*"] : resources });
    }
  }
  return {
    resourceRules,
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: PUBLIC_PATHS }],
    incomplete: false,
  };
}
