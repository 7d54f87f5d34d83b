// `datumctl login`: find the identity provider, sign in by browser, device code or service
// account, save the session, then list and pick a context. Never prompts without a TTY.
import { readFileSync } from "node:fs";
import type { TLSSettings } from "../api/http";
import type { Runtime } from "../runtime";
import { applyListing, listContexts, type ContextListing } from "../contexts/listing";
import { contextRef, resolveContext } from "../contexts/resolve";
import { DatumctlError, invalidInput } from "../errors";
import { type ConfigContext, type DatumctlConfig, loadConfig, updateConfig } from "../store/config";
import { signInFlow } from "../ui/open-browser";
import { pick } from "../ui/pick";
import { progress } from "../ui/progress";
import { browserLogin } from "../auth/browser-flow";
import { deviceLogin } from "../auth/device-flow";
import { discoverIssuer } from "../auth/oidc-discovery";
import { DEFAULT_AUTH_HOST, defaultClientId, deriveApiURL, hostURL } from "../auth/hosts";
import { discardEntry } from "./logout";
import { type SignedIn, saveSecrets, sessionNameFor, upsertSession } from "../auth/save-session";
import { credentialStore } from "../auth/secrets";
import { DEFAULT_SCOPES, exchangeAssertion, mintAssertion, readKeyFile, saveKey } from "../auth/service-account";
import { sessionUserKey } from "../auth/session-keys";
import type { LoginTokens } from "../auth/flow-result";
import { plural } from "../ui/plural";

export interface LoginOptions {
  hostname?: string;
  apiHostname?: string;
  clientId?: string;
  noBrowser: boolean;
  credentials?: string;
  certificateAuthority?: string;
  context?: string;
  timeoutMs: number;
}

const CA_HINT = "Name the PEM file of the CA that signed the auth and API servers' certificates.";
const UNREADABLE: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a parent is not a directory",
};

function readCA(path: string | undefined): { pem?: string; data?: string } {
  if (!path) return {};
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw invalidInput(`cannot read the --certificate-authority file ${path}: ${UNREADABLE[code] ?? (e as Error).message}`, CA_HINT);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw invalidInput(`the --certificate-authority file ${path} holds no PEM certificate`, CA_HINT);
  return { pem, data: Buffer.from(pem).toString("base64") };
}

export async function login(rt: Runtime, opts: LoginOptions): Promise<void> {
  const ca = readCA(opts.certificateAuthority);
  const tls: TLSSettings | undefined = ca.pem ? { ca: ca.pem } : undefined;
  const signedIn = opts.credentials ? await serviceAccountLogin(rt, opts, ca.data, tls) : await userLogin(rt, opts, ca.data, tls);
  const who = signedIn.tokens.name ? `${signedIn.tokens.name} (${signedIn.tokens.email})` : signedIn.tokens.email;

  const session = await saveSecrets(rt, signedIn);
  rt.io.err(`✓ Authenticated as ${who}\n`);
  const unused = await updateConfig(rt.configDir, (cfg) => upsertSession(cfg, session));
  // The entry this session had before (the shared `<email>@<auth host>` of older versions) goes once nothing names it.
  if (unused) await discardEntry(rt, credentialStore(rt), unused);

  let found: ContextListing | undefined;
  progress(rt, "Discovering organizations and projects...");
  try {
    found = await listContexts(rt, session, signedIn.tokens.subject);
  } catch (e) {
    rt.io.err(
      `warning: could not list your organizations and projects: ${(e as Error).message}\nYou are signed in; run 'datumctl ctx use' once the API can be reached.\n`,
    );
    return;
  }
  summarise(rt, found);

  const interactive = !signedIn.serviceAccount && rt.io.stdinTTY && rt.io.stderrTTY;
  // Chosen on a copy, without the config lock: the picker waits on a person for as long as they take.
  const draft = await loadConfig(rt.configDir, rt.io);
  applyListing(draft, session.name, found);
  const picked = await chooseContext(rt, draft, session.name, opts.context, interactive);
  const chosen = await updateConfig(rt.configDir, (cfg) => {
    applyListing(cfg, session.name, found);
    const ctx = picked && cfg.contexts?.find((c) => c.name === picked.name);
    if (ctx) setCurrentContext(cfg, ctx);
    return ctx;
  });
  if (chosen) {
    rt.io.err(`✓ Context set to ${contextRef(chosen)}\n`);
  } else if (opts.context) {
    throw new DatumctlError(`no organization or project "${opts.context}" in this account`, {
      code: "NOT_FOUND",
      hint: "You are signed in without a context. Run 'datumctl ctx' to see what you can use.",
    });
  } else if (found.organizations.length === 0) {
    rt.io.err("You have no organization yet. Create one in the Datum Cloud portal, then run 'datumctl ctx use'.\n");
  } else {
    rt.io.err("No context chosen. Run 'datumctl ctx use <organization>[/<project>]' to pick one.\n");
  }
}

function summarise(rt: Runtime, found: ContextListing): void {
  rt.io.err(`You have access to ${plural(found.organizations.length, "organization")}:\n`);
  for (const o of found.organizations) {
    const n = found.projects.filter((p) => p["org-id"] === o.id).length;
    rt.io.err(`  ${o["display-name"] ?? o.id} (${plural(n, "project")})\n`);
  }
  for (const f of found.failures) rt.io.err(`warning: could not list the projects of ${f.org}: ${f.message}\n`);
}

export function setCurrentContext(cfg: DatumctlConfig, ctx: ConfigContext): void {
  cfg["current-context"] = ctx.name;
  cfg["active-session"] = ctx.session;
  const s = cfg.sessions?.find((x) => x.name === ctx.session);
  if (s) s["last-context"] = ctx.name;
}

/** --context, else the only project, else the only organization, else a picker on a terminal. */
async function chooseContext(rt: Runtime, cfg: DatumctlConfig, session: string, ref: string | undefined, interactive: boolean) {
  if (ref) return resolveContext(cfg, session, ref);
  const mine = (cfg.contexts ?? []).filter((c) => c.session === session);
  const projects = mine.filter((c) => c["project-id"]);
  const orgs = mine.filter((c) => !c["project-id"]);
  if (projects.length === 1) return projects[0];
  if (projects.length === 0 && orgs.length === 1) return orgs[0];
  if (!interactive || mine.length === 0) return undefined;
  // Say what each choice is, and offer a project first: only a project runs resource commands (get dnszones…).
  const width = Math.max(...mine.map((c) => contextRef(c).length));
  const labels = mine.map((c) => `${contextRef(c).padEnd(width)}  ${c["project-id"] ? "project" : "organization"}`);
  const i = await pick(rt.io, "Which context do you want to use? Resource commands run in a project.", labels, Math.max(0, mine.indexOf(projects[0]!)));
  return i === undefined ? undefined : mine[i];
}

async function userLogin(rt: Runtime, opts: LoginOptions, caData: string | undefined, tls: TLSSettings | undefined): Promise<SignedIn> {
  const issuer = hostURL(opts.hostname ?? DEFAULT_AUTH_HOST, "--hostname");
  const api = opts.apiHostname ? hostURL(opts.apiHostname, "--api-hostname") : deriveApiURL(issuer);
  const clientId = opts.clientId ?? defaultClientId(issuer);
  const as = await discoverIssuer(rt, issuer, tls);
  const scopes = DEFAULT_SCOPES;
  const flow = signInFlow(rt.env, opts.noBrowser);
  rt.io.err(`${flow.why}\n`);
  const tokens: LoginTokens = flow.device
    ? await deviceLogin(rt, { as, clientId, scopes, timeoutMs: opts.timeoutMs, tls })
    : await browserLogin(rt, { as, clientId, scopes, env: rt.env, timeoutMs: opts.timeoutMs, tls });
  return {
    tokens,
    issuer,
    api,
    clientId,
    scopes,
    authorizationEndpoint: as.authorization_endpoint,
    tokenEndpoint: as.token_endpoint!,
    revocationEndpoint: as.revocation_endpoint,
    caData,
  };
}

async function serviceAccountLogin(rt: Runtime, opts: LoginOptions, caData: string | undefined, tls: TLSSettings | undefined): Promise<SignedIn> {
  const key = readKeyFile(opts.credentials!);
  // The key file knows its environment; explicit flags still win (the Go tool ignored the file's api_endpoint and token_uri).
  const fileIssuer = !opts.hostname && key.token_uri ? new URL(key.token_uri).origin : undefined;
  const issuer = hostURL(opts.hostname ?? fileIssuer ?? DEFAULT_AUTH_HOST, "--hostname");
  const api = opts.apiHostname
    ? hostURL(opts.apiHostname, "--api-hostname")
    : !opts.hostname && key.api_endpoint
      ? hostURL(key.api_endpoint, "api_endpoint in the credentials file")
      : deriveApiURL(issuer);
  const as = await discoverIssuer(rt, issuer, tls);
  const tokenEndpoint = (!opts.hostname && key.token_uri) || as.token_endpoint!;
  const scope = key.scope ?? DEFAULT_SCOPES.join(" ");
  const arrivedAt = Date.now();
  const response = await exchangeAssertion(rt, tokenEndpoint, mintAssertion(key, issuer.origin), scope, tls);
  const email = key.client_email || key.client_id;
  const userKey = sessionUserKey(sessionNameFor(email, api), issuer.host);
  const privateKeyPath = saveKey(rt.configDir, userKey, key.private_key);
  return {
    tokens: {
      accessToken: response.access_token,
      tokenType: response.token_type ?? "Bearer",
      expiresIn: response.expires_in,
      arrivedAt,
      subject: key.client_id,
      email,
      name: key.client_email,
    },
    issuer,
    api,
    clientId: key.client_id,
    scopes: scope.split(" "),
    tokenEndpoint,
    revocationEndpoint: as.revocation_endpoint,
    caData,
    serviceAccount: {
      client_email: email,
      client_id: key.client_id,
      private_key_id: key.private_key_id,
      private_key_path: privateKeyPath,
      token_uri: tokenEndpoint,
      scope,
    },
  };
}
