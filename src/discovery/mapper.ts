// The REST mapper: what a user types as a resource type → the served resource(s), with the
// rules kubectl's shortcut-expanding, category-expanding discovery mapper follows:
//
//   1. A category (`datum`) expands to every resource in it, each at its preferred version.
//   2. `resource.version.group` (two dots or more) is tried as fully specified first.
//   3. `resource[.group]`: plural or singular name; a short name is expanded first unless the
//      word is some resource's full name. A group may be given by a prefix
//      (`dnszones.dns` → dns.networking.miloapis.com).
//   4. `Kind[.version.group]` / `Kind[.group]`.
//   When several groups or versions serve the name, the core group's v1 wins, then the groups
//   in the server's order, each at its preferred version before the others. A short name that
//   other resources use as well resolves the same way, with kubectl's warning.
//
// Unlike kubectl, every comparison ignores case (kubectl lower-cases plurals and singulars
// but not short names or categories), a kind is found in any group (kubectl looks in the
// core group only when no group is given), and two resources that still tie (one's plural is
// another's singular in the same group/version) are reported as ambiguous rather than "not found".
import { DatumctlError } from "../errors";
import { type ApiResource, type ApiSurface, qualifiedName } from "./model";

export interface Resolution {
  resources: ApiResource[];
  /** Lines for stderr, without the `Warning: ` prefix. */
  warnings: string[];
}

/** The error for a type the server does not serve, in kubectl's words. */
export function notFoundError(arg: string): DatumctlError {
  const dot = arg.indexOf(".");
  return new DatumctlError(`the server doesn't have a resource type "${dot < 0 ? arg : arg.slice(0, dot)}"`, {
    code: "NOT_FOUND",
    hint: "Run 'datumctl api-resources' to see the resource types this control plane serves.",
  });
}

/** Candidates ranked as kubectl's priority mapper ranks them; one winner, or the tie. */
function pick(surface: ApiSurface, candidates: ApiResource[]): ApiResource[] {
  let remaining = [...new Set(candidates)];
  if (remaining.length <= 1) return remaining;
  const patterns: { group: string; version?: string }[] = [{ group: "", version: "v1" }];
  for (const g of surface.groups) {
    patterns.push({ group: g.name, version: g.preferredVersion });
    for (const v of g.versions) if (v !== g.preferredVersion) patterns.push({ group: g.name, version: v });
  }
  for (const g of surface.groups) patterns.push({ group: g.name });
  for (const p of patterns) {
    const matched = remaining.filter((r) => r.group === p.group && (p.version === undefined || r.version === p.version));
    if (matched.length === 1) return matched;
    if (matched.length > 1) remaining = matched;
  }
  return remaining;
}

function ambiguous(arg: string, tied: ApiResource[]): DatumctlError {
  const names = tied.map((r) => `${qualifiedName(r)} (${r.kind}, ${r.group ? `${r.group}/` : ""}${r.version})`);
  return new DatumctlError(`the resource type "${arg}" is ambiguous: it matches ${names.join(" and ")}`, {
    code: "INVALID_INPUT",
    hint: "Name the type with its group, e.g. 'plural.group', as 'datumctl api-resources -o name' prints it.",
  });
}

/** kubectl's shortcut expansion: a short name → the resource (and group) it stands for. */
function expandShortName(surface: ApiSurface, name: string, group: string | undefined, warnings: string[]): { name: string; group: string | undefined } {
  const inGroup = (r: ApiResource) => group === undefined || r.group === group;
  if (surface.resources.some((r) => inGroup(r) && (r.resource.toLowerCase() === name || r.singular.toLowerCase() === name))) return { name, group };
  let found: ApiResource | undefined;
  const warned = new Set<string>();
  for (const r of surface.resources) {
    if (!inGroup(r) || !r.shortNames.some((s) => s.toLowerCase() === name)) continue;
    if (!found) found = r;
    else if (r.group !== found.group || r.resource !== found.resource) {
      const other = qualifiedName(r);
      if (!warned.has(other)) warnings.push(`short name "${name}" could also match lower priority resource ${other}`);
      warned.add(other);
    }
  }
  if (found) return { name: found.resource.toLowerCase(), group: found.group };
  if (group !== undefined) {
    const byPrefix = surface.resources.find((r) => r.group.startsWith(group) && r.shortNames.some((s) => s.toLowerCase() === name));
    if (byPrefix) return { name: byPrefix.resource.toLowerCase(), group: byPrefix.group };
  }
  return { name, group };
}

/** By plural or singular name; undefined when nothing matches. */
function byName(
  surface: ApiSurface,
  arg: string,
  name: string,
  group: string | undefined,
  version: string | undefined,
  warnings: string[],
): ApiResource[] | undefined {
  const expanded = expandShortName(surface, name, group, warnings);
  const named = (r: ApiResource) => r.resource.toLowerCase() === expanded.name || r.singular.toLowerCase() === expanded.name;
  const atVersion = (r: ApiResource) => version === undefined || r.version === version;
  let found = surface.resources.filter((r) => named(r) && atVersion(r) && (expanded.group === undefined || r.group === expanded.group));
  // A group by its prefix (`storageclass.storage` for storage.k8s.io), never with a version.
  if (!found.length && expanded.group !== undefined && version === undefined) {
    const prefix = expanded.group;
    found = surface.resources.filter((r) => named(r) && r.group.startsWith(prefix));
  }
  if (!found.length) return undefined;
  const chosen = pick(surface, found);
  if (chosen.length > 1) throw ambiguous(arg, chosen);
  return chosen;
}

function byKind(surface: ApiSurface, arg: string, kind: string, group: string | undefined, version: string | undefined): ApiResource[] | undefined {
  const found = surface.resources.filter(
    (r) => r.kind.toLowerCase() === kind && (group === undefined || r.group === group) && (version === undefined || r.version === version),
  );
  if (!found.length) return undefined;
  const chosen = pick(surface, found);
  if (chosen.length > 1) throw ambiguous(arg, chosen);
  return chosen;
}

/** Every resource of a category, once each, at its preferred version, in discovery order. */
function byCategory(surface: ApiSurface, category: string): ApiResource[] {
  const seen = new Set<string>();
  const out: ApiResource[] = [];
  for (const r of surface.resources) {
    const key = `${r.group}/${r.resource}`;
    if (seen.has(key) || !r.categories.some((c) => c.toLowerCase() === category)) continue;
    seen.add(key);
    out.push(
      pick(
        surface,
        surface.resources.filter((x) => x.group === r.group && x.resource === r.resource),
      )[0]!,
    );
  }
  return out;
}

/**
 * Resolves one resource type argument (no commas, no `/name`) against a surface. Throws
 * NOT_FOUND (kubectl's "the server doesn't have a resource type") or INVALID_INPUT (ambiguous).
 */
export function resolveIn(surface: ApiSurface, arg: string): Resolution {
  const lower = arg.toLowerCase();
  const warnings: string[] = [];
  if (lower) {
    const inCategory = byCategory(surface, lower);
    if (inCategory.length) return { resources: inCategory, warnings };
  }
  const parts = lower.split(".");
  const dot = lower.indexOf(".");
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const full = parts.length >= 3 ? { name: parts[0]!, version: parts[1]!, group: parts.slice(2).join(".") } : undefined;

  if (name) {
    // Warnings only from the attempt that succeeds.
    const w1: string[] = [];
    const r1 = full && byName(surface, arg, full.name, full.group, full.version, w1);
    if (r1) return { resources: r1, warnings: w1 };
    const w2: string[] = [];
    const r2 = byName(surface, arg, name, group, undefined, w2);
    if (r2) return { resources: r2, warnings: w2 };
    const r3 = (full && byKind(surface, arg, full.name, full.group, full.version)) || byKind(surface, arg, name, group, undefined);
    if (r3) return { resources: r3, warnings };
  }
  throw notFoundError(arg);
}
