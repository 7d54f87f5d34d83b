// `datumctl get organizations`: the organizations you belong to, from your own control plane,
// each with its onboarding status (checked in parallel) and a footer for those that need setup.
import type { Runtime } from "../runtime";
import { scopedClient } from "../resources/scoped";
import { DatumctlError, invalidInput } from "../errors";
import { checkOrganization, type Onboarding } from "../onboarding/gate";
import { age } from "../printers/age";
import { parseOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { tabwrite } from "../printers/tabwriter";

const RM = "/apis/resourcemanager.miloapis.com/v1alpha1";
export const ORGANIZATION_ALIASES = ["organizations", "organization", "orgs", "org"];
const FORMATS = ["wide", "name", "json", "yaml"];

interface Membership {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; creationTimestamp?: string; annotations?: Record<string, string> };
  spec?: { organizationRef?: { name?: string }; userRef?: { name?: string } };
  status?: { organization?: { displayName?: string }; user?: { email?: string } };
}

const orgOf = (m: Membership) => m.spec?.organizationRef?.name ?? "";

export async function getOrganizations(rt: Runtime, name: string | undefined, output = ""): Promise<string> {
  const format = parseOutput(output, {
    formats: FORMATS,
    unsupported: (raw) => invalidInput(`output format "${raw}" is not supported for organizations`, "Use wide, name, json or yaml."),
  })?.kind;
  const { user, session } = await scopedClient(rt, { scope: { kind: "user", source: "default" }, skipOnboarding: true });
  const list = await user.get<{ apiVersion?: string; kind?: string; metadata?: unknown; items?: Membership[] }>(`${RM}/organizationmemberships`);
  let items = (list.items ?? []).filter((m) => orgOf(m)).sort((a, b) => orgOf(a).localeCompare(orgOf(b)));
  if (name) {
    items = items.filter((m) => orgOf(m) === name || m.metadata.name === name);
    if (items.length === 0) {
      throw new DatumctlError(`the organization "${name}" was not found`, {
        code: "NOT_FOUND",
        hint: "Run 'datumctl get organizations' to see organizations you can access.",
      });
    }
  }
  if (format === "name") return items.map((m) => `organization/${orgOf(m)}\n`).join("");

  const states = new Map<string, Onboarding | undefined>();
  await Promise.all(
    [...new Set(items.map(orgOf))].map(async (id) => {
      states.set(id, await checkOrganization(user, id, session.endpoint.server).catch(() => undefined));
    }),
  );

  if (format === "json" || format === "yaml") {
    for (const m of items) {
      const s = states.get(orgOf(m));
      m.metadata.annotations = {
        ...m.metadata.annotations,
        "datum.net/onboarding-status": s ? (s.complete ? "complete" : "incomplete") : "unknown",
        ...(s?.reason ? { "datum.net/onboarding-reason": s.reason } : {}),
        ...(s?.actionUrl ? { "datum.net/onboarding-action-url": s.actionUrl } : {}),
      };
    }
    const doc = {
      apiVersion: list.apiVersion ?? "resourcemanager.miloapis.com/v1alpha1",
      kind: list.kind ?? "OrganizationMembershipList",
      metadata: list.metadata ?? {},
      items,
    };
    return printRecord(format, doc, "    ");
  }

  const wide = format === "wide";
  const rows = items.map((m) => {
    const s = states.get(orgOf(m));
    const row = [orgOf(m), m.status?.organization?.displayName ?? orgOf(m), s?.label ?? "unknown", age(m.metadata.creationTimestamp)];
    if (wide) row.push(m.status?.user?.email ?? m.spec?.userRef?.name ?? "");
    return row;
  });
  if (rows.length === 0) {
    rt.io.err("No organizations found. Create one in the Datum Cloud portal.\n");
    return "";
  }
  const needSetup = items.map(orgOf).filter((id, i, all) => all.indexOf(id) === i && states.get(id) && !states.get(id)!.complete);
  rt.io.out(tabwrite([["ORGANIZATION", "DISPLAY NAME", "STATUS", "AGE", ...(wide ? ["USER"] : [])], ...rows]));
  if (needSetup.length) {
    const lines = needSetup.map((id) => {
      const s = states.get(id)!;
      return `  ${id} (${s.label})${s.actionUrl ? `: ${s.actionUrl}` : ""}`;
    });
    // For people, so on stderr: a script reading the table never sees it.
    rt.io.err(`\nSome organizations still need setup before you can use them with datumctl:\n${lines.join("\n")}\n`);
  }
  return "";
}
