// A real OpenID Provider for tests: oidc-provider in-process on 127.0.0.1, port 0.
//
// It plays Datum's Zitadel closely enough for datumctl's three flows (browser PKCE with a
// loopback redirect, device authorization, service-account JWT bearer), and adds knobs for the
// negative paths: slow_down / denied / expired device codes, broken ID-token signatures, a
// discovery document that lies about its issuer, revoked grants, short TTLs.
//
//   const idp = await startIdp();
//   idp.ttl.accessToken = 2;            // seconds, for the next tokens issued
//   idp.device.slowDown = 1;            // the next device-code poll answers slow_down
//   const hold = idp.holdNextTokenAnswer("refresh_token"); await hold.held; …; hold.release();
//   const key = await idp.createServiceAccount({ email: "ci@proj.iam.datum.test" });
//   ...
//   await idp.close();
//
// Users come from ./users.ts by id; the dev login page accepts any id with any password, and an
// unknown id becomes `<id>@example.test`. Driving the pages: ./browser.ts.
import { generateKeyPair as generateKeyPairCb, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { decodeJwt, decodeProtectedHeader, exportJWK, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { Faults } from "./faults";
import { API_AUDIENCE, USERS, type TestUser } from "./users";

const generateKeyPair = promisify(generateKeyPairCb);

const realDateNow = Date.now;
let skewedIdps = 0;
/** Date.now for this process, `ms` off the real clock (0 restores it). */
function skewDateNow(ms: number): void {
  Date.now = ms === 0 ? realDateNow : () => realDateNow.call(Date) + ms;
}
/** The IdP's "now" as a Date, for jose (which reads new Date(), not Date.now). */
const idpDate = () => new Date(Date.now());

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** The scopes datumctl asks for in the browser and device flows. */
export const LOGIN_SCOPES = "openid profile email offline_access";
/** The redirect path the CLI's loopback listener serves. */
export const CALLBACK_PATH = "/datumctl/auth/callback";

export type GrantType = "authorization_code" | "refresh_token" | typeof DEVICE_CODE_GRANT | typeof JWT_BEARER_GRANT;

/** Lifetimes in whole seconds (oidc-provider rejects fractions). Read when a token is issued. */
export interface IdpTtl {
  accessToken: number;
  idToken: number;
  refreshToken: number;
  deviceCode: number;
}

export interface IdpOptions {
  /** Public client id of the CLI. Default "datumctl". */
  clientId?: string;
  /** Audience of every access token. Default API_AUDIENCE. */
  audience?: string;
  /** Known users. Default USERS (ada, bob). */
  users?: TestUser[];
  /** `interval` sent with device authorization responses, in seconds (fractions allowed). Default 1. */
  deviceInterval?: number;
  ttl?: Partial<IdpTtl>;
  /** `api_endpoint` written into service-account key files. Default API_AUDIENCE. */
  apiEndpoint?: string;
}

/** The JSON key file the Datum portal hands out for a service account. */
export interface ServiceAccountKeyFile {
  type: "datum_service_account";
  client_id: string;
  client_email: string;
  private_key_id: string;
  /** PKCS#8 PEM, RSA 2048. */
  private_key: string;
  token_uri: string;
  api_endpoint: string;
  project_id?: string;
  scope?: string;
}

export interface ServiceAccountOptions {
  email?: string;
  projectId?: string;
  apiEndpoint?: string;
  scope?: string;
}

export interface DeviceKnobs {
  /** Seconds; sent as `interval` in every device authorization response. */
  interval: number;
  /** Answer `slow_down` to this many of the next device-code polls (counts down). */
  slowDown: number;
  /** While true, every device-code poll answers `access_denied`. */
  deny: boolean;
  /** While true, every device-code poll answers `expired_token`. */
  expire: boolean;
  /** Device-code polls seen at the token endpoint (any outcome). */
  polls: number;
}

export interface TokenAnswerHold {
  /** Resolves once a token request has been processed (grant carried out) and its answer is held. */
  readonly held: Promise<void>;
  /** Sends the held answer; called before one is held, the next one goes through at once. */
  release(): void;
}

export interface Idp {
  /** `http://127.0.0.1:<port>`, the real issuer (also what a service-account assertion's aud must be). */
  readonly issuer: string;
  readonly port: number;
  readonly clientId: string;
  readonly audience: string;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly revocationEndpoint: string;
  /** Mutable; applies to tokens issued from now on. */
  readonly ttl: IdpTtl;
  readonly device: DeviceKnobs;
  /** ID tokens from the token endpoint carry a broken signature while true. */
  tamperIdToken: boolean;
  /**
   * Holds back the answer to the next successful token request (of `grantType`, when given)
   * after the provider has processed it, so a refresh token is already rotated server-side
   * while the client still waits, until the test releases it.
   */
  holdNextTokenAnswer(grantType?: GrantType): TokenAnswerHold;
  /** When set, discovery advertises this issuer instead of the real one. */
  issuerOverride: string | undefined;
  /**
   * How the token endpoint's next successful answers are mangled: "truncated" cuts the JSON in
   * the middle of the refresh token (without one, early in the access token's claims);
   * "form-as-text" sends the same fields as
   * a form labelled text/plain. Undefined: sent as they are.
   */
  tokenAnswer: "truncated" | "form-as-text" | undefined;
  /** When set, ID tokens from the token endpoint carry these claims too, validly re-signed. */
  idTokenClaims: Record<string, unknown> | undefined;
  /** Every token (access, refresh, ID) and device code this IdP handed out, as sent. */
  readonly issuedSecrets: string[];
  /** Default `api_endpoint` for new service-account key files. */
  apiEndpoint: string;
  /** Successful token responses by grant type. */
  readonly grants: Record<GrantType, number>;
  /** Refresh tokens presented again after rotation (each revoked its whole grant). */
  readonly refreshTokenReuse: number;
  /** Fault rules applied before the provider sees a request (5xx, garbage, hung token endpoint…; ./faults.ts). */
  readonly faults: Faults;
  /**
   * Resolves once the provider has finished every request it started, even those whose client
   * has gone (a killed CLI's refresh is still carried out, and its refresh token rotated).
   */
  settled(): Promise<void>;
  /**
   * Seconds the IdP's clock runs ahead of this machine's (negative: behind); 0 by default.
   * oidc-provider has no clock of its own to move, so a non-zero value patches Date.now for
   * this whole test process (the IdP, and verifyAccessToken, which the control plane uses):
   * the CLI, another process, keeps the real time. Set it back to 0 after the test; close()
   * does too. `new Date()` is left alone (faults.ts's wallClock() reads the real time).
   */
  clockSkewSeconds: number;
  resetCounters(): void;
  /** The user for a login id (known, or generated as `<id>@example.test`). */
  user(id: string): TestUser;
  createServiceAccount(opts?: ServiceAccountOptions): Promise<ServiceAccountKeyFile>;
  /** Forget a service account: its assertions fail with invalid_grant from now on. */
  removeServiceAccount(clientId: string): void;
  /** Revoke every grant of a user (refresh tokens then fail with invalid_grant). Returns how many. */
  revokeGrantsOf(userId: string): Promise<number>;
  /** Payload of a valid access token from this IdP (signature, issuer, audience, expiry), else null. */
  verifyAccessToken(token: string): Promise<JWTPayload | null>;
  /**
   * An access token for `sub` signed with the IdP's key, without any flow (like one from a login).
   * ttlSeconds ≤ 0 gives an expired one; `claims` are added last, so they can also override
   * iss/aud/exp/scope… for negative tests.
   */
  mintAccessToken(sub: string, ttlSeconds?: number, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Quiet: oidc-provider prints `oidc-provider WARNING/NOTICE: …` through console.warn/info (the
// runtime check at import, dev interactions, an upstream body parser…). Drop only those lines.

// Also: koa's cookie signing (keygrip → tsscmp) calls the deprecated alias
// crypto.pseudoRandomBytes, which prints DEP0115 on first use; point the alias at randomBytes.

let quietInstalled = false;
function installQuiet(): void {
  if (quietInstalled) return;
  quietInstalled = true;
  const cjsCrypto = createRequire(import.meta.url)("node:crypto") as Record<string, unknown>;
  const alias = Object.getOwnPropertyDescriptor(cjsCrypto, "pseudoRandomBytes");
  if (alias?.configurable) Object.defineProperty(cjsCrypto, "pseudoRandomBytes", { ...alias, value: cjsCrypto.randomBytes });
  const isProviderNoise = (args: unknown[]) => typeof args[0] === "string" && args[0].replace(/\x1b\[[0-9;]*m/g, "").startsWith("oidc-provider ");
  for (const level of ["warn", "info"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (!isProviderNoise(args)) original(...args);
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Minimal typings for the parts of oidc-provider used here (the package ships none).

// The provider's models are dynamic.
type Any = any;

interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  body: unknown;
  type: string;
  req: IncomingMessage & { body?: unknown };
  oidc: Any;
  set(field: string, value: string): void;
}
type Next = () => Promise<void>;

interface Provider {
  issuer: string;
  use(fn: (ctx: KoaContext, next: Next) => Promise<void>): void;
  callback(): (req: IncomingMessage, res: Any) => void;
  on(event: string, fn: (...args: Any[]) => void): void;
  registerGrantType(name: string, handler: (ctx: KoaContext) => Promise<void>, params: string[]): void;
  AccessToken: Any;
}
interface ProviderModule {
  default: new (issuer: string, config: Record<string, unknown>) => Provider;
  errors: Record<string, new (description?: string, detail?: string) => Error>;
}

let providerModule: Promise<ProviderModule> | undefined;
function loadProvider(): Promise<ProviderModule> {
  installQuiet();
  // A non-literal specifier: the package has no type declarations.
  const specifier = "oidc-provider";
  providerModule ??= import(specifier) as Promise<ProviderModule>;
  return providerModule;
}

// ---------------------------------------------------------------------------------------------
// Storage: one Map per IdP. The provider checks expiry itself, so nothing is evicted; keeping
// everything also lets revokeGrantsOf() find a user's grants.

interface Stored {
  model: string;
  id: string;
  payload: Record<string, Any>;
}

class Store {
  readonly items = new Map<string, Stored>();
  adapter(model: string) {
    const items = this.items;
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id: string, payload: Record<string, Any>) {
        items.set(key(id), { model, id, payload: { ...payload } });
      },
      async find(id: string) {
        return items.get(key(id))?.payload;
      },
      async findByUserCode(userCode: string) {
        for (const item of items.values()) if (item.model === model && item.payload.userCode === userCode) return item.payload;
        return undefined;
      },
      async findByUid(uid: string) {
        for (const item of items.values()) if (item.model === model && item.payload.uid === uid) return item.payload;
        return undefined;
      },
      async consume(id: string) {
        const item = items.get(key(id));
        if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id: string) {
        items.delete(key(id));
      },
      async revokeByGrantId(grantId: string) {
        for (const [k, item] of items) if (item.model === model && item.payload.grantId === grantId) items.delete(k);
      },
    };
  }
  /** Remove a grant and everything issued under it. */
  revokeGrant(grantId: string): void {
    for (const [k, item] of [...this.items]) {
      if ((item.model === "Grant" && item.id === grantId) || item.payload.grantId === grantId) this.items.delete(k);
    }
  }
  grantsOf(accountId: string): string[] {
    return [...this.items.values()].filter((it) => it.model === "Grant" && it.payload.accountId === accountId).map((it) => it.id);
  }
}

// ---------------------------------------------------------------------------------------------

interface ServiceAccount {
  clientId: string;
  keyId: string;
  publicKey: KeyObject;
}

function digits(n: number): string {
  // Zitadel ids are 18-digit numbers.
  const bytes = randomBytes(n);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i]! % 10);
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function oauthError(ctx: KoaContext, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.type = "application/json";
  ctx.set("Cache-Control", "no-store");
  ctx.body = { error, error_description: description };
}

/** Flip one character in the middle of a JWS signature. */
function breakSignature(jws: string): string {
  const dot = jws.lastIndexOf(".");
  const i = dot + 10;
  const c = jws[i];
  return jws.slice(0, i) + (c === "A" ? "B" : "A") + jws.slice(i + 1);
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${html(title)}</title></head><body><h1>${html(title)}</h1>${body}</body></html>`;
}

// Zitadel paths that the Go CLI hard-codes for the device flow, served as aliases.
const PATH_ALIASES: Record<string, string> = {
  "/oauth/v2/device_authorization": "/device/auth",
  "/oauth/v2/token": "/token",
  "/ui/v2/login/device": "/device",
};

export async function startIdp(opts: IdpOptions = {}): Promise<Idp> {
  const clientId = opts.clientId ?? "datumctl";
  const audience = opts.audience ?? API_AUDIENCE;
  const users = new Map<string, TestUser>((opts.users ?? USERS).map((u) => [u.id, u]));
  const ttl: IdpTtl = { accessToken: 3600, idToken: 3600, refreshToken: 14 * 24 * 3600, deviceCode: 600, ...opts.ttl };
  const device: DeviceKnobs = { interval: opts.deviceInterval ?? 1, slowDown: 0, deny: false, expire: false, polls: 0 };
  const newCounters = (): Record<GrantType, number> => ({
    authorization_code: 0,
    refresh_token: 0,
    [DEVICE_CODE_GRANT]: 0,
    [JWT_BEARER_GRANT]: 0,
  });
  const grants = newCounters();
  const serviceAccounts = new Map<string, ServiceAccount>();
  const store = new Store();

  const [mod, signingKeys, server] = await Promise.all([
    loadProvider(),
    generateKeyPair("rsa", { modulusLength: 2048 }),
    new Promise<Server>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    }),
  ]);
  const { default: ProviderClass, errors } = mod;
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const kid = `idp-${digits(8)}`;
  const privateJwk = { ...(await exportJWK(signingKeys.privateKey)), kid, alg: "RS256", use: "sig" };

  const user = (id: string): TestUser => {
    const known = users.get(id) ?? [...users.values()].find((u) => u.email === id);
    if (known) return known;
    const generated: TestUser = { id, email: id.includes("@") ? id : `${id}@example.test`, name: id };
    users.set(id, generated);
    return generated;
  };

  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: clientId,
        client_name: "datumctl",
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: [`http://127.0.0.1${CALLBACK_PATH}`, `http://localhost${CALLBACK_PATH}`, `http://[::1]${CALLBACK_PATH}`],
        grant_types: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
        response_types: ["code"],
      },
    ],
    adapter: (model: string) => store.adapter(model),
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    async findAccount(_ctx: unknown, sub: string) {
      const u = user(sub);
      return {
        accountId: u.id,
        async claims() {
          return { sub: u.id, email: u.email, email_verified: true, name: u.name };
        },
      };
    },
    pkce: { required: () => true },
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: () => ttl.accessToken,
      IdToken: () => ttl.idToken,
      RefreshToken: () => ttl.refreshToken,
      DeviceCode: () => ttl.deviceCode,
      AuthorizationCode: () => 60,
      ClientCredentials: () => ttl.accessToken,
      Interaction: () => 3600,
      Session: () => 14 * 24 * 3600,
      Grant: () => 14 * 24 * 3600,
    },
    clientBasedCORS: () => false,
    async renderError(ctx: KoaContext, out: Record<string, string>) {
      ctx.type = "html";
      ctx.body = page("Error", `<p class="error" data-error="${html(out.error ?? "")}">${html(out.error ?? "")}: ${html(out.error_description ?? "")}</p>`);
    },
    features: {
      devInteractions: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: Any, token: Any) => token.clientId === client.clientId,
      },
      deviceFlow: {
        enabled: true,
        async userCodeInputSource(ctx: KoaContext, form: string, _out: unknown, err?: Error & { userCode?: string }) {
          const msg = err
            ? `<p class="error" data-error="${html(err.name)}">${html(err.message || err.name)}</p>`
            : "<p>Enter the code displayed on your device</p>";
          ctx.type = "html";
          ctx.body = page("Sign-in", `${msg}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
        },
        async userCodeConfirmSource(ctx: KoaContext, form: string, _client: unknown, _info: unknown, userCode: string) {
          ctx.type = "html";
          ctx.body = page(
            "Confirm Device",
            `<p><code>${html(userCode)}</code></p>${form}` +
              `<button type="submit" form="op.deviceConfirmForm">Continue</button>` +
              `<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
          );
        },
        async successSource(ctx: KoaContext) {
          ctx.type = "html";
          ctx.body = page("Sign-in Success", "<p>Your sign-in was successful, you can now close this page.</p>");
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContext, form: string) {
          ctx.type = "html";
          ctx.body = page("Sign out", `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
        },
        async postLogoutSuccessSource(ctx: KoaContext) {
          ctx.type = "html";
          ctx.body = page("Signed out", "<p>You are signed out.</p>");
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx: unknown, resource: string) {
          if (resource !== audience) throw new errors.InvalidTarget!();
          return {
            audience,
            scope: "openid profile email offline_access",
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
  });

  const tamperIdToken = { value: false };
  const tokenAnswer: { value: Idp["tokenAnswer"] } = { value: undefined };
  const idTokenClaims: { value: Record<string, unknown> | undefined } = { value: undefined };
  const issuedSecrets: string[] = [];
  const issuerOverride: { value: string | undefined } = { value: undefined };
  const holds: { grantType?: GrantType; taken: boolean; markHeld: () => void; released: Promise<void>; release: () => void }[] = [];

  // --- middleware, outermost first --------------------------------------------------------------
  let working = 0;
  let settledWaiters: (() => void)[] = [];
  provider.use(async (_ctx, next) => {
    working++;
    try {
      await next();
    } finally {
      if (--working === 0) for (const w of settledWaiters.splice(0)) w();
    }
  });

  provider.use(async (ctx, next) => {
    const alias = PATH_ALIASES[ctx.path];
    if (alias) ctx.path = alias;

    // Authorization requests: the Go CLI sends prompt=select_account, which oidc-provider does
    // not know; and OIDC drops offline_access unless prompt=consent. Zitadel issues a refresh
    // token for offline_access either way, so do the same: strip select_account, add consent.
    if (ctx.path === "/auth" && ctx.method === "GET") {
      const q = new URLSearchParams(ctx.querystring);
      const prompts = new Set((q.get("prompt") ?? "").split(" ").filter(Boolean));
      const hadPrompt = q.has("prompt");
      prompts.delete("select_account");
      if ((q.get("scope") ?? "").split(" ").includes("offline_access") && !prompts.has("none")) prompts.add("consent");
      if (prompts.size) q.set("prompt", [...prompts].join(" "));
      else q.delete("prompt");
      if (hadPrompt || prompts.size) ctx.querystring = q.toString();
    }

    let tokenGrant: string | null = null;
    if (ctx.path === "/token" && ctx.method === "POST") {
      const raw = await readBody(ctx.req);
      const form = new URLSearchParams(raw);
      const grantType = form.get("grant_type");
      tokenGrant = grantType;

      if (grantType === DEVICE_CODE_GRANT) {
        device.polls++;
        if (device.slowDown > 0) {
          device.slowDown--;
          return oauthError(ctx, 400, "slow_down", "polling too fast, slow down");
        }
        if (device.deny) return oauthError(ctx, 400, "access_denied", "the user denied the request");
        if (device.expire) return oauthError(ctx, 400, "expired_token", "device code is expired");
      }

      if (grantType === JWT_BEARER_GRANT && !form.has("client_id")) {
        // No client authentication (Zitadel's JWT profile): the assertion's issuer is the client.
        let iss: unknown;
        try {
          iss = decodeJwt(form.get("assertion") ?? "").iss;
        } catch {
          iss = undefined;
        }
        if (typeof iss !== "string" || !serviceAccounts.has(iss)) {
          return oauthError(ctx, 400, "invalid_grant", "grant request is invalid");
        }
        form.set("client_id", iss);
      }
      // The provider reads a pre-parsed body from req.body once the stream is consumed.
      ctx.req.body = form.toString();
    }

    await next();

    if (ctx.status !== 200 || typeof ctx.body !== "object" || ctx.body === null) return;
    if (tokenGrant !== null) {
      const hold = holds.find((h) => !h.taken && (h.grantType === undefined || h.grantType === tokenGrant));
      if (hold) {
        hold.taken = true;
        hold.markHeld();
        await hold.released;
      }
    }
    const body = ctx.body as Record<string, unknown>;
    if (ctx.path === "/device/auth") body.interval = device.interval;
    if (ctx.path === "/token" && typeof body.id_token === "string" && idTokenClaims.value) {
      const claims = { ...decodeJwt(body.id_token), ...idTokenClaims.value };
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(signingKeys.privateKey);
    }
    if (ctx.path === "/token" && typeof body.id_token === "string" && tamperIdToken.value) {
      body.id_token = breakSignature(body.id_token);
    }
    if (ctx.path === "/device/auth" && typeof body.device_code === "string") issuedSecrets.push(body.device_code);
    if (ctx.path === "/token") {
      for (const k of ["access_token", "refresh_token", "id_token"]) if (typeof body[k] === "string") issuedSecrets.push(body[k] as string);
      if (tokenAnswer.value === "truncated") {
        const text = JSON.stringify(body);
        const rt = typeof body.refresh_token === "string" ? body.refresh_token : "";
        const at = typeof body.access_token === "string" ? body.access_token : "";
        // Mid refresh token; else 24 characters into the access token's second part (a JWT
        // that no longer looks like one); else mid body.
        const cut = rt ? text.indexOf(rt) + Math.floor(rt.length / 2) : at ? text.indexOf(at) + at.indexOf(".") + 25 : Math.floor(text.length / 2);
        ctx.body = text.slice(0, cut);
        ctx.type = "application/json";
        return;
      }
      if (tokenAnswer.value === "form-as-text") {
        ctx.body = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
        ctx.type = "text/plain";
        return;
      }
    }
    if (ctx.path === "/.well-known/openid-configuration" && issuerOverride.value !== undefined) {
      body.issuer = issuerOverride.value;
    }
  });

  provider.on("grant.success", (ctx: KoaContext) => {
    const gt = ctx.oidc.params.grant_type as GrantType;
    if (gt in grants) grants[gt]++;
  });
  let refreshTokenReuse = 0;
  // oidc-provider's words when a consumed refresh token comes back (it then revokes the grant).
  provider.on("grant.error", (_ctx: KoaContext, err: { error_detail?: string }) => {
    if (err.error_detail === "refresh token already used") refreshTokenReuse++;
  });

  // --- service accounts: RFC 7523 JWT bearer, assertion as the only credential ----------------
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx) => {
      const { InvalidGrant } = errors as Record<string, new (description: string, detail?: string) => Error>;
      const client = ctx.oidc.client;
      const sa = serviceAccounts.get(client.clientId);
      const assertion: string | undefined = ctx.oidc.params.assertion;
      if (!sa || !assertion) throw new InvalidGrant!("grant request is invalid", "unknown service account or no assertion");
      try {
        const header = decodeProtectedHeader(assertion);
        if (header.kid !== sa.keyId) throw new Error(`unknown kid ${String(header.kid)}`);
        const { payload } = await jwtVerify(assertion, sa.publicKey, {
          algorithms: ["RS256"],
          issuer: sa.clientId,
          subject: sa.clientId,
          audience: issuer,
          requiredClaims: ["iat", "exp", "jti"],
          clockTolerance: 5,
          currentDate: idpDate(),
        });
        if (payload.exp! - Math.floor(Date.now() / 1000) > 3600 + 5) throw new Error("exp is more than an hour ahead");
      } catch (err) {
        throw new InvalidGrant!("grant request is invalid", `assertion invalid: ${(err as Error).message}`);
      }
      const requested: string[] = (ctx.oidc.params.scope ?? "openid profile email").split(" ").filter(Boolean);
      const scope = requested.filter((s) => s !== "offline_access").join(" ");
      const at = new provider.AccessToken({ accountId: sa.clientId, client, scope, gty: "jwt_bearer" });
      at.resourceServer = { audience, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } }, scope };
      const accessToken: string = await at.save();
      ctx.body = { access_token: accessToken, token_type: "Bearer", expires_in: at.expiration, scope };
    },
    ["assertion", "scope"],
  );

  const faults = new Faults();
  const handler = provider.callback();
  // A real IdP's Date header comes from its own clock: the moved one when clockSkewSeconds is set.
  server.on(
    "request",
    faults.wrap((req: IncomingMessage, res: Any) => {
      res.setHeader("date", new Date(Date.now()).toUTCString());
      return handler(req, res);
    }),
  );
  let clockSkewSeconds = 0;

  const publicKey = signingKeys.publicKey;
  const endpoint = (path: string) => `${issuer}${path}`;

  const idp: Idp = {
    issuer,
    port,
    clientId,
    audience,
    discoveryUrl: endpoint("/.well-known/openid-configuration"),
    jwksUri: endpoint("/jwks"),
    authorizationEndpoint: endpoint("/auth"),
    tokenEndpoint: endpoint("/token"),
    deviceAuthorizationEndpoint: endpoint("/device/auth"),
    revocationEndpoint: endpoint("/token/revocation"),
    ttl,
    device,
    get tamperIdToken() {
      return tamperIdToken.value;
    },
    set tamperIdToken(v: boolean) {
      tamperIdToken.value = v;
    },
    get idTokenClaims() {
      return idTokenClaims.value;
    },
    set idTokenClaims(v: Record<string, unknown> | undefined) {
      idTokenClaims.value = v;
    },
    get tokenAnswer() {
      return tokenAnswer.value;
    },
    set tokenAnswer(v: Idp["tokenAnswer"]) {
      tokenAnswer.value = v;
    },
    issuedSecrets,
    get issuerOverride() {
      return issuerOverride.value;
    },
    set issuerOverride(v: string | undefined) {
      issuerOverride.value = v;
    },
    holdNextTokenAnswer(grantType?: GrantType) {
      let markHeld!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => (markHeld = r));
      const released = new Promise<void>((r) => (release = r));
      const hold = { grantType, taken: false, markHeld, released, release };
      holds.push(hold);
      return {
        held,
        release() {
          // Unused, it must not catch a later test's request.
          if (!hold.taken) holds.splice(holds.indexOf(hold), 1);
          release();
        },
      };
    },
    apiEndpoint: opts.apiEndpoint ?? API_AUDIENCE,
    grants,
    get refreshTokenReuse() {
      return refreshTokenReuse;
    },
    faults,
    settled: () => (working === 0 ? Promise.resolve() : new Promise<void>((resolve) => settledWaiters.push(resolve))),
    get clockSkewSeconds() {
      return clockSkewSeconds;
    },
    set clockSkewSeconds(v: number) {
      if (v !== 0 && clockSkewSeconds === 0) skewedIdps++;
      if (v === 0 && clockSkewSeconds !== 0) skewedIdps--;
      if (skewedIdps > 1) throw new Error("only one IdP at a time can move the clock");
      clockSkewSeconds = v;
      skewDateNow(v * 1000);
    },
    resetCounters() {
      Object.assign(grants, newCounters());
      device.polls = 0;
      refreshTokenReuse = 0;
    },
    user,
    async createServiceAccount(o: ServiceAccountOptions = {}) {
      const { publicKey: pub, privateKey } = await generateKeyPair("rsa", { modulusLength: 2048 });
      const saId = digits(18);
      const keyId = digits(18);
      serviceAccounts.set(saId, { clientId: saId, keyId, publicKey: pub });
      await store.adapter("Client").upsert(saId, {
        client_id: saId,
        application_type: "native",
        token_endpoint_auth_method: "none",
        grant_types: [JWT_BEARER_GRANT],
        response_types: [],
        redirect_uris: [],
      });
      const file: ServiceAccountKeyFile = {
        type: "datum_service_account",
        client_id: saId,
        client_email: o.email ?? `sa-${saId.slice(-6)}@project.iam.datum.test`,
        private_key_id: keyId,
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        token_uri: idp.tokenEndpoint,
        api_endpoint: o.apiEndpoint ?? idp.apiEndpoint,
      };
      if (o.projectId !== undefined) file.project_id = o.projectId;
      if (o.scope !== undefined) file.scope = o.scope;
      return file;
    },
    removeServiceAccount(saId: string) {
      serviceAccounts.delete(saId);
      void store.adapter("Client").destroy(saId);
    },
    async revokeGrantsOf(userId: string) {
      const ids = store.grantsOf(userId);
      for (const id of ids) store.revokeGrant(id);
      return ids.length;
    },
    async verifyAccessToken(token: string) {
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ["RS256"],
          issuer,
          audience,
          typ: "at+jwt",
          currentDate: idpDate(),
        });
        return payload;
      } catch {
        return null;
      }
    },
    async mintAccessToken(sub: string, ttlSeconds = 3600, claims: Record<string, unknown> = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        sub,
        aud: audience,
        iat: now,
        exp: now + ttlSeconds,
        jti: randomUUID(),
        client_id: clientId,
        scope: LOGIN_SCOPES,
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid, typ: "at+jwt" }).sign(signingKeys.privateKey);
    },
    async close() {
      if (clockSkewSeconds !== 0) idp.clockSkewSeconds = 0;
      for (const h of holds.splice(0)) h.release();
      faults.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
  return idp;
}
