// `auth list` and `auth switch`: the sessions in the config, and which one is active. The
// config is the one source of truth: get-token without --session follows a switch (the Go tool kept a second, keyring-side "active user" that `auth switch` did not move).
import type { Runtime } from "../runtime";
import { contextRef } from "../contexts/resolve";
import { DatumctlError } from "../errors";
import { humanDuration } from "../printers/age";
import { parseDataOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { tabwrite } from "../printers/tabwriter";
import { activeSession, loadConfig, type Session, updateConfig } from "../store/config";
import { readCachedToken } from "../store/token-cache";
import { pick } from "../ui/pick";

export interface SessionRow {
  name: string;
  email: string;
  userName: string | null;
  endpoint: string;
  /** host[:port] of the endpoint: the part after the email in the session's name. */
  apiHost: string;
  active: boolean;
  /** When the cached access token expires (RFC 3339), or null with none cached. */
  tokenExpires: string | null;
}

export async function sessionList(rt: Runtime): Promise<SessionRow[]> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const active = activeSession(cfg)?.name;
  return (cfg.sessions ?? []).map((s) => ({
    name: s.name,
    email: s["user-email"],
    userName: s["user-name"] ?? null,
    endpoint: s.endpoint.server,
    apiHost: new URL(s.endpoint.server).host,
    active: s.name === active,
    tokenExpires: readCachedToken(rt.configDir, s.name, (t) => rt.io.err(`warning: ${t}\n`))?.expiry ?? null,
  }));
}

export async function renderSessionList(rows: SessionRow[], output: string | undefined, rt: Runtime): Promise<string> {
  const format = parseDataOutput(output);
  if (format) return printRecord(format, rows);
  if (rows.length === 0) {
    rt.io.err("No sessions. Run 'datumctl login' to sign in.\n");
    return "";
  }
  // kubectl's tables: one row a session, every cell filled ("-" for nothing), the session's name as `auth switch` and --session take it.
  const header = ["SESSION", "USER", "API HOST", "ACTIVE", "TOKEN EXPIRES"];
  const now = Date.now();
  const body = rows.map((r) => [r.name, r.email, r.apiHost, r.active ? "yes" : "no", expiresIn(r.tokenExpires, now)]);
  return tabwrite([header, ...body]);
}

/** "in 59m", "expired 3h ago" (it is refreshed on next use), or "-" with no token cached. */
function expiresIn(expiry: string | null, now: number): string {
  const at = expiry ? Date.parse(expiry) : Number.NaN;
  if (Number.isNaN(at)) return "-";
  return at > now ? `in ${humanDuration(at - now)}` : `expired ${humanDuration(now - at)} ago`;
}

export async function switchSession(rt: Runtime, query: string | undefined): Promise<void> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const sessions = cfg.sessions ?? [];
  if (sessions.length === 0) throw new DatumctlError("no sessions to switch to", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' to sign in." });
  let candidates: Session[] = query ? sessions.filter((s) => s.name === query) : sessions;
  if (query && candidates.length === 0) candidates = sessions.filter((s) => s["user-email"] === query);
  if (candidates.length === 0) {
    throw new DatumctlError(`no session for ${query}`, { code: "SESSION_NOT_FOUND", hint: "Run 'datumctl auth list' to see your sessions." });
  }
  let target = candidates[0]!;
  if (candidates.length > 1) {
    if (!(rt.io.stdinTTY && rt.io.stderrTTY)) {
      throw new DatumctlError(`${query ?? "that"} matches ${candidates.length} sessions`, {
        code: "INVALID_INPUT",
        hint: `Name one: ${candidates.map((s) => s.name).join(", ")}.`,
      });
    }
    const active = activeSession(cfg)?.name;
    const labels = candidates.map((s) => `${s.name}${s.name === active ? " (active)" : ""}`);
    const i = await pick(
      rt.io,
      "Which session?",
      labels,
      Math.max(
        0,
        candidates.findIndex((s) => s.name === active),
      ),
    );
    if (i === undefined) throw new DatumctlError("no session chosen", { code: "INVALID_INPUT" });
    target = candidates[i]!;
  }
  const context = await updateConfig(rt.configDir, (c) => {
    c["active-session"] = target.name;
    const last = target["last-context"];
    const ctx = c.contexts?.find((x) => x.name === last && x.session === target.name);
    if (ctx) c["current-context"] = ctx.name;
    else delete c["current-context"];
    return ctx;
  });
  const who = target["user-name"] ? `${target["user-name"]} (${target["user-email"]})` : target["user-email"];
  rt.io.err(`✓ Switched to ${who}\n  Context:  ${context ? contextRef(context) : "(none; run 'datumctl ctx use')"}\n  Endpoint: ${target.endpoint.server}\n`);
}
