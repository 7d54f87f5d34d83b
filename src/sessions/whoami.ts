// `datumctl whoami`: who and where a command would act right now, from local state only.
import type { Runtime } from "../runtime";
import { contextRef } from "../contexts/resolve";
import { DatumctlError } from "../errors";
import { parseDataOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { activeSession, currentContext, loadConfig } from "../store/config";
import { resolveScope, type Scope } from "../scope/resolve";

export interface WhoAmI {
  email: string;
  name: string | null;
  session: string;
  endpoint: string;
  context: string | null;
  scope: Scope;
  overrides: Record<string, string>;
}

export async function whoamiInfo(rt: Runtime): Promise<WhoAmI> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const session = activeSession(cfg);
  if (!session) throw new DatumctlError("not signed in", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' to sign in." });
  const ctx = currentContext(cfg);
  const overrides: Record<string, string> = {};
  for (const k of ["DATUM_PROJECT", "DATUM_ORGANIZATION"]) if (rt.env[k]) overrides[k] = rt.env[k]!;
  return {
    email: session["user-email"],
    name: session["user-name"] ?? null,
    session: session.name,
    endpoint: session.endpoint.server,
    context: ctx ? contextRef(ctx) : null,
    scope: resolveScope(rt.globals, rt.env, cfg),
    overrides,
  };
}

export async function whoami(rt: Runtime, output?: string): Promise<string> {
  const w = await whoamiInfo(rt);
  const format = parseDataOutput(output);
  if (format) return printRecord(format, w);
  const cfg = await loadConfig(rt.configDir, rt.io);
  const orgName = (id: string) => cfg.cache?.organizations?.find((o) => o.session === w.session && o.id === id)?.["display-name"] ?? id;
  const projName = (id: string) => cfg.cache?.projects?.find((p) => p.session === w.session && p.id === id)?.["display-name"] ?? id;
  const lines: [string, string][] = [
    ["User:", w.name ? `${w.name} (${w.email})` : w.email],
    ["Session:", w.session],
    ["Endpoint:", w.endpoint],
    ["Context:", w.context ?? "(none; run 'datumctl ctx use' to choose one)"],
  ];
  const s = w.scope;
  if (s.kind === "project") {
    if (s.organization) lines.push(["Organization:", `${orgName(s.organization)} (${s.organization})`]);
    lines.push(["Project:", `${projName(s.project)} (${s.project})`]);
  } else if (s.kind === "organization") {
    lines.push(["Organization:", `${orgName(s.organization)} (${s.organization})`]);
  }
  for (const [k, v] of Object.entries(w.overrides)) lines.push(["Override:", `${k}=${v} (overrides the context)`]);
  return lines.map(([l, v]) => `${l.padEnd(14)}${v}`).join("\n") + "\n";
}
