// The `get` cases compared with kubectl: recorded into tests/fixtures/get by
// scripts/record-get-goldens.ts, and replayed against datumctl by tests/get.test.ts.
// `plane` says which control plane; datumctl reaches it with its own scope flags.

export type Plane = "web" | "acme";

export interface GetCase {
  name: string;
  plane: Plane;
  /** kubectl's arguments after `get`; datumctl gets the same. */
  args: string[];
}

const web = (name: string, ...args: string[]): GetCase => ({ name, plane: "web", args });
const acme = (name: string, ...args: string[]): GetCase => ({ name, plane: "acme", args });

export const GET_CASES: GetCase[] = [
  web("table", "dnszones"),
  web("singular kind name", "dnszone"),
  web("kind", "DNSZone"),
  web("resource.group", "dnszones.dns.networking.miloapis.com"),
  web("wide", "dnszones", "-o", "wide"),
  web("show labels", "dnszones", "--show-labels"),
  web("label columns", "dnszones", "-L", "env", "-L", "team"),
  web("label columns, comma", "dnszones", "-L", "env,app.kubernetes.io/name"),
  web("all namespaces", "dnszones", "-A"),
  web("no headers", "dnszones", "--no-headers"),
  web("label selector", "dnszones", "-l", "env=prod"),
  web("label selector, none match", "dnszones", "-l", "env=nope"),
  web("field selector", "dnszones", "--field-selector", "metadata.name=shop-example-com"),
  web("chunked", "dnszones", "--chunk-size", "1"),
  web("sort by", "dnszones", "--sort-by", ".spec.domainName"),
  web("sort by, reverse order field", "dnsrecordsets", "--sort-by", "{.metadata.name}"),
  web("one by name", "dnszone", "example-com"),
  web("two by name", "dnszones", "example-com", "shop-example-com"),
  web("type/name", "dnszones/example-com"),
  web("two types by type/name", "dnszones/example-com", "dnsrecordsets/example-com-www"),
  web("two types", "dnszones,dnsrecordsets"),
  web("show kind", "dnszones", "--show-kind"),
  web("missing name", "dnszone", "nope"),
  web("found and missing", "dnszones", "example-com", "nope"),
  web("ignore not found", "dnszone", "nope", "--ignore-not-found"),
  web("other namespace, empty", "dnszones", "-n", "other"),
  web("unknown type", "nothing"),
  web("events", "events"),
  web("json list", "dnszones", "-o", "json"),
  web("json one", "dnszone", "example-com", "-o", "json"),
  web("yaml list", "dnsrecordsets", "-o", "yaml"),
  web("yaml one", "dnsrecordset", "example-com-mail", "-o", "yaml"),
  web("json empty list", "dnszones", "-l", "env=nope", "-o", "json"),
  web("name", "dnszones,dnsrecordsets", "-o", "name"),
  web("jsonpath names", "dnszones", "-o", "jsonpath={.items[*].metadata.name}"),
  web("jsonpath range", "dnszones", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.domainName}{"\\n"}{end}'),
  web("jsonpath filter", "dnszone", "example-com", "-o", 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'),
  web("jsonpath as json", "dnszones", "-o", "jsonpath-as-json={.items[*].spec}"),
  web("custom columns", "dnszones", "-o", "custom-columns=NAME:.metadata.name,DOMAIN:.spec.domainName,NS:.status.nameservers"),
  web("custom columns, missing", "dnszones", "-o", "custom-columns=NAME:.metadata.name,NOPE:.spec.nope"),
  web("go-template", "dnszones", "-o", 'go-template={{range .items}}{{.metadata.name}} {{.spec.domainName}}{{"\\n"}}{{end}}'),
  web("bad output", "dnszones", "-o", "xml"),
  acme("projects in an organization", "projects"),
  acme("a project as yaml", "project", "web", "-o", "yaml"),
  acme("projects wide", "projects", "-o", "wide"),
];
