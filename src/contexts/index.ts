// What `ctx`, `ctx list` and `ctx use` do, on top of the config and the context resolver.
import type { Runtime } from "../runtime";
import { setCurrentContext } from "../sessions/login";
import { DatumctlError } from "../errors";
import { activeSession, type DatumctlConfig, loadConfig, type Session, updateConfig } from "../store/config";
import { pick } from "../ui/pick";
import { checkOrganization, setupNeeded } from "../onboarding/gate";
import { scopedClient } from "../resources/scoped";
import { contextRows, renderContexts } from "./list";
import { isStale, refreshContexts } from "./refresh";
import { contextRef, resolveContext } from "./resolve";

function requireSession(cfg: DatumctlConfig): Session {
  const s = activeSession(cfg);
  if (!s) throw new DatumctlError("no active session", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' to sign in." });
  return s;
}

export interface ListOptions {
  all: boolean;
  output?: string;
  /** undefined: refresh when stale (failures are warnings); true: always (failures are errors); false: never. */
  refresh?: boolean;
}

export async function listContexts(rt: Runtime, opts: ListOptions): Promise<string> {
  let cfg = await loadConfig(rt.configDir, rt.io);
  const session = requireSession(cfg);
  if (opts.refresh === true || (opts.refresh === undefined && isStale(cfg))) {
    try {
      await refreshContexts(rt, session);
    } catch (e) {
      if (opts.refresh) throw e;
      rt.io.err(`warning: could not refresh contexts: ${(e as Error).message}\n`);
    }
    cfg = await loadConfig(rt.configDir, rt.io);
  }
  const sessions = opts.all ? (cfg.sessions ?? []) : [session];
  return renderContexts(rt, contextRows(cfg, sessions), sessions, opts.output);
}

export async function useContext(rt: Runtime, ref: string | undefined): Promise<void> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const session = requireSession(cfg);
  let target = ref ? resolveContext(cfg, session.name, ref) : undefined;
  if (!ref) {
    const mine = (cfg.contexts ?? []).filter((c) => c.session === session.name);
    if (!(rt.io.stdinTTY && rt.io.stderrTTY) || mine.length === 0) {
      throw new DatumctlError("name the context to use", {
        code: "INVALID_INPUT",
        hint: "Run 'datumctl ctx' to see them, then 'datumctl ctx use <organization>[/<project>]'.",
      });
    }
    const current = Math.max(
      0,
      mine.findIndex((c) => c.name === cfg["current-context"]),
    );
    const i = await pick(
      rt.io,
      "Which context?",
      mine.map((c) => `${c["project-id"] ? "  " : ""}${contextRef(c)}${c.name === cfg["current-context"] ? " *" : ""}`),
      current,
    );
    if (i === undefined) throw new DatumctlError("no context chosen", { code: "INVALID_INPUT" });
    target = mine[i];
  }
  if (!target) {
    const elsewhere = (cfg.sessions ?? []).filter((s) => s.name !== session.name).find((s) => resolveContext(cfg, s.name, ref!));
    if (elsewhere) {
      throw new DatumctlError(`context ${ref} belongs to the session for ${elsewhere["user-email"]}, which is not active`, {
        code: "SESSION_NOT_FOUND",
        hint: `Run 'datumctl auth switch ${elsewhere.name}' first.`,
      });
    }
    throw new DatumctlError(`context ${ref} not found`, {
      code: "NOT_FOUND",
      hint: "Run 'datumctl ctx' to see your contexts, or 'datumctl ctx --refresh' to look again.",
    });
  }
  const chosen = target;
  await updateConfig(rt.configDir, (c) => setCurrentContext(c, chosen));
  const row = contextRows(cfg, [session]).find((r) => r.name === chosen.name)!;
  const orgName =
    contextRows(cfg, [session]).find((r) => r.organization === chosen["organization-id"] && r.project === null)?.displayName ?? chosen["organization-id"];
  rt.io.err(
    chosen["project-id"]
      ? `✓ Switched to project ${row.displayName} in ${orgName} (${contextRef(chosen)})\n`
      : `✓ Switched to organization ${row.displayName} (${contextRef(chosen)})\n`,
  );
  await warnIfSetupNeeded(rt, chosen["organization-id"]);
}

const SETUP_CHECK_DEADLINE_MS = 10_000;

/**
 * Switching to an organization still being set up is allowed (setup may finish any moment), but
 * every command there would be refused: say so at once, with where to finish.
 */
async function warnIfSetupNeeded(rt: Runtime, orgId: string): Promise<void> {
  let state: Awaited<ReturnType<typeof checkOrganization>>;
  try {
    // A courtesy check: a hung API must not hang the switch, --request-timeout 0 or not.
    const bounded = { ...rt, globals: { ...rt.globals, requestTimeoutMs: rt.globals.requestTimeoutMs || SETUP_CHECK_DEADLINE_MS } };
    const { user, session } = await scopedClient(bounded, { scope: { kind: "user", source: "default" }, skipOnboarding: true });
    state = await checkOrganization(user, orgId, session.endpoint.server);
  } catch (e) {
    // Offline, signed out or not allowed to read it: the switch stands, and the gate speaks when a command runs.
    if (e instanceof DatumctlError) return;
    throw e;
  }
  if (state.complete) return;
  const { message, hint } = setupNeeded(state, orgId);
  rt.io.err(`warning: ${message}\n${hint}\n`);
}
