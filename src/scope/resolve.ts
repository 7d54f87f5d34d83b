// Which control plane a command talks to: flags, then DATUM_PROJECT / DATUM_ORGANIZATION,
// then the current context, then the user's own control plane. Contradictions are errors,
// never guesses.
import type { Env } from "../runtime";
import type { Globals } from "../runtime";
import { checkScopeId, type ScopeKind } from "./ids";
import { DatumctlError } from "../errors";
import { currentContext, type DatumctlConfig } from "../store/config";

export type ScopeSource = "flag" | "env" | "context" | "default";

export type Scope =
  | { kind: "project"; project: string; organization?: string; source: ScopeSource }
  | { kind: "organization"; organization: string; source: ScopeSource }
  | { kind: "user"; source: ScopeSource }
  | { kind: "platform"; source: ScopeSource };

export function resolveScope(globals: Globals, env: Env, cfg: DatumctlConfig): Scope {
  const orgOfProject = (project: string) => {
    const ctx = currentContext(cfg);
    if (ctx?.["project-id"] === project) return ctx["organization-id"];
    const matches = (cfg.cache?.projects ?? []).filter((p) => p.id === project);
    return matches.length === 1 ? matches[0]!["org-id"] : undefined;
  };
  if (globals.platformWide) return { kind: "platform", source: "flag" };
  if (globals.project) return { kind: "project", project: globals.project, organization: orgOfProject(globals.project), source: "flag" };
  if (globals.organization) return { kind: "organization", organization: globals.organization, source: "flag" };

  const envProject = fromEnv(env, "DATUM_PROJECT", "project");
  const envOrg = fromEnv(env, "DATUM_ORGANIZATION", "organization");
  if (envProject && envOrg) {
    throw new DatumctlError("DATUM_PROJECT and DATUM_ORGANIZATION cannot both be set", {
      code: "SCOPE_CONFLICT",
      hint: "Unset one of them, or pass --project or --organization to override both.",
    });
  }
  if (envProject) return { kind: "project", project: envProject, organization: orgOfProject(envProject), source: "env" };
  if (envOrg) return { kind: "organization", organization: envOrg, source: "env" };

  const ctx = currentContext(cfg);
  // A context is written by us or the Go tool, but a hand-edited one must not escape its scope either.
  if (ctx?.["project-id"]) {
    checkScopeId("project", ctx["project-id"], "the current context");
    return { kind: "project", project: ctx["project-id"], organization: ctx["organization-id"], source: "context" };
  }
  if (ctx) {
    checkScopeId("organization", ctx["organization-id"], "the current context");
    return { kind: "organization", organization: ctx["organization-id"], source: "context" };
  }
  return { kind: "user", source: "default" };
}

/** A scope variable's ID; set but empty (an unset `$P` in `DATUM_PROJECT="$P"`) or malformed is refused. */
function fromEnv(env: Env, name: string, kind: ScopeKind): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  checkScopeId(kind, v, name);
  return v;
}
