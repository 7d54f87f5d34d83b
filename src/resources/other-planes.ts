// The other control planes a session can reach (from its contexts), for the hint of "the server
// doesn't have a resource type": one project and one organization, the current organization's first.
import type { DiscoveryTarget, OtherPlane } from "../discovery/index";
import type { ApiClient } from "../api/client";
import type { Scope } from "../scope/resolve";
import type { ConfigContext, DatumctlConfig } from "../store/config";
import { controlPlanePath } from "./scope-urls";

export function otherPlanes(cfg: DatumctlConfig, session: string, scope: Scope, root: ApiClient, subject: string): OtherPlane<DiscoveryTarget>[] {
  const org = scope.kind === "project" || scope.kind === "organization" ? scope.organization : undefined;
  const mine = (cfg.contexts ?? []).filter((c) => c.session === session).sort((a, b) => rank(a, org) - rank(b, org));
  const project = mine.find((c) => c["project-id"] && !(scope.kind === "project" && c["project-id"] === scope.project));
  const organization = mine.find((c) => !c["project-id"] && !(scope.kind === "organization" && c["organization-id"] === scope.organization));
  const out: OtherPlane<DiscoveryTarget>[] = [];
  for (const c of [project, organization]) {
    if (!c) continue;
    const id = c["project-id"] ?? c["organization-id"];
    const kind = c["project-id"] ? "project" : "organization";
    let client: ApiClient;
    try {
      client = root.at(controlPlanePath({ kind, id }));
    } catch {
      continue; // a hand-edited context with an ID that cannot be a path: no hint from it
    }
    const target: Scope = c["project-id"]
      ? { kind: "project", project: c["project-id"], organization: c["organization-id"], source: "context" }
      : { kind: "organization", organization: c["organization-id"], source: "context" };
    out.push({
      kind,
      context: c["project-id"] ? `${c["organization-id"]}/${c["project-id"]}` : c["organization-id"],
      flag: `--${kind} ${id}`,
      target: { client, scope: target, subject },
    });
  }
  return out;
}

const rank = (c: ConfigContext, org: string | undefined) => (c["organization-id"] === org ? 0 : 1);
