// Which organizations and projects a session can use: its memberships from the user control
// plane, then every organization's projects, all organizations at once. One organization
// failing does not hide the others (the Go tool aborted the whole listing on the first failure).
import { rfc3339Seconds } from "../auth/lifetime";
import { sessionClient } from "../auth/session-client";
import type { AuthRuntime } from "../auth/token-source";
import { controlPlanePath } from "../resources/scope-urls";
import type { CachedOrganization, CachedProject, ConfigContext, DatumctlConfig, Session } from "../store/config";

const RM = "/apis/resourcemanager.miloapis.com/v1alpha1";
const DISPLAY_NAME = "kubernetes.io/display-name";

interface Membership {
  metadata?: { name?: string };
  spec?: { organizationRef?: { name?: string } };
  status?: { organization?: { displayName?: string } };
}

interface Project {
  metadata: { name: string; annotations?: Record<string, string> };
}

export interface ContextListing {
  organizations: CachedOrganization[];
  projects: CachedProject[];
  /** Organizations whose projects could not be listed, with why. */
  failures: { org: string; message: string }[];
}

export async function listContexts(rt: AuthRuntime, session: Session, subject: string): Promise<ContextListing> {
  const api = sessionClient(rt, session);
  const memberships = await api.get<{ items?: Membership[] }>(`${controlPlanePath({ kind: "user", subject })}${RM}/organizationmemberships`);
  const organizations: CachedOrganization[] = [];
  for (const m of memberships.items ?? []) {
    const id = m.spec?.organizationRef?.name;
    if (!id || organizations.some((o) => o.id === id)) continue;
    organizations.push({ id, "display-name": m.status?.organization?.displayName || id, session: session.name });
  }
  organizations.sort((a, b) => a.id.localeCompare(b.id));
  const results = await Promise.allSettled(
    organizations.map((o) => api.get<{ items?: Project[] }>(`${controlPlanePath({ kind: "organization", id: o.id })}${RM}/projects`)),
  );
  const projects: CachedProject[] = [];
  const failures: ContextListing["failures"] = [];
  results.forEach((r, i) => {
    const org = organizations[i]!.id;
    if (r.status === "rejected") {
      failures.push({ org, message: (r.reason as Error)?.message ?? String(r.reason) });
      return;
    }
    for (const p of r.value.items ?? []) {
      projects.push({ id: p.metadata.name, "display-name": p.metadata.annotations?.[DISPLAY_NAME] || p.metadata.name, "org-id": org, session: session.name });
    }
  });
  projects.sort((a, b) => a["org-id"].localeCompare(b["org-id"]) || a.id.localeCompare(b.id));
  return { organizations, projects, failures };
}

export const contextName = (session: string, org: string, project?: string) => (project ? `${session}/${org}/${project}` : `${session}/${org}`);

/** Replaces one session's contexts and cache entries with what the listing found. */
export function applyListing(cfg: DatumctlConfig, session: string, found: ContextListing): void {
  const others = <T extends { session: string }>(xs: T[] | undefined) => (xs ?? []).filter((x) => x.session !== session);
  const contexts: ConfigContext[] = [];
  for (const o of found.organizations) {
    contexts.push({ name: contextName(session, o.id), session, "organization-id": o.id });
    for (const p of found.projects.filter((p) => p["org-id"] === o.id)) {
      contexts.push({ name: contextName(session, o.id, p.id), session, "organization-id": o.id, "project-id": p.id, namespace: "default" });
    }
  }
  cfg.contexts = [...(cfg.contexts ?? []).filter((c) => c.session !== session), ...contexts];
  cfg.cache ??= {};
  cfg.cache.organizations = [...others(cfg.cache.organizations), ...found.organizations];
  cfg.cache.projects = [...others(cfg.cache.projects), ...found.projects];
  cfg.cache["last-refreshed"] = rfc3339Seconds(Date.now());
}
