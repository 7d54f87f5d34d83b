// OIDC discovery. The issuer in the document must be exactly the URL we asked (oauth4webapi
// checks it), so a proxy or a typo cannot swap identity providers under us.
import * as oauth from "oauth4webapi";
import type { HttpRuntime, TLSSettings } from "../api/http";
import { DatumctlError } from "../errors";
import { oauthOptions } from "./oauth";

export async function discoverIssuer(rt: HttpRuntime, issuer: URL, tls?: TLSSettings): Promise<oauth.AuthorizationServer> {
  let res: Response;
  try {
    res = await oauth.discoveryRequest(issuer, { ...oauthOptions(rt, issuer, tls), algorithm: "oidc" });
  } catch (e) {
    if (e instanceof DatumctlError) throw e;
    throw new DatumctlError(`cannot reach the identity provider at ${issuer.origin}: ${(e as Error).message}`, { code: "NETWORK", cause: e });
  }
  try {
    return await oauth.processDiscoveryResponse(issuer, res);
  } catch (e) {
    const mismatch = e instanceof oauth.OperationProcessingError && e.code === oauth.JSON_ATTRIBUTE_COMPARISON;
    throw new DatumctlError(
      mismatch
        ? `the identity provider at ${issuer.origin} claims to be a different issuer`
        : `the identity provider at ${issuer.origin} returned an unusable discovery document: ${(e as Error).message}`,
      { code: "SERVER", hint: mismatch ? "Check --hostname: it must be the issuer's own URL." : undefined, cause: e },
    );
  }
}
