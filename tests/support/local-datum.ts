// The whole local Datum Cloud for a test file (or the sandbox): the IdP and the HTTPS control
// plane, wired so the control plane accepts the IdP's access tokens. `secondApiHost: true` adds
// another control plane on its own port behind the same IdP: one user, two API hosts, two sessions.
import { afterAll, beforeAll, beforeEach } from "bun:test";
import YAML from "yaml";
import { HEADLESS_BROWSER } from "./browser";
import { type Sandbox, sandbox } from "./cli";
import { startControlPlane } from "./control-plane/index";
import { type Idp, startIdp } from "./idp";
import { USERS } from "./users";

export type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

export interface LocalDatum {
  idp: Idp;
  api: ControlPlane;
  /** The second API host, when started with `secondApiHost: true`. */
  api2?: ControlPlane;
  /** `login` with the flags that point datumctl at this Datum, plus any extra. */
  loginArgs(...extra: string[]): string[];
  /**
   * `datumctl login` in the sandbox as `who`, through the headless browser, into acme/web;
   * throws with datumctl's stderr if it fails. Resolves to the session's name. `on` picks the
   * API host (default `api`).
   */
  signIn(sb: Pick<Sandbox, "run">, who?: string, on?: ControlPlane): Promise<string>;
  /** A kubeconfig (YAML) for kubectl as `user` with a static `token`, on the control plane at `planePath`, namespace default. */
  tokenKubeconfig(planePath: string, user: string, token: string): string;
  close(): Promise<void>;
}

export interface LocalDatumOptions {
  port?: number;
  now?: () => Date;
  secondApiHost?: boolean;
  /** Sandbox only: new DNS zones turn Accepted and Programmed after this many ms (control-plane/zone-status.ts). */
  zoneStatusAfterMs?: number;
}

export async function startLocalDatum(opts: LocalDatumOptions = {}): Promise<LocalDatum> {
  const idp = await startIdp();
  const controlPlane = (port?: number) =>
    startControlPlane({
      users: USERS,
      verifyToken: async (token) => {
        const claims = await idp.verifyAccessToken(token);
        return claims?.sub ? { sub: claims.sub } : null;
      },
      ...(port ? { port } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.zoneStatusAfterMs === undefined ? {} : { zoneStatusAfterMs: opts.zoneStatusAfterMs }),
    });
  const api = await controlPlane(opts.port);
  const api2 = opts.secondApiHost ? await controlPlane() : undefined;
  idp.apiEndpoint = api.url;
  const loginArgsOn = (on: ControlPlane, extra: string[]) => [
    "login",
    "--hostname",
    idp.issuer,
    "--api-hostname",
    on.url,
    "--client-id",
    idp.clientId,
    "--certificate-authority",
    on.caFile,
    ...extra,
  ];
  const loginArgs = (...extra: string[]) => loginArgsOn(api, extra);
  return {
    idp,
    api,
    ...(api2 ? { api2 } : {}),
    loginArgs,
    async signIn(sb, who = "ada", on = api) {
      const r = await sb.run(loginArgsOn(on, ["--context", "acme/web"]), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: who } });
      if (r.exitCode !== 0) throw new Error(`login as ${who} failed (exit ${r.exitCode}):\n${r.stderr}`);
      const user = USERS.find((u) => u.id === who);
      return `${user?.email ?? `${who}@example.com`}@${new URL(on.url).host}`;
    },
    tokenKubeconfig(planePath, user, token) {
      return YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "datum", cluster: { server: api.url + planePath, "certificate-authority-data": Buffer.from(api.caPem).toString("base64") } }],
        users: [{ name: user, user: { token } }],
        contexts: [{ name: "datum", context: { cluster: "datum", user, namespace: "default" } }],
        "current-context": "datum",
      });
    },
    async close() {
      await api.close();
      await api2?.close();
      await idp.close();
    },
  };
}

/**
 * For a test file: the local Datum Cloud, started once, and a fresh sandbox for every test, with
 * the IdP's faults and counters reset between tests. Read both through the returned object.
 */
export function localDatumPerTest(): { readonly datum: LocalDatum; readonly sb: Sandbox } {
  const current = {} as { datum: LocalDatum; sb: Sandbox };
  beforeAll(async () => {
    current.datum = await startLocalDatum();
  });
  afterAll(async () => {
    current.sb?.cleanup();
    await current.datum?.close();
  });
  beforeEach(() => {
    current.sb?.cleanup();
    current.sb = sandbox();
    current.datum.idp.faults.clear();
    current.datum.idp.resetCounters();
  });
  return current;
}
