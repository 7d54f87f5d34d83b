// The whole local Datum Cloud for a test file (or the sandbox): the IdP and the HTTPS control
// plane, wired so the control plane accepts the IdP's access tokens.
import { startControlPlane } from "./control-plane/index";
import { type Idp, startIdp } from "./idp";
import { USERS } from "./users";

export type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

export interface LocalDatum {
  idp: Idp;
  api: ControlPlane;
  /** `login` with the flags that point datumctl at this Datum, plus any extra. */
  loginArgs(...extra: string[]): string[];
  close(): Promise<void>;
}

export async function startLocalDatum(opts: { port?: number; now?: () => Date } = {}): Promise<LocalDatum> {
  const idp = await startIdp();
  const api = await startControlPlane({
    users: USERS,
    verifyToken: async (token) => {
      const claims = await idp.verifyAccessToken(token);
      return claims?.sub ? { sub: claims.sub } : null;
    },
    ...(opts.port ? { port: opts.port } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  idp.apiEndpoint = api.url;
  return {
    idp,
    api,
    loginArgs: (...extra) => ["login", "--hostname", idp.issuer, "--api-hostname", api.url, "--client-id", idp.clientId, "--certificate-authority", api.caFile, ...extra],
    async close() {
      await api.close();
      await idp.close();
    },
  };
}
