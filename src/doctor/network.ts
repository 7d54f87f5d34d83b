// Can we reach the IdP (its discovery document) and each API server (/version), through the
// proxy and with the CA that every other command would use; how far our clock is from theirs
// (from the Date header of each answer); and which proxy is in effect (the CA bundles: ca.ts).
import { type TLSSettings, request } from "../api/http";
import { proxyFor } from "../api/proxy";
import { hostURL } from "../auth/hosts";
import { caTLS } from "../auth/oauth";
import type { Env, Runtime } from "../runtime";
import { isDatumctlError } from "../errors";
import { sessionTLS } from "../api/session-tls";
import { type Check, duration } from "./report";
import { loginCommand, type SessionInfo } from "./sessions";

export const DEFAULT_TIMEOUT_MS = 5_000;
/** Skew worth mentioning, and skew that breaks things (service-account assertions, TLS, JWT leeways). */
export const SKEW_WARN_MS = 30_000;
export const SKEW_FAIL_MS = 5 * 60_000;

type Rt = Pick<Runtime, "io" | "globals" | "serverWarnings" | "env">;

export interface Probe {
  kind: "idp" | "api";
  url: URL;
  tls?: TLSSettings;
  /** Sessions that use it, for the details and fixes. */
  sessions: SessionInfo[];
  /** The issuer its discovery document must name (idp). */
  issuer?: string;
}

export interface ProbeResult {
  probe: Probe;
  ok: boolean;
  status?: number;
  ms: number;
  /** Server clock minus ours (ms), from the Date header. */
  skewMs?: number;
  check: Check;
}

const trim = (s: string) => s.replace(/\/+$/, "");

/** What to probe: each distinct IdP and API server of the sessions; nothing without a session. */
export function probes(infos: SessionInfo[]): Probe[] {
  const out = new Map<string, Probe>();
  const add = (p: Probe) => {
    const key = `${p.kind} ${p.url.href}`;
    const seen = out.get(key);
    if (seen) seen.sessions.push(...p.sessions);
    else out.set(key, p);
  };
  for (const info of infos) {
    const s = info.session;
    let issuer = info.issuer;
    if (!issuer) {
      try {
        issuer = hostURL(s.endpoint["auth-hostname"], "auth host").origin;
      } catch {
        issuer = undefined;
      }
    }
    if (issuer) {
      try {
        add({ kind: "idp", url: new URL(`${trim(issuer)}/.well-known/openid-configuration`), tls: caTLS(info.idpCA), sessions: [info], issuer: trim(issuer) });
      } catch {
        // an unparsable issuer: the session check has said what to do
      }
    }
    try {
      add({ kind: "api", url: new URL(`${trim(s.endpoint.server)}/version`), tls: sessionTLS(s), sessions: [info] });
    } catch {
      // an unparsable server: nothing to probe
    }
  }
  return [...out.values()];
}

function failureFix(e: unknown, p: Probe, env: Env): string {
  const proxy = proxyFor(p.url, env);
  const code = isDatumctlError(e) ? e.code : "NETWORK";
  const relogin = p.sessions[0] ? loginCommand(p.sessions[0].session, p.sessions[0].issuer) : "datumctl login";
  if (code === "TLS") {
    return `Trust the server's CA: ${relogin} --certificate-authority <ca.pem> (or SSL_CERT_FILE / NODE_EXTRA_CA_CERTS for a corporate CA)`;
  }
  if (code === "TIMEOUT")
    return proxy
      ? `Check the proxy ${redactProxy(proxy)} (it did not answer for ${p.url.host}), or add ${p.url.hostname} to NO_PROXY`
      : `Check the network and firewall for ${p.url.host}; behind a proxy, set HTTPS_PROXY`;
  return proxy
    ? `Check the proxy ${redactProxy(proxy)}, or add ${p.url.hostname} to NO_PROXY if it should be reached directly`
    : `Check that ${p.url.host} is the right host and is reachable (DNS, VPN, firewall); behind a proxy, set HTTPS_PROXY`;
}

/** An error's message, with any user:password@ (a proxy's) hidden. */
const errorText = (e: unknown) => (isDatumctlError(e) ? e.message : String((e as Error)?.message ?? e)).replace(/\/\/[^\s/@]+@/g, "//<redacted>@");

export async function runProbe(rt: Rt, p: Probe, timeoutMs: number): Promise<ProbeResult> {
  const what = p.kind === "idp" ? `IdP ${p.url.origin}` : `API ${p.url.origin}`;
  const used = ` (${p.sessions.map((s) => s.session.name).join(", ")})`;
  const base = { section: "Network" as const, name: p.kind, subject: p.url.origin };
  const started = Date.now();
  const t0 = performance.now();
  let res: Response;
  try {
    res = await request(rt, p.url.href, { tls: p.tls, timeoutMs, redirect: "manual", headers: { accept: "application/json" } });
  } catch (e) {
    const ms = performance.now() - t0;
    return {
      probe: p,
      ok: false,
      ms,
      check: { ...base, status: "fail", detail: `${what}${used} unreachable: ${errorText(e)}`, fix: failureFix(e, p, rt.env) },
    };
  }
  const ms = performance.now() - t0;
  const ended = Date.now();
  const date = res.headers.get("date");
  // Date has whole seconds: the server's clock was somewhere in [date, date + 1s).
  const skewMs = date && !Number.isNaN(Date.parse(date)) ? Date.parse(date) + 500 - (started + ended) / 2 : undefined;
  const body = await res.text().catch(() => "");
  const took = `answered ${res.status} in ${duration(ms)}`;
  let check: Check;
  if (p.kind === "idp") {
    let issuer: unknown;
    try {
      issuer = (JSON.parse(body) as { issuer?: unknown }).issuer;
    } catch {
      issuer = undefined;
    }
    if (res.status !== 200) {
      check = {
        ...base,
        status: "fail",
        detail: `${what}${used} ${took} for its discovery document (${p.url.pathname})`,
        fix: `Check the session's auth host; ${p.sessions[0] ? loginCommand(p.sessions[0].session, p.sessions[0].issuer) : "datumctl login --hostname <auth host>"}`,
      };
    } else if (typeof issuer !== "string" || trim(issuer) !== p.issuer) {
      check = {
        ...base,
        status: "fail",
        detail: `${what}${used} ${took}, but its discovery document names issuer ${typeof issuer === "string" ? issuer : "(none)"}, not ${p.issuer}; token refresh fails`,
        fix: `Sign in with the issuer the server names: datumctl login --hostname ${typeof issuer === "string" ? issuer : "<auth host>"}`,
      };
    } else {
      check = { ...base, status: "ok", detail: `${what}${used} reachable: ${took}` };
    }
  } else if (res.status >= 500) {
    check = {
      ...base,
      status: "warn",
      detail: `${what}${used} reachable but failing: ${took}`,
      fix: "A server-side problem; try again later, or check https://status.datum.net",
    };
  } else {
    // /version needs no particular identity; 401 or 403 still proves the server and its TLS.
    check = { ...base, status: "ok", detail: `${what}${used} reachable: ${took}` };
  }
  return { probe: p, ok: true, status: res.status, ms, skewMs, check };
}

export function skewCheck(results: ProbeResult[]): Check {
  const base = { section: "Network" as const, name: "clock-skew" };
  const measured = results.filter((r) => r.skewMs !== undefined);
  if (measured.length === 0) return { ...base, status: "ok", detail: "Clock skew: not measured (no server answered with a Date header)" };
  const worst = measured.reduce((a, b) => (Math.abs(b.skewMs!) > Math.abs(a.skewMs!) ? b : a));
  const signed = (ms: number) => `${ms >= 0 ? "+" : "-"}${Math.abs(ms) < 1000 ? `${(Math.abs(ms) / 1000).toFixed(1)}s` : duration(ms)}`;
  const list = measured.map((r) => `${r.probe.url.host} ${signed(r.skewMs!)}`).join(", ");
  const a = Math.abs(worst.skewMs!);
  const direction = worst.skewMs! > 0 ? "behind" : "ahead of";
  if (a >= SKEW_FAIL_MS) {
    return {
      ...base,
      status: "fail",
      detail: `Clock skew: this machine's clock is ${duration(a)} ${direction} ${worst.probe.url.host} (${list}); service-account sign-in and certificate checks break`,
      fix: "Sync the clock: enable NTP (timedatectl set-ntp true; on macOS: sntp -sS time.apple.com)",
    };
  }
  if (a >= SKEW_WARN_MS) {
    return {
      ...base,
      status: "warn",
      detail: `Clock skew: this machine's clock is ${duration(a)} ${direction} ${worst.probe.url.host} (${list}); token expiry is counted locally, but other tools may suffer`,
      fix: "Sync the clock: enable NTP (timedatectl set-ntp true; on macOS: sntp -sS time.apple.com)",
    };
  }
  return { ...base, status: "ok", detail: `Clock skew: within ±1s of the servers' Date headers (${list})` };
}

/** A proxy URL with its user and password hidden. */
export function redactProxy(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, (_, scheme: string | undefined) => `${scheme ?? ""}<redacted>@`).replace(/\/$/, "");
}

export function proxyCheck(env: Env, targets: Probe[]): Check {
  const base = { section: "Proxy and TLS" as const, name: "proxy" };
  const pick = (...names: string[]) => names.find((n) => env[n]);
  const vars = [pick("HTTPS_PROXY", "https_proxy"), pick("HTTP_PROXY", "http_proxy"), pick("NO_PROXY", "no_proxy")].filter((n): n is string => !!n);
  if (vars.length === 0) return { ...base, status: "ok", detail: "Proxy: none (HTTPS_PROXY, HTTP_PROXY and NO_PROXY unset): connections are direct" };
  const shown = vars.map((n) => `${n}=${n.toUpperCase() === "NO_PROXY" ? env[n] : redactProxy(env[n]!)}`).join(" ");
  for (const n of vars.filter((v) => v.toUpperCase() !== "NO_PROXY")) {
    const v = env[n]!;
    let ok = true;
    try {
      const u = new URL(v);
      ok = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok)
      return {
        ...base,
        status: "fail",
        detail: `Proxy: ${n} is not an http(s) URL (${redactProxy(v)})`,
        fix: `export ${n}=http://proxy.example.com:3128 (or unset it)`,
      };
  }
  const hosts = [...new Set(targets.map((t) => t.url.origin))].map((o) => {
    const url = new URL(o);
    const via = proxyFor(url, env);
    return `${url.host} ${via ? `via ${redactProxy(via)}` : "direct"}`;
  });
  return { ...base, status: "ok", detail: `Proxy: ${shown}${hosts.length ? `; ${hosts.join(", ")}` : ""}` };
}
