// Refreshing a session's contexts from the API: on `ctx --refresh`, and on `ctx` when the
// cache is older than an hour.
import type { Runtime } from "../runtime";
import { accessToken } from "../auth/token-source";
import { DatumctlError } from "../errors";
import { type DatumctlConfig, type Session, updateConfig } from "../store/config";
import { progress } from "../ui/progress";
import { applyListing, listContexts } from "./listing";
import { plural } from "../ui/plural";

export const STALE_AFTER_MS = 3_600_000;

export function isStale(cfg: DatumctlConfig, now = Date.now()): boolean {
  const at = Date.parse(cfg.cache?.["last-refreshed"] ?? "");
  return Number.isNaN(at) || now - at > STALE_AFTER_MS;
}

export async function refreshContexts(rt: Runtime, session: Session): Promise<number> {
  progress(rt, "Refreshing contexts...");
  const { subject } = await accessToken(rt, session.name);
  if (!subject) throw new DatumctlError(`session ${session.name} does not know its user id`, { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' again." });
  const found = await listContexts(rt, session, subject);
  for (const f of found.failures) rt.io.err(`warning: could not list the projects of ${f.org}: ${f.message}\n`);
  const count = found.organizations.length + found.projects.length;
  await updateConfig(rt.configDir, (cfg) => {
    applyListing(cfg, session.name, found);
    // A current context that no longer exists is cleared rather than left dangling.
    if (cfg["current-context"] && !cfg.contexts?.some((c) => c.name === cfg["current-context"])) delete cfg["current-context"];
  });
  rt.io.err(`✓ Discovered ${plural(count, "context")}\n`);
  return count;
}
