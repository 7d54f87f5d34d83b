// Datum's resource types as its CRDs define them (see /work/shared/spec/datum-types.md):
// names, scopes, printer columns and schemas.
import { EVENT_TYPES } from "./event-types";
import { arr, conditions, int, kindSchema, obj, oneOf, ref, str, strMap } from "./schemas";
import type { PrinterColumn, ResourceType, Schema } from "./types";

const RM = "resourcemanager.miloapis.com";
const DNS = "dns.networking.miloapis.com";
const V = "v1alpha1";

const ready: PrinterColumn = { name: "Ready", type: "string", jsonPath: ".status.conditions[?(@.type=='Ready')].status" };
const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };
const accepted: PrinterColumn = { name: "Accepted", type: "string", jsonPath: '.status.conditions[?(@.type=="Accepted")].status' };
const programmed: PrinterColumn = { name: "Programmed", type: "string", jsonPath: '.status.conditions[?(@.type=="Programmed")].status' };

export const ORGANIZATION: ResourceType = {
  group: RM,
  version: V,
  kind: "Organization",
  plural: "organizations",
  singular: "organization",
  namespaced: false,
  categories: ["datum"],
  statusSubresource: true,
  storage: `${RM}/organizations`,
  columns: [
    { name: "Display Name", type: "string", jsonPath: ".metadata.annotations.kubernetes\\.io/display-name" },
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    ready,
    age,
  ],
  schema: kindSchema(
    "Organization is the top-level container of a Datum account.",
    obj({ type: oneOf(["Personal", "Standard"], "The type of organization.") }, ["type"]),
    obj({ conditions: conditions(), observedGeneration: int() }),
  ),
};

export const ORGANIZATION_MEMBERSHIP: ResourceType = {
  group: RM,
  version: V,
  kind: "OrganizationMembership",
  plural: "organizationmemberships",
  singular: "organizationmembership",
  namespaced: true,
  statusSubresource: true,
  storage: `${RM}/organizationmemberships`,
  columns: [
    { name: "Organization", type: "string", jsonPath: ".spec.organizationRef.name" },
    { name: "Organization Type", type: "string", jsonPath: ".status.organization.type" },
    { name: "Organization Display Name", type: "string", jsonPath: ".status.organization.displayName" },
    { name: "User", type: "string", jsonPath: ".spec.userRef.name" },
    { name: "User Email", type: "string", jsonPath: ".status.user.email", priority: 1 },
    { name: "User Given Name", type: "string", jsonPath: ".status.user.givenName", priority: 1 },
    { name: "User Family Name", type: "string", jsonPath: ".status.user.familyName", priority: 1 },
    ready,
    age,
  ],
  schema: kindSchema(
    "OrganizationMembership links a user to an organization.",
    obj(
      {
        organizationRef: ref("OrganizationRef identifies the organization to grant membership in."),
        userRef: ref("UserRef identifies the user to grant organization membership."),
        roles: arr(obj({ name: str("Name of the referenced Role."), namespace: str() }, ["name"])),
      },
      ["organizationRef", "userRef"],
    ),
    obj({
      appliedRoles: arr(obj({ name: str(), namespace: str(), status: oneOf(["Applied", "Pending", "Failed"]), message: str() }, ["name", "status"])),
      conditions: conditions(),
      observedGeneration: int(),
      organization: obj({ displayName: str(), type: str() }),
      user: obj({ email: str(), givenName: str(), familyName: str(), avatarUrl: str() }),
    }),
  ),
};

export const PROJECT: ResourceType = {
  group: RM,
  version: V,
  kind: "Project",
  plural: "projects",
  singular: "project",
  namespaced: false,
  statusSubresource: true,
  storage: `${RM}/projects`,
  columns: [ready, age],
  schema: kindSchema(
    "Project is a container for a set of resources inside an organization.",
    obj({ ownerRef: obj({ kind: oneOf(["Organization"]), name: str() }, ["kind", "name"], "The organization that owns the project.") }, ["ownerRef"]),
    obj({ conditions: conditions() }),
  ),
};

const content = () => obj({ content: str() }, ["content"]);
const recordValues: Record<string, Schema> = {
  a: content(),
  aaaa: content(),
  alias: content(),
  cname: content(),
  ns: content(),
  ptr: content(),
  txt: content(),
  mx: obj({ exchange: str(), preference: int() }, ["exchange", "preference"]),
  srv: obj({ priority: int(), weight: int(), port: int(), target: str() }, ["priority", "weight", "port", "target"]),
  caa: obj({ flag: int(), tag: str(), value: str() }, ["flag", "tag", "value"]),
  soa: obj({ mname: str(), rname: str(), serial: int(), refresh: int(), retry: int(), expire: int(), ttl: int() }, ["mname", "rname"]),
  tlsa: obj({ usage: int(), selector: int(), matchingType: int(), certData: str() }),
  https: obj({ priority: int(), target: str(), params: strMap() }),
  svcb: obj({ priority: int(), target: str(), params: strMap() }),
};

export const RECORD_TYPES = ["A", "AAAA", "ALIAS", "CNAME", "TXT", "MX", "SRV", "CAA", "NS", "SOA", "PTR", "TLSA", "HTTPS", "SVCB"];

export const DNS_ZONE: ResourceType = {
  group: DNS,
  version: V,
  kind: "DNSZone",
  plural: "dnszones",
  singular: "dnszone",
  namespaced: true,
  statusSubresource: true,
  storage: `${DNS}/dnszones`,
  columns: [accepted, programmed, { name: "Records", type: "integer", jsonPath: ".status.recordCount" }],
  schema: kindSchema(
    "DNSZone is the Schema for the dnszones API.",
    obj(
      {
        domainName: str("DomainName is the FQDN of the zone."),
        dnsZoneClassName: str("DNSZoneClassName references the DNSZoneClass used to provision this zone."),
      },
      ["domainName", "dnsZoneClassName"],
    ),
    obj({
      conditions: conditions(),
      domainRef: obj({ name: str(), status: obj({ nameservers: arr(obj({ hostname: str() })) }) }),
      nameservers: arr(str()),
      recordCount: int("RecordCount is the number of record sets in the zone."),
    }),
  ),
};

export const DNS_RECORD_SET: ResourceType = {
  group: DNS,
  version: V,
  kind: "DNSRecordSet",
  plural: "dnsrecordsets",
  singular: "dnsrecordset",
  namespaced: true,
  statusSubresource: true,
  storage: `${DNS}/dnsrecordsets`,
  columns: [accepted, programmed],
  schema: kindSchema(
    "DNSRecordSet is the Schema for the dnsrecordsets API.",
    obj(
      {
        dnsZoneRef: ref("DNSZoneRef references the DNSZone this record set belongs to."),
        recordType: oneOf(RECORD_TYPES, "RecordType is the DNS RR type for this record set."),
        records: arr(obj({ name: str("Name is the owner name, relative to the zone or FQDN."), ttl: int(), ...recordValues }, ["name"])),
      },
      ["recordType", "records"],
    ),
    obj({ conditions: conditions(), recordSets: arr(obj({ name: str(), conditions: conditions() })) }),
  ),
};

/** Every type any control plane serves, keyed by "<group>/<plural>". */
export const ALL_TYPES: ResourceType[] = [ORGANIZATION, ORGANIZATION_MEMBERSHIP, PROJECT, DNS_ZONE, DNS_RECORD_SET, ...EVENT_TYPES];
