// Each session: where its secrets are, whether it has a refresh token (presence only: never a
// byte of it), and when its cached access token stops being handed out (expiry minus margin).
import { accessSync, constants } from "node:fs";
import { DEFAULT_AUTH_HOST, deriveApiURL, hostURL } from "../auth/hosts";
import { type Lifetime, rfc3339Seconds, usableUntil } from "../auth/lifetime";
import { readCredentials } from "../auth/secrets";
import { isDatumctlError } from "../errors";
import type { Backend, CredentialStore, StoreMode } from "../store/credentials";
import type { DatumctlConfig, Session } from "../store/config";
import { readCachedToken, tokenCachePath } from "../store/token-cache";
import { type Check, duration } from "./report";

const section = "Sessions" as const;

/** What the network checks need from a session's stored credentials: no secret among it. */
export interface SessionInfo {
  session: Session;
  /** The IdP issuer URL, scheme included. */
  issuer?: string;
  /** Base64 PEM trusted for the IdP (login --certificate-authority). */
  idpCA?: string;
}

export interface SessionOptions {
  store: CredentialStore;
  mode: StoreMode;
  /** The keyring answered the probe (undefined when not probed). */
  keyringWorks?: boolean;
  configDir: string;
  now?: number;
}

/** `datumctl login` with the flags that recreate this session. */
export function loginCommand(s: Session, issuer?: string, serviceAccount = false): string {
  const args = ["datumctl", "login"];
  const auth = s.endpoint["auth-hostname"];
  let api: string | undefined;
  try {
    api = new URL(s.endpoint.server).host;
  } catch {
    // left out below
  }
  if (auth && auth !== DEFAULT_AUTH_HOST) args.push("--hostname", issuer ?? auth);
  let derived: string | undefined;
  try {
    derived = deriveApiURL(hostURL(issuer ?? auth ?? DEFAULT_AUTH_HOST, "--hostname")).host;
  } catch {
    derived = undefined;
  }
  if (api && api !== derived) args.push("--api-hostname", api);
  if (serviceAccount) args.push("--credentials", "<key file>");
  return args.join(" ");
}

const where = (b: Backend | undefined, mode: StoreMode, keyringWorks: boolean | undefined) =>
  b === "keyring"
    ? "secrets in the OS keyring"
    : mode === "auto" && keyringWorks
      ? "secrets in credentials.json (they move to the keyring at the next login or token rotation)"
      : "secrets in credentials.json";

function tokenState(configDir: string, session: string, now: number): { text: string; fresh: boolean; corrupt?: string } {
  let corrupt: string | undefined;
  const t = readCachedToken(configDir, session, (w) => void (corrupt = w));
  if (!t) {
    return corrupt
      ? { text: "the cached access token is unreadable", fresh: false, corrupt: tokenCachePath(configDir, session) }
      : { text: "no access token cached", fresh: false };
  }
  const life: Lifetime = { expiry: t.expiry, lifetimeSeconds: t.lifetime_seconds ?? 0 };
  const until = usableUntil(life);
  if (Number.isNaN(until)) return { text: "the cached access token has no readable expiry", fresh: false, corrupt: tokenCachePath(configDir, session) };
  const at = rfc3339Seconds(until);
  return until > now
    ? { text: `access token valid for ${duration(until - now)} (until ${at})`, fresh: true }
    : { text: `access token expired ${duration(now - until)} ago (${at})`, fresh: false };
}

export async function sessionChecks(cfg: DatumctlConfig, active: string | undefined, opts: SessionOptions): Promise<{ checks: Check[]; infos: SessionInfo[] }> {
  const now = opts.now ?? Date.now();
  const checks: Check[] = [];
  const infos: SessionInfo[] = [];
  const sessions = cfg.sessions ?? [];
  if (sessions.length === 0) {
    checks.push({ section, name: "session", status: "warn", detail: "No sessions: nobody is signed in with this config", fix: "datumctl login" });
    return { checks, infos };
  }
  const named = cfg["active-session"];
  if (named !== undefined && !sessions.some((s) => s.name === named)) {
    checks.push({
      section,
      name: "active-session",
      status: "warn",
      detail: `The active session ${named} is not in the config; commands without --session have no session`,
      fix: "datumctl auth switch",
    });
  }
  for (const s of sessions) {
    const info: SessionInfo = { session: s };
    infos.push(info);
    const label = `Session ${s.name}${s.name === active ? " (active)" : ""}`;
    const base = { section, name: "session", subject: s.name } as const;
    let location: Backend | undefined;
    let creds;
    try {
      location = await opts.store.locate(s["user-key"]);
      creds = location ? await readCredentials(opts.store, s["user-key"]) : undefined;
    } catch (e) {
      checks.push({
        ...base,
        status: "fail",
        detail: `${label}: its stored credentials cannot be read (${isDatumctlError(e) ? e.message : String((e as Error)?.message ?? e)})`,
        fix: loginCommand(s),
      });
      continue;
    }
    if (!creds) {
      const maybe = opts.mode !== "file" && opts.keyringWorks === false ? "; the keyring is unavailable now, and they may be in it" : "";
      checks.push({
        ...base,
        status: "fail",
        detail: `${label}: no stored credentials (signed out, or stored elsewhere${maybe}); kubectl entries using it fail`,
        fix: loginCommand(s),
      });
      continue;
    }
    info.issuer = creds.issuer;
    info.idpCA = creds.certificate_authority_data;
    const fix = loginCommand(s, creds.issuer, creds.service_account !== undefined);
    const token = tokenState(opts.configDir, s.name, now);
    const stored = where(location, opts.mode, opts.keyringWorks);
    if (token.corrupt) {
      checks.push({ ...base, status: "warn", detail: `${label}: ${token.text}; it is ignored and fetched again`, fix: `rm ${token.corrupt}` });
    }
    if (creds.service_account) {
      const keyFile = creds.service_account.private_key_path;
      let readable = true;
      try {
        accessSync(keyFile, constants.R_OK);
      } catch {
        readable = false;
      }
      if (!readable) {
        checks.push({
          ...base,
          status: "fail",
          detail: `${label}: service account ${creds.service_account.client_email}; its key file ${keyFile} is missing or unreadable`,
          fix,
        });
      } else {
        checks.push({ ...base, status: "ok", detail: `${label}: service account, ${stored}, key file present; ${token.text}` });
      }
      continue;
    }
    const refresh = typeof creds.token.refresh_token === "string" && creds.token.refresh_token !== "";
    if (refresh) {
      checks.push({ ...base, status: "ok", detail: `${label}: ${stored}, refresh token present; ${token.text}` });
    } else if (token.fresh) {
      checks.push({ ...base, status: "warn", detail: `${label}: ${stored}, no refresh token; ${token.text}, then you must sign in again`, fix });
    } else {
      checks.push({ ...base, status: "fail", detail: `${label}: ${stored}, no refresh token and ${token.text}; no token can be had without signing in`, fix });
    }
  }
  return { checks, infos };
}
