// Records what the real kubectl 1.32 prints for -o jsonpath / jsonpath-file / jsonpath-as-json /
// custom-columns / custom-columns-file / go-template / go-template-file / template /
// templatefile against the local control plane, together with the exact objects it printed
// from, into tests/fixtures/printers/*.json. tests/printers/*.test.ts replay every case through
// our printers offline, so CI needs no kubectl.
//
//   bun scripts/record-printer-goldens.ts            # needs kubectl (see tests/support/kubectl.ts)
//
// The control plane's uids, resourceVersions and timestamps change per run, which is why each
// case stores the input objects next to kubectl's output: the objects are fetched with
// `kubectl get … -o json --show-managed-fields` (jsonpath and templates see managedFields).
// Every case runs several times; one whose output changes between runs depends on Go's random
// map order and is left out (the list is printed at the end).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { findKubectl } from "../tests/support/kubectl";
import { startLocalDatum } from "../tests/support/local-datum";

const ROOT = join(import.meta.dir, "..");
const OUT = join(ROOT, "tests", "fixtures", "printers");
const DNS = "dns.networking.miloapis.com/v1alpha1";

type Plane = "web" | "acme";
type Family = "jsonpath" | "custom-columns" | "go-template";
type Format =
  | "jsonpath"
  | "jsonpath-file"
  | "jsonpath-as-json"
  | "custom-columns"
  | "custom-columns-file"
  | "go-template"
  | "go-template-file"
  | "template"
  | "templatefile";

interface CaseDef {
  name: string;
  plane: Plane;
  /** What to get, e.g. ["dnszones"] or ["dnszone", "example-com"] or ["dnszones", "-n", "lab"]. */
  target: string[];
  format: Format;
  /** The template / column spec (for *-file formats, the file's text). */
  template: string;
  extra?: string[];
  /** Run more often: the output may depend on map iteration order. */
  mapOrder?: boolean;
}

const FAMILY: Record<Format, Family> = {
  jsonpath: "jsonpath",
  "jsonpath-file": "jsonpath",
  "jsonpath-as-json": "jsonpath",
  "custom-columns": "custom-columns",
  "custom-columns-file": "custom-columns",
  "go-template": "go-template",
  "go-template-file": "go-template",
  template: "go-template",
  templatefile: "go-template",
};

// ---------------------------------------------------------------------------------------------
// Extra objects in the web project's "lab" namespace: the values that make printers differ
// (floats, nulls, HTML characters, escapes, nested arrays, dotted keys).

const tricky = {
  apiVersion: DNS,
  kind: "DNSZone",
  metadata: {
    name: "tricky",
    namespace: "lab",
    labels: { "app.kubernetes.io/name": "shop", tier: "edge" },
    annotations: {
      html: "a<b&c>d",
      quote: 'say "hi"',
      multi: "line1\nline2",
      tab: "a\tb",
      unicode: "héllo ✓ 日本",
      empty: "",
      esc: "\u001b[31mred\u001b[0m",
      cr: "x\ry",
      b64: "aGVsbG8gd29ybGQ=",
      percent: "100%",
    },
  },
  spec: {
    domainName: "tricky.example",
    dnsZoneClassName: "datum-external-global-dns",
    ratio: 0.5,
    big: 1234567.5,
    small: 0.00001,
    tiny: 1e-7,
    huge: 1e21,
    million: 1000000,
    negative: -3,
    zero: 0,
    bigint: 12345678901,
    enabled: true,
    disabled: false,
    nothing: null,
    emptyMap: {},
    emptyList: [],
    emptyString: "",
    nested: [[1, 2], [3], []],
    ports: [
      { name: "http", port: 80, protocol: "TCP" },
      { name: "https", port: 443, protocol: "TCP", extra: null },
      { name: "dns", port: 53, protocol: "UDP" },
    ],
    mixed: [1, "two", 3.5, true, null, { k: "v" }, ["x"]],
    tags: ["a", "b", "c", "d", "e"],
    weights: { a: 1, b: 2.5 },
    "dotted.key": "dk",
    "slash/key": "sk",
  },
  status: {
    recordCount: 7,
    nameservers: ["ns1.datumdomains.net", "ns2.datumdomains.net"],
    conditions: [
      { type: "Accepted", status: "True", reason: "Accepted", message: "Zone accepted", lastTransitionTime: "2025-01-02T03:04:05Z" },
      { type: "Programmed", status: "False", reason: "Pending", message: "Waiting <for> delegation & more", lastTransitionTime: "2025-01-02T03:04:05Z" },
    ],
  },
};

const plain = {
  apiVersion: DNS,
  kind: "DNSZone",
  metadata: { name: "plain", namespace: "lab" },
  spec: { domainName: "plain.example", dnsZoneClassName: "datum-external-global-dns" },
};

// ---------------------------------------------------------------------------------------------
// The cases.

const W = (target: string[]) => ({ plane: "web" as const, target });
const ZONES = W(["dnszones"]);
const ZONE = W(["dnszone", "example-com"]);
const RECORDSETS = W(["dnsrecordsets"]);
const MAIL = W(["dnsrecordset", "example-com-mail"]);
const EVENTS = W(["events"]);
const LAB = W(["dnszones", "-n", "lab"]);
const TRICKY = W(["dnszone", "tricky", "-n", "lab"]);
const EMPTY = W(["dnszones", "-n", "empty"]);
const PROJECTS = { plane: "acme" as const, target: ["projects"] };
const PROJECT = { plane: "acme" as const, target: ["project", "web"] };

const cases: CaseDef[] = [];
type On = { plane: Plane; target: string[] };
const jp = (name: string, on: On, template: string, more: Partial<CaseDef> = {}) => cases.push({ name, ...on, format: "jsonpath", template, ...more });
const jpj = (name: string, on: On, template: string, more: Partial<CaseDef> = {}) => cases.push({ name, ...on, format: "jsonpath-as-json", template, ...more });
const cc = (name: string, on: On, template: string, more: Partial<CaseDef> = {}) => cases.push({ name, ...on, format: "custom-columns", template, ...more });
const gt = (name: string, on: On, template: string, more: Partial<CaseDef> = {}) => cases.push({ name, ...on, format: "go-template", template, ...more });

// --- jsonpath: fields, indexes, slices
jp("name of one object", ZONE, "{.metadata.name}");
jp("names of a list", ZONES, "{.items[*].metadata.name}");
jp("first item", ZONES, "{.items[0].metadata.name}");
jp("negative index", RECORDSETS, "{.items[-1].metadata.name}");
jp("negative slice start", RECORDSETS, "{.items[-1:].metadata.name}");
jp("slice head", RECORDSETS, "{.items[:1].metadata.name}");
jp("slice to -1", RECORDSETS, "{.items[0:-1].metadata.name}");
jp("slice with step", RECORDSETS, "{.items[::2].metadata.name}");
jp("slice with start and step", RECORDSETS, "{.items[1::2].metadata.name}");
jp("empty slice", RECORDSETS, "{.items[0:0].metadata.name}");
jp("slice 1:2", RECORDSETS, "{.items[1:2].metadata.name}");
jp("slice -2:-1", RECORDSETS, "{.items[-2:-1].metadata.name}");
jp("index out of bounds", ZONES, "{.items[5]}");
jp("negative index out of bounds", ZONES, "{.items[-5]}");
jp("slice end out of bounds", ZONES, "{.items[0:10]}");
jp("start greater than end", RECORDSETS, "{.items[2:1]}");
jp("negative start greater than end", ZONES, "{.items[-1:0]}");
jp("step zero", ZONES, "{.items[::0]}");
jp("index on an empty list", EMPTY, "{.items[0]}");
jp("names of an empty list", EMPTY, "{.items[*].metadata.name}");
jp("items of an empty list", EMPTY, "{.items}");
jp("kind and apiVersion of a list", ZONES, "{.kind} {.apiVersion}");
jp("list metadata", ZONES, "{.metadata}");
jp("root with @", ZONE, "{@}");
jp("root with $", ZONE, "{$.kind}");
jp("empty action prints the object", ZONE, "{}");
jp("action with only a space", PROJECT, "{ }");
jp("plain text", ZONE, "hello");
jp("text around an action, \\n stays literal", ZONE, "name: {.metadata.name}\\n");
jp("adjacent actions", ZONES, "{.items[*].metadata.name}{.items[*].spec.domainName}");
jp("missing key prints nothing", ZONE, "[{.spec.missing}]");
jp("missing nested key", ZONE, "[{.spec.missing.deeper}]");
jp("missing key is an error without allow-missing", ZONE, "{.spec.missing}", { extra: ["--allow-missing-template-keys=false"] });
jp("missing key in a list without allow-missing", ZONES, "{.items[*].metadata.missing}", { extra: ["--allow-missing-template-keys=false"] });
jp("present keys without allow-missing", ZONES, "{.items[*].metadata.name}", { extra: ["--allow-missing-template-keys=false"] });
jp("field of an array is nothing", ZONES, "[{.items.metadata}]");
jp("whole spec as JSON", ZONES, "{.items[*].spec}");
jp("conditions types", ZONES, "{.items[*].status.conditions[*].type}");
jp("managed fields are there", ZONES, "{.items[0].metadata.managedFields[*].manager}");
jp("creation timestamps", ZONES, "{.items[*].metadata.creationTimestamp}");
jp("labels map sorted", ZONE, "{.metadata.labels}");
jp("nameservers array", ZONE, "{.status.nameservers}");
jp("nameservers elements", ZONE, "{.status.nameservers[*]}");
jp("record count integer", ZONE, "{.status.recordCount}");

// --- jsonpath: unions and ['…'] keys
jp("union of fields, branch by branch", ZONES, "{.items[*].metadata['name','namespace']}");
jp("union of indexes", TRICKY, "{.spec.tags[0,2,4]}");
jp("union with a space and a negative index", TRICKY, "{.spec.tags[0, -1]}");
jp("union on one port", TRICKY, "{.spec.ports[0]['name','port']}");
jp("union on all ports", TRICKY, "{.spec.ports[*]['name','port']}");
jp("quoted key", ZONES, "{.items[*]['metadata']['name']}");
jp("quoted dotted key splits into fields", ZONES, "{.items[*]['metadata.name']}");
jp("quoted label key with dots finds nothing", TRICKY, "[{.metadata.labels['app.kubernetes.io/name']}]");
jp("escaped dots in a label key", TRICKY, "{.metadata.labels.app\\.kubernetes\\.io/name}");
jp("escaped dots in a spec key", TRICKY, "{.spec.dotted\\.key}");
jp("quoted dotted spec key finds nothing", TRICKY, "[{.spec['dotted.key']}]");
jp("slash in a key", TRICKY, "{.spec.slash/key}");
jp("display name annotation", PROJECTS, '{range .items[*]}{.metadata.name}{"\\t"}{.metadata.annotations.kubernetes\\.io/display-name}{"\\n"}{end}');
jp("organization label", PROJECTS, "{.items[*].metadata.labels.resourcemanager\\.miloapis\\.com/organization-name}");

// --- jsonpath: value printing
jp("floats and ints", TRICKY, "{.spec.ratio} {.spec.big} {.spec.small} {.spec.tiny} {.spec.huge} {.spec.million} {.spec.negative} {.spec.zero} {.spec.bigint}");
jp("null", TRICKY, "{.spec.nothing}");
jp("empty map, list and string", TRICKY, "{.spec.emptyMap} {.spec.emptyList} [{.spec.emptyString}]");
jp("booleans", TRICKY, "{.spec.enabled} {.spec.disabled}");
jp("nested arrays", TRICKY, "{.spec.nested}");
jp("nested arrays, one level", TRICKY, "{.spec.nested[*]}");
jp("nested arrays, two levels", TRICKY, "{.spec.nested[*][*]}");
jp("mixed array elements", TRICKY, "{.spec.mixed[*]}");
jp("mixed array as JSON", TRICKY, "{.spec.mixed}");
jp("annotations map with HTML escapes", TRICKY, "{.metadata.annotations}");
jp("HTML characters raw in text", TRICKY, "{.metadata.annotations.html}");
jp("unicode text", TRICKY, "{.metadata.annotations.unicode}");
jp("newline inside a value", TRICKY, "{.metadata.annotations.multi}");
jp("escape character inside a value", TRICKY, "{.metadata.annotations.esc}");
jp("ports as JSON", TRICKY, "{.spec.ports}");
jp("weights map", TRICKY, "{.spec.weights}");
jp("condition message with HTML characters", TRICKY, "{.status.conditions[1].message}");
jp("tags", TRICKY, "{.spec.tags[*]}");
jp("tags 1:3", TRICKY, "{.spec.tags[1:3]}");
jp("tags -2:", TRICKY, "{.spec.tags[-2:]}");
jp("tags ::2", TRICKY, "{.spec.tags[::2]}");
jp("tags 1:4:2", TRICKY, "{.spec.tags[1:4:2]}");
jp("field of strings is nothing", TRICKY, "[{.spec.tags[*].foo}]");
jp("wildcard over a string gives its bytes", TRICKY, "{.metadata.name.*}");
jp("integer literal", ZONE, "{5}");
jp("negative integer literal", ZONE, "{-3}");
jp("float literal", ZONE, "{1.5} {2.0}");
jp("boolean literal", ZONE, "{true}");
jp("literal after a path replaces each value", ZONES, "{.items[*].metadata.name 5}");
jp("quoted literal with escaped quote", ZONE, '{"a\\"b"}');
jp("single quoted tab", ZONE, "{.metadata.name}{'\\t'}{.spec.domainName}");
jp("two single-quoted literals", ZONE, "{'it''s'}");
jp("unicode escape in a literal", ZONE, '{"\\u00e9\\x41"}');

// --- jsonpath: filters
jp("filter ==", TRICKY, "{.spec.ports[?(@.port==443)].name}");
jp("filter >", TRICKY, "{.spec.ports[?(@.port>53)].name}");
jp("filter <=", TRICKY, "{.spec.ports[?(@.port<=80)].name}");
jp("filter >=", TRICKY, "{.spec.ports[?(@.port>=80)].name}");
jp("filter < ", TRICKY, "{.spec.ports[?(@.port<443)].name}");
jp("filter string double quotes", TRICKY, '{.spec.ports[?(@.protocol=="UDP")].name}');
jp("filter != single quotes", TRICKY, "{.spec.ports[?(@.protocol!='TCP')].name}");
jp("filter exists, null counts", TRICKY, "{.spec.ports[?(@.extra)].name}");
jp("filter exists, missing", TRICKY, "[{.spec.ports[?(@.missing)].name}]");
jp("filter int vs float literal", TRICKY, "{.spec.ports[?(@.port==1.5)].name}");
jp("filter string vs int", TRICKY, "{.spec.ports[?(@.name==80)].name}");
jp("filter on a null value", TRICKY, '{.spec.ports[?(@.extra=="x")].name}');
jp("filter with null literal", TRICKY, "{.spec.ports[?(@.port==null)].name}");
jp("filter with =~", TRICKY, "{.spec.ports[?(@.name=~'h.*')].name}");
jp("filter on zones by domain", ZONES, '{.items[?(@.spec.domainName=="example.com")].metadata.name}');
jp("ready condition of a project", PROJECT, '{.status.conditions[?(@.type=="Ready")].status}');
jp("false conditions' messages", ZONES, '{.items[*].status.conditions[?(@.status=="False")].message}');
jp("nested filter is a parse error", ZONES, '{.items[?(@.status.conditions[?(@.type=="Programmed")].status=="True")].metadata.name}');
jp("filter by record type", RECORDSETS, '{.items[?(@.spec.recordType=="A")].spec.records[0].a.content}');
jp("filter with an index, missing ttl skipped", RECORDSETS, "{.items[?(@.spec.records[0].ttl>300)].metadata.name}");
jp("exists filter with an index out of range", RECORDSETS, "{.items[?(@.spec.records[1].name)].metadata.name}");
jp("comparison filter with an index out of range aborts", RECORDSETS, '{.items[?(@.spec.records[1].name=="x")].metadata.name}');
jp("filter float field vs int", LAB, "{.items[?(@.spec.ratio<1)].metadata.name}");
jp("filter float field vs float", LAB, "{.items[?(@.spec.ratio<1.0)].metadata.name}");
jp("filter bool == true", LAB, "{.items[?(@.spec.enabled==true)].metadata.name}");
jp("filter bool exists", LAB, "{.items[?(@.spec.enabled)].metadata.name}");
jp("filter string >", LAB, '{.items[?(@.metadata.name>"p")].metadata.name}');
jp("filter on a map", TRICKY, "{.spec[?(@.x)]}");
jp("filter on null", TRICKY, "{.spec.nothing[?(@.x)]}");
jp("filter whole element ==", TRICKY, "{.spec.tags[?(@=='c')]}");
jp("filter left side with several values", ZONES, '{.items[?(@.status.conditions[*].type=="Ready")].metadata.name}');

jp("filter with spaces around the operator", TRICKY, "{.spec.ports[?(@.port > 53)].name}");
jp("filter with a quoted space", PROJECTS, "{.items[?(@.metadata.annotations.kubernetes\\.io/display-name=='Web Storefront')].metadata.name}");
jp("wildcard over a one-key map", PROJECTS, "{.items[*].metadata.labels.*}");
jp("range with missing fields", LAB, "{range .items[*]}{.metadata.name}={.spec.ratio};{end}");

// --- jsonpath: errors on types
jp("[*] on a map", TRICKY, "{.spec[*]}");
jp("index on an int", TRICKY, "{.spec.ports[*].port[0]}");
jp("index on a string", ZONE, "{.metadata.name[0]}");

// --- jsonpath: recursive descent and wildcards
jp("recursive port", TRICKY, "{..port}");
jp("recursive under ports", TRICKY, "{.spec.ports..port}");
jp("recursive name under records", MAIL, "{.spec.records..preference}");
jp("recursive from the root", RECORDSETS, "{..exchange}");
jp("wildcard over a map (random order)", TRICKY, "{.metadata.labels.*}", { mapOrder: true });
jp("wildcard values of an array", TRICKY, "{.spec.ports[*].*}", { mapOrder: true });

// --- jsonpath: range/end
jp("range with newline", ZONES, '{range .items[*]}{.metadata.name}{"\\n"}{end}');
jp("range with tab columns", ZONES, '{range .items[*]}{.metadata.name}{"\\t"}{.spec.domainName}{"\\n"}{end}');
jp("range with brackets", ZONES, "{range .items[*]}[{.metadata.name}]{end}");
jp("range without end still prints", ZONES, "{range .items[*]}{.metadata.name} ");
jp("nested ranges", ZONES, '{range .items[*]}{.metadata.name}:{range .status.conditions[*]}{.type}={.status},{end}{"\\n"}{end}');
jp("nested ranges without separators", ZONES, "{range .items[*]}{range .status.conditions[*]}{.type} {end}{end}");
jp("range over nothing", ZONES, "{range .items[*].spec.missing[*]}x{end}done");
jp("range then text then a field", ZONES, '{range .items[*]}{.metadata.name}{"\\n"}{end}trailing {.kind}');
jp("end without range", ZONES, "{end}");
jp("extra end after a range", ZONES, "{range .items[*]}{.metadata.name}{end}{end}");
jp("range with @", ZONES, "{range .items[*]}{@.metadata.name};{end}");
jp("range over mixed values with null", TRICKY, "{range .spec.mixed[*]}[{@}]{end}");
jp("range over ports", TRICKY, '{range .spec.ports[*]}{.name}/{.protocol}:{.port}{"\\n"}{end}');
jp("range over records", RECORDSETS, '{range .items[*]}{.metadata.name}: {.spec.records[*].name}{"\\n"}{end}');
jp("range over events", EVENTS, '{range .items[*]}{.involvedObject.kind}/{.involvedObject.name}: {.message} ({.count}){"\\n"}{end}');
jp("event source", EVENTS, "{.items[*].source}");
jp("projects' owners", PROJECTS, "{.items[*].spec.ownerRef.name}");
jp("labels of one project by filter", PROJECTS, '{.items[?(@.metadata.name=="web")].metadata.labels}');
jp("records mx preference", MAIL, "{.spec.records[*].mx.preference}");
jp("records ttl, some missing", RECORDSETS, "{.items[*].spec.records[*].ttl}");

// --- jsonpath: parse errors
jp("unclosed action", ZONES, "{.items[*].metadata.name");
jp("brace inside an action", ZONES, "{.items[*]{");
jp("quoted index", ZONES, '{.items["items"]}');
jp("unterminated array", ZONES, "{.items[}");
jp("letter index", ZONES, "{.items[a]}");
jp("multiple recursive descent", ZONES, "{....name}");
jp("unterminated filter", ZONES, "{.items[?(@.x]}");
jp("filter without closing bracket", ZONES, "{.items[?(@.x)}");
jp("unterminated quote", ZONES, '{"unterminated}');
jp("bad escape in a quote", ZONES, "{'\\q'}");
jp("tab inside an action", ZONES, "{.kind\t}");
jp("newline inside an action", ZONES, "{.kind\n}");
jp("unknown identifier", ZONES, "{.items[*] foo}");

// --- jsonpath-as-json
jpj("as-json names", ZONES, "{.items[*].metadata.name}");
jpj("as-json range", ZONES, "{range .items[*]}{.metadata.name}{end}");
jpj("as-json ports", TRICKY, "{.spec.ports}");
jpj("as-json null", TRICKY, "{.spec.nothing}");
jpj("as-json annotations", TRICKY, "{.metadata.annotations}");
jpj("as-json numbers", TRICKY, "{.spec.ratio}{.spec.big}{.spec.tiny}{.spec.huge}{.spec.bigint}");
jpj("as-json text and field", ZONES, '{"text"}{.kind}');
jpj("as-json missing", ZONE, "{.spec.missing}");
jpj("as-json mixed", TRICKY, "{.spec.mixed[*]}");
jpj("as-json nested", TRICKY, "{.spec.nested}");
jpj("as-json empty list", EMPTY, "{.items}");
jpj("as-json range with missing fields", LAB, "{range .items[*]}{.spec.ratio}{end}");
jpj("as-json one object", PROJECT, "{.spec}");
jpj("as-json error", ZONES, "{.items[7]}");
jpj("as-json parse error", ZONES, "{.items[");

// --- jsonpath-file
cases.push({ name: "file with a trailing newline", ...ZONES, format: "jsonpath-file", template: '{range .items[*]}{.metadata.name}{"\\n"}{end}\n' });
cases.push({ name: "file over several lines of text", ...ZONE, format: "jsonpath-file", template: "name: {.metadata.name}\ndomain: {.spec.domainName}\n" });
cases.push({ name: "file with a newline inside an action", ...ZONE, format: "jsonpath-file", template: "{.metadata\n.name}" });

// --- custom-columns
cc("name and domain", ZONES, "NAME:.metadata.name,DOMAIN:.spec.domainName");
cc("relaxed path forms", ZONES, "NAME:metadata.name,RECORDS:{.status.recordCount},NS:{metadata.namespace},UID:.metadata.name");
cc("labels map", ZONES, "NAME:.metadata.name,LABELS:.metadata.labels");
cc("nameservers slice", ZONES, "NAME:.metadata.name,NS:.status.nameservers");
cc("several values joined with commas", ZONES, "NAME:.metadata.name,TYPES:.status.conditions[*].type");
cc("missing is <none>", ZONES, "NAME:.metadata.name,MISSING:.spec.missing");
cc("no headers", ZONES, "NAME:.metadata.name,DOMAIN:.spec.domainName", { extra: ["--no-headers"] });
cc(
  "nil, empty map, empty list, empty string",
  TRICKY,
  "NOTHING:.spec.nothing,EMPTYMAP:.spec.emptyMap,EMPTYLIST:.spec.emptyList,EMPTYSTR:.spec.emptyString,END:.metadata.name",
);
cc("numbers", TRICKY, "R:.spec.ratio,B:.spec.big,H:.spec.huge,M:.spec.million,S:.spec.small,I:.spec.bigint");
cc("escape and carriage return made visible", TRICKY, "ESC:.metadata.annotations.esc,CR:.metadata.annotations.cr,N:.metadata.name");
cc("unicode widths", TRICKY, "U:.metadata.annotations.unicode,X:.metadata.name");
cc("mixed values", TRICKY, "MIXED:.spec.mixed[*],NESTED:.spec.nested,W:.spec.weights");
cc("ports of one object", TRICKY, "PORTS:.spec.ports[*].port,NAMES:.spec.ports[*].name");
cc("lab list with <none>", LAB, "NAME:.metadata.name,RATIO:.spec.ratio,TAGS:.spec.tags,LABELS:.metadata.labels");
cc("single object", ZONE, 'NAME:.metadata.name,READY:.status.conditions[?(@.type=="Accepted")].status');
cc("project ready filter", PROJECTS, 'NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,ORG:.spec.ownerRef.name');
cc("record names", RECORDSETS, "NAME:.metadata.name,TYPE:.spec.recordType,RECORDS:.spec.records[*].name,TTL:.spec.records[*].ttl");
cc("events", EVENTS, "REASON:.reason,OBJECT:.involvedObject.name,COUNT:.count,TYPE:.type");
cc("empty list prints the header", EMPTY, "NAME:.metadata.name");
cc("empty list without headers", EMPTY, "NAME:.metadata.name", { extra: ["--no-headers"] });
cc("empty header", ZONES, ":.metadata.name,X:.spec.domainName");
cc("long header", ZONES, "A-VERY-LONG-HEADER-NAME:.metadata.name,B:.spec.domainName");
cc("bad spec", ZONES, "BAD");
cc("bad second column", ZONES, "NAME:.metadata.name,BAD");
cc("trailing comma", ZONES, "NAME:.metadata.name,");
cc("range is refused", ZONES, "NAME:{range .items[*]}{.metadata.name}{end}");
cc("empty spec", ZONES, "");
cc("index error after the header", RECORDSETS, "NAME:.metadata.name,X:.spec.records[5].name");
cc("parse error after the header", ZONES, "NAME:.metadata.name,X:.metadata.name[");
cc("newline in a value", TRICKY, "M:.metadata.annotations.multi,N:.metadata.name");
cc("tab in a value", TRICKY, "T:.metadata.annotations.tab,N:.metadata.name");
cc("a union is split on its comma", ZONES, "X:.metadata['name','namespace']");
cc("colon inside a filter", PROJECTS, "NAME:.metadata.name,OWNER:.spec.ownerRef['kind','name']");
cc("weights and single label", PROJECTS, "NAME:.metadata.name,LABEL:.metadata.labels.*");
cases.push({
  name: "file with headers and paths",
  ...ZONES,
  format: "custom-columns-file",
  template: 'NAME   DOMAIN   READY\n.metadata.name   .spec.domainName   {.status.conditions[?(@.type=="Accepted")].status}\n',
});
cases.push({ name: "file with a count mismatch", ...ZONES, format: "custom-columns-file", template: "NAME DOMAIN\n.metadata.name\n" });
cases.push({ name: "file with only a header", ...ZONES, format: "custom-columns-file", template: "NAME DOMAIN\n" });
cases.push({ name: "empty file", ...ZONES, format: "custom-columns-file", template: "" });
cases.push({ name: "file with CRLF", ...ZONES, format: "custom-columns-file", template: "NAME\tDOMAIN\r\nmetadata.name\tspec.domainName\r\n" });

// --- go-template
gt("name of one object", ZONE, "{{.metadata.name}}");
gt("range over items", ZONES, '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}');
gt("two fields per item", ZONES, '{{range .items}}{{.metadata.name}} {{.spec.domainName}}{{"\\n"}}{{end}}');
gt("kind and apiVersion", ZONES, "{{.kind}} {{.apiVersion}}");
gt("map printing", ZONE, "{{.metadata.labels}}");
gt("slice printing", ZONE, "{{.status.nameservers}}");
gt("missing key", ZONE, "{{.spec.missing}}");
gt("missing nested key", ZONE, "{{.spec.missing.deeper}}");
gt("null value", TRICKY, "{{.spec.nothing}}");
gt("field of null is an error", TRICKY, "{{.spec.nothing.x}}");
gt("field of a string is an error", TRICKY, "{{.metadata.name.x}}");
gt("field of a slice is an error", TRICKY, "{{.spec.ports.name}}");
gt(
  "numbers",
  TRICKY,
  "{{.spec.ratio}} {{.spec.big}} {{.spec.small}} {{.spec.tiny}} {{.spec.huge}} {{.spec.million}} {{.spec.bigint}} {{.spec.negative}} {{.spec.zero}}",
);
gt("booleans and empties", TRICKY, "{{.spec.enabled}} {{.spec.disabled}} {{.spec.emptyMap}} {{.spec.emptyList}} [{{.spec.emptyString}}]");
gt("mixed slice", TRICKY, "{{.spec.mixed}}");
gt("slice of maps", TRICKY, "{{.spec.ports}}");
gt("printf %d on an integer", ZONE, '{{printf "%d" .status.recordCount}}');
gt("printf %s on an integer", ZONE, '{{printf "%s" .status.recordCount}}');
gt(
  "printf verbs",
  TRICKY,
  '{{printf "%v|%5d|%-8s|%q|%x|%05.1f|%t|%e|%g|%X|%8.3f" .spec.ratio .status.recordCount .metadata.name .metadata.annotations.quote 255 .spec.ratio .spec.enabled .spec.big .spec.small "hi" .spec.big}}',
);
gt("printf percent and width", TRICKY, '{{printf "%6.2f%%|%-4d|%+d|%s" .spec.ratio 7 5 .metadata.annotations.percent}}');
gt("printf missing and extra arguments", ZONE, '{{printf "%d %d" 1}} {{printf "%d" 1 2 "x"}}');
gt("printf wrong verbs", TRICKY, '{{printf "%d|%s|%t" .metadata.name .spec.ratio 3}}');
gt("printf %v of nil and missing", TRICKY, '{{printf "%v|%v|%s" .spec.nothing .spec.missing .spec.missing}}');
gt("len of items, name and labels", TRICKY, "{{len .spec.tags}} {{len .metadata.name}} {{len .metadata.labels}} {{len .metadata.annotations.unicode}}");
gt("len of a missing key", ZONE, "{{len .spec.missing}}");
gt("len of null", TRICKY, "{{len .spec.nothing}}");
gt("len of an int", ZONE, "{{len 3}}");
gt("index of a label", TRICKY, '{{index .metadata.labels "app.kubernetes.io/name"}}');
gt("index of an item", ZONES, "{{(index .items 1).metadata.name}}");
gt("index past the end", ZONES, "{{index .items 5}}");
gt("index at the length", ZONES, "{{index .items 2}}");
gt("index of a missing map key", TRICKY, '{{index .metadata.labels "nope"}}');
gt("index of a string", TRICKY, "{{index .metadata.name 0}}");
gt("index of null", TRICKY, "{{index .spec.nothing 0}}");
gt("index with several keys", TRICKY, '{{index . "metadata" "name"}} {{index .spec.ports 1 "port"}}');
gt("index a map with an int", TRICKY, "{{index .metadata.labels 0}}");
gt("if else if else", RECORDSETS, '{{range .items}}{{if eq .spec.recordType "A"}}A{{else if eq .spec.recordType "MX"}}MX{{else}}other{{end}} {{end}}');
gt("eq int64 and int", ZONE, "{{eq .status.recordCount 3}}");
gt("eq float and float", TRICKY, "{{eq .spec.ratio 0.5}}");
gt("eq float and int", TRICKY, "{{eq .spec.ratio 1}}");
gt("eq missing and string", TRICKY, '{{eq .spec.missing "x"}}');
gt("eq with several arguments", TRICKY, '{{eq .metadata.name "a" "b" "tricky"}}');
gt("eq two maps", TRICKY, "{{eq .metadata.labels .metadata.labels}}");
gt("comparisons", TRICKY, '{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{lt .spec.negative 0}}');
gt("lt on a map", TRICKY, "{{lt .metadata.labels 1}}");
gt("eq with no second argument", TRICKY, "{{eq 1}}");
gt("and, or, not", TRICKY, '{{and 1 0 2}} {{or 0 "" "x"}} {{not .spec.enabled}} {{and .spec.missing 1}} {{or .spec.missing .spec.nothing}}');
gt("with and else", TRICKY, "{{with .spec.ports}}{{len .}}{{else}}none{{end}} {{with .spec.missing}}x{{else}}none{{end}}");
gt("else with", TRICKY, "{{with .spec.missing}}a{{else with .spec.tags}}{{index . 0}}{{end}}");
gt("range with index and value", TRICKY, "{{range $i, $p := .spec.ports}}{{$i}}:{{$p.name}} {{end}}");
gt("range over a map with sorted keys", TRICKY, "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}");
gt("range else on an empty list", TRICKY, "{{range .spec.emptyList}}x{{else}}empty{{end}}");
gt("range else on a missing key", TRICKY, "{{range .spec.missing}}x{{else}}none{{end}}");
gt("range over an integer", ZONE, "{{range 3}}{{.}}{{end}}");
gt("range over a string is an error", TRICKY, "{{range .metadata.name}}{{.}}{{end}}");
gt("range over a float is an error", TRICKY, "{{range .spec.ratio}}{{.}}{{end}}");
gt("variables", TRICKY, "{{$n := .metadata.name}}{{$n}}-{{$n}} {{$x := 1}}{{$x = 2}}{{$x}}");
gt("root variable inside range", ZONES, "{{range .items}}{{$.kind}}/{{.metadata.name}} {{end}}");
gt("trim markers", ZONES, "{{- range .items }}\n  {{ .metadata.name -}}\n{{ end }}");
gt("comments", ZONE, "{{/* note */}}a{{- /* trimmed */ -}} b");
gt("base64decode", TRICKY, "{{base64decode .metadata.annotations.b64}}");
gt("base64decode of bad input", TRICKY, '{{base64decode "not base64!"}}');
gt("base64decode of an integer", ZONE, "{{base64decode .status.recordCount}}");
gt(
  "exists",
  TRICKY,
  '{{exists . "spec" "ports"}} {{exists . "spec" "nope"}} {{exists .spec.ports 1}} {{exists .spec.ports 9}} {{exists . "spec" "nothing"}} {{exists .spec.missing}}',
);
gt("print and println", ZONE, '{{print .metadata.name 1 2 "x" 3 true}}|{{println .kind .apiVersion}}');
gt(
  "html, js and urlquery",
  TRICKY,
  '{{.metadata.annotations.html}} {{html .metadata.annotations.html}} {{js .metadata.annotations.quote}} {{urlquery "a b&c=d"}} {{html .spec.missing}}',
);
gt("nested ranges with if", ZONES, '{{range .items}}{{if .status}}{{range .status.conditions}}{{.type}}={{.status}} {{end}}{{end}}{{"\\n"}}{{end}}');
gt("break and continue", TRICKY, '{{range .spec.tags}}{{if eq . "b"}}{{continue}}{{end}}{{if eq . "d"}}{{break}}{{end}}{{.}}{{end}}');
gt("pipelines", TRICKY, '{{.spec.tags | len}} {{.metadata.name | printf "%q"}} {{"x" | printf "%s-%s" "y"}}');
gt("argument to a field", TRICKY, '{{"x" | .metadata.name}}');
gt("parenthesised chain", ZONES, "{{ (index .items 0).metadata.name }}");
gt("$ field", ZONE, "{{$.metadata.name}}");
gt("number literals", ZONE, "{{1e6}} {{1.5}} {{0x1F}} {{'a'}} {{-0}} {{1_000}}");
gt("whole object", ZONE, "{{.}}");
gt("slice function", TRICKY, "{{slice .spec.tags 1 3}} {{slice .metadata.name 0 3}} {{slice .spec.tags 3}}");
gt("partial output then an error", TRICKY, "before {{.metadata.name}} {{index .spec.tags 9}} after");
gt("missing key is an error without allow-missing", ZONE, "{{.spec.missing}}", { extra: ["--allow-missing-template-keys=false"] });
gt("missing nested key without allow-missing", ZONE, "{{.spec.missing.deeper}}", { extra: ["--allow-missing-template-keys=false"] });
gt("events", EVENTS, '{{range .items}}{{.involvedObject.kind}}/{{.involvedObject.name}}: {{.message}} ({{.count}}){{"\\n"}}{{end}}');
gt("projects", PROJECTS, '{{range .items}}{{.metadata.name}}{{"\\t"}}{{index .metadata.annotations "kubernetes.io/display-name"}}{{"\\n"}}{{end}}');
gt("conditions by type", PROJECT, '{{range .status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}');
gt("records", RECORDSETS, '{{range .items}}{{.metadata.name}}:{{range .spec.records}} {{.name}}{{with .ttl}}/{{.}}{{end}}{{end}}{{"\\n"}}{{end}}');
gt("empty list", EMPTY, "{{range .items}}x{{else}}no items{{end}}");
gt("unicode and escapes", TRICKY, "{{.metadata.annotations.unicode}}|{{.metadata.annotations.multi}}|{{.metadata.annotations.esc}}");
gt("join idiom", TRICKY, "{{range $i, $e := .spec.tags}}{{if $i}},{{end}}{{$e}}{{end}}");
gt("padded columns with printf", ZONES, '{{range .items}}{{printf "%-20s|%5v|" .metadata.name .status.recordCount}}{{"\\n"}}{{end}}');
gt("len of the root map", ZONE, "{{len .}}");
gt("spaces inside actions", ZONES, '{{ range .items }}{{ .metadata.name }}{{ "\\n" }}{{ end }}');
gt("string escapes and raw strings", ZONE, '{{"a\\tb\\u00e9"}}|{{`raw\\n`}}');
gt("not", TRICKY, '{{not 0}} {{not ""}} {{not .spec.emptyList}} {{not .spec.tags}}');
gt("printf a map and a float verb on an int", TRICKY, '{{printf "%v" .spec.weights}} {{printf "%.2f" .status.recordCount}}');
gt("with then root", ZONE, "{{with .spec}}{{.domainName}} of {{$.kind}}{{end}}");
gt("percent in data", TRICKY, "{{.metadata.annotations.percent}} {{printf .metadata.annotations.percent}}");

// parse errors
gt("unclosed action", ZONE, "{{.foo");
gt("unexpected end", ZONE, "{{end}}");
gt("if without end", ZONE, "{{if .x}}a");
gt("undefined function", ZONE, "{{nofunc .x}}");
gt("undefined variable", ZONE, "{{$undefined}}");
gt("non executable command", ZONE, "{{.a | 3}}");
gt("range without a value", ZONE, "{{range}}{{end}}");
gt("else without if", ZONE, "{{else}}");
gt("break outside range", ZONE, "{{break}}");
gt("unterminated string", ZONE, '{{"unterminated}}');
gt("unexpected right paren", ZONE, "{{)}}");
gt("unclosed paren", ZONE, "{{(.a}}");
gt("bad character", ZONE, "{{.a#}}");
gt("unclosed comment", ZONE, "{{/* nope");
gt("error on a later line", ZONE, "line1\n{{.a}}\n{{.b | }}");
gt("unclosed action over lines", ZONE, "{{.a\n\n");
gt("empty pipeline", ZONE, "{{}}");
gt("dot after a literal", ZONE, '{{"x".y}}');
gt("range with else if", ZONE, "{{range .x}}{{else if .y}}{{end}}");
gt("too many declarations", ZONE, "{{$a, $b := 1}}");
gt("assign to undefined variable", ZONE, "{{$x = 1}}");
cases.push({
  name: "go-template-file over several lines",
  ...ZONES,
  format: "go-template-file",
  template: "{{range .items -}}\n{{ .metadata.name }}: {{ .spec.domainName }}\n{{end -}}\n",
});
cases.push({ name: "template= alias", ...ZONE, format: "template", template: "{{.metadata.name}}/{{.spec.domainName}}" });
cases.push({ name: "templatefile= alias", ...ZONE, format: "templatefile", template: "{{.kind}}\n" });
cases.push({
  name: "error on line 3 of a file",
  ...ZONE,
  format: "go-template-file",
  template: "{{.metadata.name}}\n{{.spec.domainName}}\n{{.spec.domainName.x}}\n",
});

// ---------------------------------------------------------------------------------------------
// Running kubectl.

interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}

async function main() {
  const kubectl = await findKubectl();
  if (!kubectl) throw new Error("no kubectl: set $KUBECTL or put kubectl 1.32 on PATH");
  const version = JSON.parse((await run([kubectl, "version", "--client", "-o", "json"], {})).stdout).clientVersion.gitVersion as string;
  const datum = await startLocalDatum();
  const dir = mkdtempSync(join(tmpdir(), "datumctl-goldens-"));
  try {
    const web = datum.api.projectPath("web");
    datum.api.put(web, tricky);
    datum.api.put(web, plain);
    const token = await datum.idp.mintAccessToken("ada");
    const kubeconfigs: Record<Plane, string> = {
      web: kubeconfig(dir, "web", datum.api.url + web, datum.api.caPem, token),
      acme: kubeconfig(dir, "acme", datum.api.url + datum.api.orgPath("acme"), datum.api.caPem, token),
    };
    const k = (plane: Plane, args: string[]) =>
      run([kubectl, ...args], { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: kubeconfigs[plane], KUBECACHEDIR: kubeconfigs[plane] + ".cache" });

    // The inputs, once per target.
    const inputs = new Map<string, unknown>();
    const inputId = (c: { plane: Plane; target: string[] }) => `${c.plane}: ${c.target.join(" ")}`;
    for (const c of cases) {
      const id = inputId(c);
      if (inputs.has(id)) continue;
      const r = await k(c.plane, ["get", ...c.target, "-o", "json", "--show-managed-fields"]);
      if (r.exitCode !== 0) throw new Error(`kubectl get ${c.target.join(" ")} failed: ${r.stderr}`);
      inputs.set(id, JSON.parse(r.stdout));
    }

    const files = join(dir, "templates");
    mkdirSync(files);
    const excluded: string[] = [];
    const recorded: Record<Family, unknown[]> = { jsonpath: [], "custom-columns": [], "go-template": [] };
    const results = await pool(cases, 6, async (c, i) => {
      const isFile = c.format.endsWith("-file") || c.format === "templatefile";
      let value = c.template;
      if (isFile) {
        value = join(files, `case-${i}.txt`);
        writeFileSync(value, c.template);
      }
      const args = ["get", ...c.target, "-o", `${c.format}=${value}`, ...(c.extra ?? [])];
      const runs = c.mapOrder ? 8 : 3;
      const outs: Result[] = [];
      for (let n = 0; n < runs; n++) outs.push(await k(c.plane, args));
      const stable = outs.every((o) => o.stdout === outs[0]!.stdout && o.stderr === outs[0]!.stderr && o.exitCode === outs[0]!.exitCode);
      return { c, args: isFile ? [...args.slice(0, -1 - (c.extra?.length ?? 0)), `${c.format}=FILE`, ...(c.extra ?? [])] : args, out: outs[0]!, stable };
    });
    for (const { c, args, out, stable } of results) {
      if (!stable) {
        excluded.push(`${c.format} ${JSON.stringify(c.template)} (${c.name})`);
        continue;
      }
      recorded[FAMILY[c.format]].push({
        name: c.name,
        input: inputId(c),
        args,
        format: c.format,
        template: c.template,
        noHeaders: (c.extra ?? []).includes("--no-headers"),
        allowMissingKeys: !(c.extra ?? []).includes("--allow-missing-template-keys=false"),
        stdout: out.stdout,
        stderr: out.stderr,
        exitCode: out.exitCode,
      });
    }

    mkdirSync(OUT, { recursive: true });
    for (const family of Object.keys(recorded) as Family[]) {
      const list = recorded[family] as { input: string }[];
      const used = Object.fromEntries([...new Set(list.map((c) => c.input))].sort().map((id) => [id, inputs.get(id)]));
      const path = join(OUT, `${family}.json`);
      writeFileSync(
        path,
        JSON.stringify({ kubectl: version, note: "Recorded by scripts/record-printer-goldens.ts; do not edit by hand.", inputs: used, cases: list }, null, 1) +
          "\n",
      );
      console.log(`${path}: ${list.length} cases`);
    }
    if (excluded.length) console.log(`left out (output changes between runs, Go map order):\n  ${excluded.join("\n  ")}`);
  } finally {
    await datum.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function kubeconfig(dir: string, name: string, server: string, caPem: string, token: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    YAML.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "datum", cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
      users: [{ name: "ada", user: { token } }],
      contexts: [{ name: "datum", context: { cluster: "datum", user: "ada", namespace: "default" } }],
      "current-context": "datum",
    }),
  );
  return path;
}

async function run(cmd: string[], env: Record<string, string>): Promise<Result> {
  const p = Bun.spawn(cmd, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, exitCode };
}

async function pool<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

await main();
