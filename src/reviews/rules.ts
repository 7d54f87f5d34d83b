// `auth can-i --list`: a SelfSubjectRulesReview status as kubectl prints it. Rules are broken
// down to one verb / resource / name each, simple ones merged back per resource (verbs in
// first-seen order), sorted by the Go String() of rbac/v1 PolicyRule, and tab-written.
import { tabwrite } from "../printers/tabwriter";
import { goList } from "./output";

export interface ResourceRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs?: string[];
  nonResourceURLs?: string[];
}

export interface RulesStatus {
  resourceRules?: ResourceRule[];
  nonResourceRules?: NonResourceRule[];
  incomplete?: boolean;
  evaluationError?: string;
}

interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const rule = (r: Partial<PolicyRule>): PolicyRule => ({
  verbs: r.verbs ?? [],
  apiGroups: r.apiGroups ?? [],
  resources: r.resources ?? [],
  resourceNames: r.resourceNames ?? [],
  nonResourceURLs: r.nonResourceURLs ?? [],
});

/** rbacutil.BreakdownRule. */
function breakdown(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of r.apiGroups) {
    for (const resource of r.resources) {
      for (const verb of r.verbs) {
        if (r.resourceNames.length) {
          for (const name of r.resourceNames) out.push(rule({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] }));
        } else {
          out.push(rule({ apiGroups: [group], resources: [resource], verbs: [verb] }));
        }
      }
    }
  }
  for (const url of r.nonResourceURLs) for (const verb of r.verbs) out.push(rule({ nonResourceURLs: [url], verbs: [verb] }));
  return out;
}

/** rbacutil.CompactRules: one group, one resource, at most one name → merge their verbs. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const complex: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = r.resourceNames.length <= 1 && r.nonResourceURLs.length === 0 && r.apiGroups.length === 1 && r.resources.length === 1;
    if (!isSimple) {
      complex.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames.length > 0, r.resourceNames[0] ?? ""]);
    const existing = simple.get(key);
    if (!existing) simple.set(key, { ...r, verbs: [...r.verbs] });
    else for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
  }
  return [...complex, ...simple.values()];
}

/** The generated String() of rbac/v1 PolicyRule, which kubectl sorts by. */
const goString = (r: PolicyRule) =>
  `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** Go's strings.Compare: byte order of the UTF-8 encodings. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** describe.CombineResourceGroup: `resource.group[/subresource]`. */
function combineResourceGroup(resources: string[], groups: string[]): string {
  if (!resources.length) return "";
  const [res, sub] = splitOnce(resources[0]!, "/");
  let out = res;
  if (groups.length && groups[0] !== "") out += `.${groups[0]}`;
  if (sub !== undefined) out += `/${sub}`;
  return out;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i === -1 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** The rules in kubectl's order. */
export function sortedRules(status: RulesStatus): PolicyRule[] {
  const rules = [
    ...(status.resourceRules ?? []).map((r) => rule({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
    ...(status.nonResourceRules ?? []).map((r) => rule({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
  ];
  const keyed = compact(rules.flatMap(breakdown)).map((r) => ({ r, key: goString(r) }));
  // Array.prototype.sort is stable, like Go's sort.Stable.
  return keyed.sort((a, b) => compareBytes(a.key, b.key)).map((x) => x.r);
}

/** The table `kubectl auth can-i --list` prints. */
export function renderRules(status: RulesStatus, headers: boolean): string {
  const rows = sortedRules(status).map((r) => [
    combineResourceGroup(r.resources, r.apiGroups),
    goList(r.nonResourceURLs),
    goList(r.resourceNames),
    goList(r.verbs),
  ]);
  if (headers) rows.unshift(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]);
  return rows.length ? tabwrite(rows) : "";
}
