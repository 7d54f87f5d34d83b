// The world the local control plane starts with. Exported so the sandbox can print it and
// tests can name what is there: two organizations (acme ready, globex waiting for billing),
// three projects, DNS zones and record sets in acme/web, one event, and memberships
// (ada: owner of acme, viewer of globex; bob: viewer of acme).
import { ADA, BOB, type TestUser } from "../users";
import type { Obj } from "./types";

export interface Seed {
  /** Objects of the platform root: organizations, projects, organization memberships. */
  root: Obj[];
  /** Objects in each project's control plane, by project id. */
  projects: Record<string, Obj[]>;
  /** OIDC subjects allowed to use the platform root. */
  platformAdmins: string[];
}

const RM = "resourcemanager.miloapis.com/v1alpha1";
const DNS = "dns.networking.miloapis.com/v1alpha1";
const DISPLAY = "kubernetes.io/display-name";

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const H = 3600_000;
const D = 24 * H;

function condition(type: string, status: "True" | "False" | "Unknown", reason: string, message: string, at: string) {
  return { type, status, reason, message, lastTransitionTime: at, observedGeneration: 1 };
}

function organization(now: Date, name: string, displayName: string, age: number, onboarding: [boolean, string, string]): Obj {
  const at = ago(now, age);
  return {
    apiVersion: RM,
    kind: "Organization",
    metadata: {
      name,
      annotations: { [DISPLAY]: displayName },
      labels: { "resourcemanager.miloapis.com/organization-type": "Standard" },
      creationTimestamp: at,
    },
    spec: { type: "Standard" },
    status: {
      observedGeneration: 1,
      conditions: [
        condition("Ready", "True", "Ready", "Organization is ready", at),
        condition("OnboardingComplete", onboarding[0] ? "True" : "False", onboarding[1], onboarding[2], at),
      ],
    },
  };
}

function project(now: Date, name: string, displayName: string, org: string, age: number): Obj {
  const at = ago(now, age);
  return {
    apiVersion: RM,
    kind: "Project",
    metadata: { name, annotations: { [DISPLAY]: displayName }, labels: { "resourcemanager.miloapis.com/organization-name": org }, creationTimestamp: at },
    spec: { ownerRef: { kind: "Organization", name: org } },
    status: { conditions: [condition("Ready", "True", "Ready", "Project is ready", at)] },
  };
}

function membership(now: Date, user: TestUser, org: string, orgDisplay: string, role: string, age: number): Obj {
  const at = ago(now, age);
  const [givenName, ...family] = user.name.split(" ");
  const ns = `organization-${org}`;
  return {
    apiVersion: RM,
    kind: "OrganizationMembership",
    metadata: { name: `member-${user.id}`, namespace: ns, creationTimestamp: at },
    spec: { organizationRef: { name: org }, userRef: { name: user.id }, roles: [{ name: role, namespace: ns }] },
    status: {
      observedGeneration: 1,
      appliedRoles: [{ name: role, namespace: ns, status: "Applied" }],
      conditions: [condition("Ready", "True", "Ready", "Membership is ready", at)],
      organization: { displayName: orgDisplay, type: "Standard" },
      user: { email: user.email, givenName, familyName: family.join(" ") },
    },
  };
}

function zone(now: Date, name: string, domainName: string, labels: Record<string, string>, programmed: boolean, records: number, age: number): Obj {
  const at = ago(now, age);
  return {
    apiVersion: DNS,
    kind: "DNSZone",
    metadata: { name, namespace: "default", labels, creationTimestamp: at },
    spec: { domainName, dnsZoneClassName: "datum-external-global-dns" },
    status: {
      conditions: [
        condition("Accepted", "True", "Accepted", "Zone accepted", at),
        programmed
          ? condition("Programmed", "True", "Programmed", "Zone programmed", at)
          : condition("Programmed", "False", "Pending", "Waiting for nameserver delegation", at),
      ],
      nameservers: ["ns1.datumdomains.net", "ns2.datumdomains.net"],
      recordCount: records,
    },
  };
}

function recordSet(now: Date, name: string, zoneName: string, recordType: string, records: Obj[], age: number): Obj {
  const at = ago(now, age);
  return {
    apiVersion: DNS,
    kind: "DNSRecordSet",
    metadata: { name, namespace: "default", labels: { "dns.networking.miloapis.com/zone": zoneName }, creationTimestamp: at },
    spec: { dnsZoneRef: { name: zoneName }, recordType, records },
    status: {
      conditions: [
        condition("Accepted", "True", "Accepted", "Record set accepted", at),
        condition("Programmed", "True", "Programmed", "Record set programmed", at),
      ],
    },
  };
}

export function defaultSeed(now: Date = new Date()): Seed {
  return {
    platformAdmins: [],
    root: [
      organization(now, "acme", "Acme Corp", 30 * D, [true, "Ready", "Onboarding is complete"]),
      organization(now, "globex", "Globex", 2 * D, [false, "BillingAccountMissing", "A billing account is required before the organization can be used"]),
      project(now, "web", "Web Storefront", "acme", 20 * D),
      project(now, "data", "Data Platform", "acme", 6 * H),
      project(now, "ops", "Operations", "globex", 1 * D),
      membership(now, ADA, "acme", "Acme Corp", "owner", 30 * D),
      membership(now, ADA, "globex", "Globex", "viewer", 2 * D),
      membership(now, BOB, "acme", "Acme Corp", "viewer", 10 * D),
    ],
    projects: {
      web: [
        zone(now, "example-com", "example.com", { env: "prod", team: "web" }, true, 3, 3 * D),
        zone(now, "shop-example-com", "shop.example.com", { env: "staging", team: "shop" }, false, 1, 5 * H),
        recordSet(now, "example-com-www", "example-com", "A", [{ name: "www", ttl: 300, a: { content: "203.0.113.10" } }], 3 * D),
        recordSet(now, "example-com-spf", "example-com", "TXT", [{ name: "@", ttl: 3600, txt: { content: "v=spf1 -all" } }], 3 * D),
        recordSet(now, "example-com-mail", "example-com", "MX", [{ name: "@", mx: { exchange: "mail.example.com.", preference: 10 } }], 2 * D),
        recordSet(now, "shop-example-com-www", "shop-example-com", "CNAME", [{ name: "www", cname: { content: "shops.example.net." } }], 5 * H),
        {
          apiVersion: "v1",
          kind: "Event",
          metadata: { name: "example-com.182a4f0c1d2e3f40", namespace: "default", creationTimestamp: ago(now, 3 * D) },
          involvedObject: { apiVersion: DNS, kind: "DNSZone", name: "example-com", namespace: "default" },
          reason: "Programmed",
          message: "Zone example.com is programmed on ns1.datumdomains.net and ns2.datumdomains.net",
          type: "Normal",
          source: { component: "dns-operator" },
          reportingComponent: "dns-operator",
          firstTimestamp: ago(now, 3 * D),
          lastTimestamp: ago(now, 3 * D),
          count: 1,
        },
      ],
    },
  };
}

/** A few lines a person can read: who belongs where, what exists. */
export function describeSeed(seed: Seed): string {
  const lines: string[] = [];
  const display = (o: Obj) => o.metadata.annotations?.[DISPLAY] ?? o.metadata.name;
  for (const org of seed.root.filter((o) => o.kind === "Organization")) {
    const onboarding = org.status?.conditions?.find((c: Obj) => c.type === "OnboardingComplete");
    lines.push(`organization ${org.metadata.name} ("${display(org)}", onboarding ${onboarding?.status}/${onboarding?.reason})`);
    for (const p of seed.root.filter((o) => o.kind === "Project" && o.spec.ownerRef.name === org.metadata.name)) {
      const objs = seed.projects[p.metadata.name] ?? [];
      const names = objs.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
      lines.push(`  project ${p.metadata.name} ("${display(p)}")${names.length ? `: ${names.join(", ")}` : ""}`);
    }
    for (const m of seed.root.filter((o) => o.kind === "OrganizationMembership" && o.spec.organizationRef.name === org.metadata.name)) {
      lines.push(`  member ${m.spec.userRef.name} (${m.status?.user?.email}): ${m.spec.roles.map((r: Obj) => r.name).join(", ")}`);
    }
  }
  if (seed.platformAdmins.length) lines.push(`platform admins: ${seed.platformAdmins.join(", ")}`);
  return lines.join("\n");
}
