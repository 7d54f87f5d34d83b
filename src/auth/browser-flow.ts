// Browser sign-in: authorization code with PKCE, state and nonce, answered on a loopback
// listener (127.0.0.1 only, a random port) at /datumctl/auth/callback (RFC 8252).
//
// Anything else on this machine can reach that port, so the listener trusts nothing it did not
// ask for: a request for another Host (DNS rebinding), path or state is answered 400/404 and
// ignored, and the login keeps waiting for its own callback. The browser's page waits too: it
// says "Signed in" only once the code has been exchanged and the ID token verified, and
// otherwise shows the real failure.
import { timingSafeEqual } from "node:crypto";
import * as oauth from "oauth4webapi";
import type { HttpRuntime, TLSSettings } from "../api/http";
import type { Env } from "../runtime";
import { DatumctlError } from "../errors";
import { holdSecret } from "../log/redact";
import { openBrowser } from "../ui/open-browser";
import { countdown } from "../ui/progress";
import { oauthError, oauthOptions } from "./oauth";
import { type LoginTokens, loginTokens, signInTimedOut } from "./flow-result";

export const CALLBACK_PATH = "/datumctl/auth/callback";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, text: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:4em auto;max-width:32em"><h1>${title}</h1><p>${escape(text)}</p></body>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** What the browser is told once the login is over: nothing before. */
type Outcome = { ok: true } | { ok: false; message: string };

export interface BrowserLoginOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  scopes: string[];
  env: Env;
  timeoutMs: number;
  tls?: TLSSettings;
}

export async function browserLogin(rt: HttpRuntime, opts: BrowserLoginOptions): Promise<LoginTokens> {
  const { as, clientId } = opts;
  const client: oauth.Client = { client_id: clientId };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  for (const s of [verifier, state, nonce]) holdSecret(s);

  let settle!: { ok: (p: URLSearchParams) => void; fail: (e: DatumctlError) => void };
  const callback = new Promise<URLSearchParams>((ok, fail) => (settle = { ok, fail }));
  let report!: (o: Outcome) => void;
  const outcome = new Promise<Outcome>((r) => (report = r));
  let answered = false;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const host = req.headers.get("host")?.toLowerCase();
      if (host !== `127.0.0.1:${server.port}` && host !== `localhost:${server.port}`) {
        return page(400, "Wrong address", "This sign-in listener answers only on 127.0.0.1 and localhost.");
      }
      const url = new URL(req.url);
      if (url.pathname !== CALLBACK_PATH || req.method !== "GET") return page(404, "Not found", "Nothing here.");
      const got = url.searchParams.get("state");
      if (got === null || !sameSecret(got, state)) {
        return page(400, "Not this sign-in", "This request does not belong to the sign-in in progress and was ignored.");
      }
      if (answered) return page(409, "Already answered", "This sign-in has already been answered. Return to the terminal.");
      answered = true;
      holdSecret(url.searchParams.get("code"));
      settle.ok(url.searchParams);
      return outcome.then((o) =>
        o.ok
          ? page(200, "Signed in", "You can close this tab and return to the terminal.")
          : page(400, "Sign-in failed", `${o.message}. Return to the terminal for details.`),
      );
    },
  });
  const redirectUri = `http://127.0.0.1:${server.port}${CALLBACK_PATH}`;
  try {
    const authUrl = new URL(as.authorization_endpoint!);
    authUrl.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: opts.scopes.join(" "),
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      prompt: "select_account",
    }).toString();

    rt.io.err(`Opening your browser to sign in. If it does not open, visit:\n\n  ${authUrl}\n\n`);
    // --timeout 0 waits as long as it takes.
    const deadline = opts.timeoutMs > 0 ? Date.now() + opts.timeoutMs : undefined;
    const waiting = countdown(rt, "Waiting for the sign-in in your browser", deadline);
    // Not awaited: the sign-in may well finish while the browser process is still running.
    void openBrowser(opts.env, authUrl.toString()).then((opened) => {
      if (!opened) waiting.say("Could not start a browser. Open the link above, or run 'datumctl login --no-browser' to use a code instead.");
    });
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(() => settle.fail(signInTimedOut(opts.timeoutMs, "Run 'datumctl login' again, or use --no-browser.")), opts.timeoutMs);
    let params: URLSearchParams;
    try {
      params = await callback;
    } finally {
      clearTimeout(timer);
      waiting.stop();
    }
    try {
      const tokens = await exchange(rt, opts, client, params, { state, nonce, verifier, redirectUri });
      report({ ok: true });
      return tokens;
    } catch (e) {
      report({ ok: false, message: (e as Error).message });
      throw e;
    }
  } finally {
    // Not forced: the page answering the callback must still reach the browser (bounded, so a
    // browser holding its connection open cannot keep us here).
    await Promise.race([server.stop(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

async function exchange(
  rt: HttpRuntime,
  opts: BrowserLoginOptions,
  client: oauth.Client,
  params: URLSearchParams,
  expected: { state: string; nonce: string; verifier: string; redirectUri: string },
): Promise<LoginTokens> {
  const { as } = opts;
  const options = oauthOptions(rt, new URL(as.issuer), opts.tls);
  try {
    const validated = oauth.validateAuthResponse(as, client, params, expected.state);
    const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), validated, expected.redirectUri, expected.verifier, options);
    const arrived = Date.now();
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: expected.nonce, requireIdToken: true });
    return await loginTokens(rt, as, tokens, arrived, opts.tls);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError) {
      throw new DatumctlError(`sign-in was refused: ${e.error}${e.error_description ? ` (${e.error_description})` : ""}`, { code: "AUTH_REQUIRED", cause: e });
    }
    throw oauthError(e, "signing in");
  }
}
