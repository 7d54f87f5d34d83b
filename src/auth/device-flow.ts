// Device sign-in (RFC 8628) for SSH sessions, containers and --no-browser: show a URL and a
// code on stderr, then poll at the server's pace until the code expires or --timeout runs out,
// whichever comes first, showing the time left. Endpoints come from OIDC discovery.
import * as oauth from "oauth4webapi";
import type { HttpRuntime, TLSSettings } from "../api/http";
import { DatumctlError } from "../errors";
import { holdSecret } from "../log/redact";
import { countdown } from "../ui/progress";
import { oauthError, oauthOptions } from "./oauth";
import { type LoginTokens, loginTokens, signInTimedOut } from "./flow-result";

export interface DeviceLoginOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  scopes: string[];
  /** --timeout; 0 waits until the code expires. */
  timeoutMs: number;
  tls?: TLSSettings;
}

export async function deviceLogin(rt: HttpRuntime, opts: DeviceLoginOptions): Promise<LoginTokens> {
  const { as } = opts;
  if (!as.device_authorization_endpoint) {
    throw new DatumctlError("this identity provider does not offer device sign-in", { code: "SERVER", hint: "Run 'datumctl login' without --no-browser." });
  }
  const client: oauth.Client = { client_id: opts.clientId };
  const options = oauthOptions(rt, new URL(as.issuer), opts.tls);
  let device: oauth.DeviceAuthorizationResponse;
  try {
    const res = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: opts.scopes.join(" ") }, options);
    device = await oauth.processDeviceAuthorizationResponse(as, client, res);
    holdSecret(device.device_code);
  } catch (e) {
    throw oauthError(e, "starting device sign-in");
  }
  rt.io.err(`To authenticate, visit:\n${device.verification_uri_complete ?? device.verification_uri}\nAnd enter code: ${device.user_code}\n`);

  const expiresAt = Date.now() + device.expires_in * 1000;
  const limitAt = opts.timeoutMs > 0 ? Date.now() + opts.timeoutMs : Number.POSITIVE_INFINITY;
  const deadline = Math.min(expiresAt, limitAt);
  const tooLate = () => (limitAt < expiresAt ? signInTimedOut(opts.timeoutMs, "Run 'datumctl login --no-browser' again, with a longer --timeout.") : expired());
  const waiting = countdown(rt, "Waiting for authorization", deadline);
  let approved: { response: oauth.TokenEndpointResponse; arrived: number };
  try {
    approved = await poll(device, deadline, tooLate, async (signal) => {
      const res = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, { ...options, signal });
      const arrived = Date.now();
      return { response: await oauth.processDeviceCodeResponse(as, client, res), arrived };
    });
  } finally {
    waiting.stop();
  }
  return await loginTokens(rt, as, approved.response, approved.arrived, opts.tls);
}

/** Asks at the server's pace until the code is approved, refused, or `deadline` passes. */
async function poll<T>(
  device: oauth.DeviceAuthorizationResponse,
  deadline: number,
  tooLate: () => DatumctlError,
  ask: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let intervalMs = (device.interval ?? 5) * 1000;
  for (;;) {
    await Bun.sleep(Math.max(0, Math.min(intervalMs, deadline - Date.now())));
    if (Date.now() >= deadline) throw tooLate();
    // A poll still out at the deadline is abandoned with it.
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    try {
      return await ask(signal);
    } catch (e) {
      if (!(e instanceof oauth.ResponseBodyError)) throw signal.aborted || Date.now() >= deadline ? tooLate() : oauthError(e, "device sign-in");
      if (e.error === "authorization_pending") continue;
      if (e.error === "slow_down") {
        // RFC 8628 §3.5: five seconds more, for this and every later poll.
        intervalMs += 5000;
        continue;
      }
      if (e.error === "access_denied")
        throw new DatumctlError("the sign-in request was denied", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' to try again." });
      if (e.error === "expired_token") throw expired();
      throw oauthError(e, "device sign-in");
    }
  }
}

const expired = () =>
  new DatumctlError("the sign-in code expired before it was approved", {
    code: "TIMEOUT",
    retryable: true,
    hint: "Run 'datumctl login --no-browser' again for a new code.",
  });
