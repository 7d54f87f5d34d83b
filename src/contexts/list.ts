// `datumctl ctx`: the contexts of the active session (or every session) as a tree by
// organization, or as data with -o json|yaml.
import type { Runtime } from "../runtime";
import { parseDataOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { tabwrite } from "../printers/tabwriter";
import type { DatumctlConfig, Session } from "../store/config";

export interface ContextRow {
  name: string;
  session: string;
  organization: string;
  project: string | null;
  displayName: string;
  current: boolean;
}

export function contextRows(cfg: DatumctlConfig, sessions: Session[]): ContextRow[] {
  const names = new Set(sessions.map((s) => s.name));
  const display = (c: { session: string; "organization-id": string; "project-id"?: string }) =>
    (c["project-id"]
      ? cfg.cache?.projects?.find((p) => p.session === c.session && p["org-id"] === c["organization-id"] && p.id === c["project-id"])?.["display-name"]
      : cfg.cache?.organizations?.find((o) => o.session === c.session && o.id === c["organization-id"])?.["display-name"]) ??
    c["project-id"] ??
    c["organization-id"];
  const rows = (cfg.contexts ?? [])
    .filter((c) => names.has(c.session))
    .map((c) => ({
      name: c.name,
      session: c.session,
      organization: c["organization-id"],
      project: c["project-id"] ?? null,
      displayName: display(c),
      current: c.name === cfg["current-context"],
    }));
  // Organizations in order, each followed by its projects sorted by id.
  return rows.sort(
    (a, b) =>
      a.session.localeCompare(b.session) ||
      a.organization.localeCompare(b.organization) ||
      (a.project === null ? -1 : b.project === null ? 1 : a.project.localeCompare(b.project)),
  );
}

export async function renderContexts(rt: Runtime, rows: ContextRow[], sessions: Session[], output?: string): Promise<string> {
  const format = parseDataOutput(output);
  if (format) return printRecord(format, rows);
  if (rows.length === 0) {
    rt.io.err("No contexts. Run 'datumctl login', or 'datumctl ctx --refresh' if you were added to an organization since.\n");
    return "";
  }
  const blocks: string[] = [];
  for (const s of sessions) {
    const mine = rows.filter((r) => r.session === s.name);
    if (mine.length === 0) continue;
    const table = tabwrite([
      ["DISPLAY NAME", "NAME", "TYPE", "CURRENT"],
      ...mine.map((r) => [
        r.project ? `  ${r.displayName}` : r.displayName,
        r.project ? `${r.organization}/${r.project}` : r.organization,
        r.project ? "project" : "organization",
        r.current ? "*" : "",
      ]),
    ]);
    blocks.push(sessions.length > 1 ? `${s["user-email"]}  (${new URL(s.endpoint.server).host})\n${table}` : table);
  }
  return blocks.join("\n");
}
