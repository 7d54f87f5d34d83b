// The onboarding gate: an organization that has not finished setup in the portal cannot be
// used yet. Checked once per command, only where the organization reports the condition
// (so self-hosted Datum without it is never blocked), with a portal link on datum.net hosts.
import type { ApiClient } from "../api/client";
import { DatumctlError } from "../errors";
import { resourcePath } from "../resources/paths";
import type { Scope } from "../scope/resolve";
import type { Session } from "../store/config";

const ORGANIZATIONS = { group: "resourcemanager.miloapis.com", version: "v1alpha1", resource: "organizations", namespaced: false };

const REASONS: Record<string, string> = {
  ContactInfoIncomplete: "contact details needed",
  BillingAccountMissing: "billing setup needed",
  PaymentMethodNotReady: "payment method needed",
};

export interface Onboarding {
  complete: boolean;
  /** Absent when the organization does not report the condition. */
  reason?: string;
  label: string;
  /** The portal page to finish setup, on Datum's own hosts. */
  actionUrl?: string;
}

interface Organization {
  metadata?: { annotations?: Record<string, string> };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

export function portalFor(server: string): string | undefined {
  const host = new URL(server).hostname;
  if (host.endsWith(".staging.env.datum.net")) return "https://cloud.staging.env.datum.net";
  if (host === "datum.net" || host.endsWith(".datum.net")) return "https://cloud.datum.net";
  return undefined;
}

export function evaluate(org: Organization, orgId: string, server: string): Onboarding {
  const c = org.status?.conditions?.find((x) => x.type === "OnboardingComplete");
  const portal = portalFor(server);
  const actionUrl = portal ? `${portal}/org/${encodeURIComponent(orgId)}/projects` : undefined;
  if (!c) return { complete: true, label: "ready" };
  if (c.status === "True" && c.reason === "Ready") return { complete: true, reason: "Ready", label: "ready" };
  const reason = c.reason || "ContactInfoIncomplete";
  return { complete: false, reason, label: REASONS[reason] ?? "setup needed", actionUrl };
}

export async function checkOrganization(user: ApiClient, orgId: string, server: string): Promise<Onboarding & { displayName: string }> {
  const org = await user.get<Organization>(resourcePath(ORGANIZATIONS, { name: orgId }));
  return { ...evaluate(org, orgId, server), displayName: org.metadata?.annotations?.["kubernetes.io/display-name"] ?? orgId };
}

export async function onboardingGate(user: ApiClient, scope: Scope, session: Session): Promise<void> {
  const orgId = scope.kind === "organization" ? scope.organization : scope.kind === "project" ? scope.organization : undefined;
  if (!orgId) return;
  let state: Awaited<ReturnType<typeof checkOrganization>>;
  try {
    state = await checkOrganization(user, orgId, session.endpoint.server);
  } catch (e) {
    // Not a member, or no such organization: the command's own request will say so precisely.
    if (e instanceof DatumctlError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) return;
    throw e;
  }
  if (state.complete) return;
  const { message, hint } = setupNeeded(state, orgId);
  throw new DatumctlError(message, { code: "ONBOARDING_INCOMPLETE", hint, details: state.reason });
}

/** What to tell a user about an organization that is not set up yet, and where to finish. */
export function setupNeeded(state: Onboarding & { displayName: string }, orgId: string): { message: string; hint: string } {
  return {
    message: `${state.displayName} (${orgId}) needs setup before it can be used: ${state.label}`,
    hint: state.actionUrl ? `Finish it at ${state.actionUrl}` : "Finish the organization's setup in the Datum Cloud portal.",
  };
}
