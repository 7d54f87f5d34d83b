// Turning what a user types (`acme`, `acme/web`, a display name) into one of the active
// session's contexts. IDs beat display names; an ambiguous name matches nothing.
import type { ConfigContext, DatumctlConfig } from "../store/config";

export const contextRef = (c: ConfigContext) => (c["project-id"] ? `${c["organization-id"]}/${c["project-id"]}` : c["organization-id"]);

export function resolveContext(cfg: DatumctlConfig, session: string, ref: string): ConfigContext | undefined {
  const mine = (cfg.contexts ?? []).filter((c) => c.session === session);
  const orgName = (id: string) => cfg.cache?.organizations?.find((o) => o.session === session && o.id === id)?.["display-name"];
  const projectName = (org: string, id: string) =>
    cfg.cache?.projects?.find((p) => p.session === session && p["org-id"] === org && p.id === id)?.["display-name"];
  const only = <T>(xs: T[]) => (xs.length === 1 ? xs[0] : undefined);

  const exact = mine.find((c) => c.name === ref || contextRef(c) === ref);
  if (exact) return exact;
  if (ref.includes("/")) {
    const [o, p] = ref.split("/", 2) as [string, string];
    const orgs = mine.some((c) => c["organization-id"] === o)
      ? [o]
      : [...new Set(mine.filter((c) => orgName(c["organization-id"]) === o).map((c) => c["organization-id"]))];
    const org = only(orgs);
    if (!org) return undefined;
    return only(mine.filter((c) => c["organization-id"] === org && c["project-id"] && (c["project-id"] === p || projectName(org, c["project-id"]) === p)));
  }
  return (
    only(mine.filter((c) => !c["project-id"] && c["organization-id"] === ref)) ??
    only(mine.filter((c) => c["project-id"] === ref)) ??
    only(mine.filter((c) => !c["project-id"] && orgName(c["organization-id"]) === ref)) ??
    only(mine.filter((c) => c["project-id"] && projectName(c["organization-id"], c["project-id"]) === ref))
  );
}
