// What `datumctl auth doctor` reports: a flat list of checks, each ok, warn or fail, with a
// one-line fix under every problem; rendered for humans (sections of ✓ / ! / ✗ lines) or as
// JSON. Nothing here may ever hold a token or a secret: details name files, hosts and times.
import { recordJson } from "../printers/records";
import { plural } from "../ui/plural";

export type Status = "ok" | "warn" | "fail";

export const SECTIONS = ["Credential storage", "Files", "Locks", "Sessions", "Kubeconfig", "Network", "Proxy and TLS"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * One finding. `name` is a stable identifier of the kind of check (scripts match on it):
 * credential-store, keyring, file-mode, writable, lock, session, active-session, kubeconfig-file,
 * kubeconfig-exec, kuberc, idp, api, clock-skew, proxy, ca. `subject` is what it was run on
 * (a path, a session, a host, a kubeconfig user), when there is more than one.
 */
export interface Check {
  section: Section;
  name: string;
  subject?: string;
  status: Status;
  detail: string;
  /** One line: what to run or change. Present on every warn and fail. */
  fix?: string;
}

export interface Summary {
  status: Status;
  ok: number;
  warn: number;
  fail: number;
}

export interface Report {
  checks: Check[];
  summary: Summary;
}

export function summarize(checks: Check[]): Summary {
  const count = (s: Status) => checks.filter((c) => c.status === s).length;
  const s = { ok: count("ok"), warn: count("warn"), fail: count("fail") };
  return { status: s.fail > 0 ? "fail" : s.warn > 0 ? "warn" : "ok", ...s };
}

/** Orders checks by section (stable within one), so JSON and text read the same way. */
export function makeReport(checks: Check[]): Report {
  const ordered = [...checks].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section));
  return { checks: ordered, summary: summarize(ordered) };
}

const MARK: Record<Status, string> = { ok: "✓", warn: "!", fail: "✗" };

export function renderHuman(report: Report): string {
  const out: string[] = [];
  for (const section of SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section);
    if (checks.length === 0) continue;
    if (out.length) out.push("");
    out.push(section);
    for (const c of checks) {
      out.push(`  ${MARK[c.status]} ${oneLine(c.detail)}`);
      if (c.fix && c.status !== "ok") out.push(`      fix: ${oneLine(c.fix)}`);
    }
  }
  const { fail, warn } = report.summary;
  out.push("");
  if (fail === 0 && warn === 0) out.push("No problems found.");
  else if (fail === 0) out.push(`No problem to fix; ${plural(warn, "warning")}.`);
  else out.push(`${plural(fail, "problem")} to fix, ${plural(warn, "warning")}.`);
  return out.join("\n") + "\n";
}

export function renderJSON(report: Report): string {
  const checks = report.checks.map((c) => ({
    section: c.section,
    name: c.name,
    ...(c.subject !== undefined ? { subject: c.subject } : {}),
    status: c.status,
    detail: c.detail,
    ...(c.fix !== undefined ? { fix: c.fix } : {}),
  }));
  return recordJson({ checks, summary: report.summary });
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ");

/** "3.2s", "45ms", "2m10s", "3h4m", "2d3h": short durations for details. */
export function duration(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(a)}ms`;
  if (a < 60_000) return `${(a / 1000).toFixed(a < 10_000 ? 1 : 0)}s`;
  const s = Math.floor(a / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}
