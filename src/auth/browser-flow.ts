// Browser sign-in: authorization code with PKCE, state and nonce, answered on a loopback
// listener (127.0.0.1 only, a random port) at /datumctl/auth/callback (RFC 8252).
import * as oauth from "oauth4webapi";
import type { TLSSettings } from "../api/http";
import type { Env } from "../cli/command";
import { DatumctlError } from "../errors";
import { openBrowser } from "../ui/open-browser";
import { type HttpRuntime, oauthError, oauthOptions } from "./oauth";
import { type LoginTokens, loginTokens } from "./tokens";

export const CALLBACK_PATH = "/datumctl/auth/callback";

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:4em auto;max-width:32em"><h1>${title}</h1><p>${text}</p></body>`;

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

  let settle!: { ok: (p: URLSearchParams) => void; fail: (e: DatumctlError) => void };
  const callback = new Promise<URLSearchParams>((ok, fail) => (settle = { ok, fail }));
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      if (url.pathname !== CALLBACK_PATH) return new Response("Not found", { status: 404 });
      if (url.searchParams.get("state") !== state) {
        settle.fail(new DatumctlError("the sign-in callback carried the wrong state; the login was stopped", { code: "AUTH_REQUIRED", hint: "Start 'datumctl login' again." }));
        return new Response(PAGE("Sign-in failed", "The request did not match this login. Return to the terminal."), { status: 400, headers: { "content-type": "text/html" } });
      }
      settle.ok(url.searchParams);
      const failed = url.searchParams.has("error");
      return new Response(PAGE(failed ? "Sign-in failed" : "Signed in", failed ? "Return to the terminal for details." : "You can close this tab and return to the terminal."), {
        headers: { "content-type": "text/html" },
      });
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
    // Not awaited: the sign-in may well finish while the browser process is still running.
    void openBrowser(opts.env, authUrl.toString()).then((opened) => {
      if (!opened) rt.io.err("Could not start a browser. Open the link above, or run 'datumctl login --no-browser' to use a code instead.\n");
    });
    // --timeout 0 waits as long as it takes.
    const timer =
      opts.timeoutMs > 0
        ? setTimeout(
            () => settle.fail(new DatumctlError(`no sign-in arrived within ${Math.round(opts.timeoutMs / 1000)}s`, { code: "TIMEOUT", hint: "Run 'datumctl login' again, or use --no-browser." })),
            opts.timeoutMs,
          )
        : undefined;
    let params: URLSearchParams;
    try {
      params = await callback;
    } finally {
      clearTimeout(timer);
    }
    const options = oauthOptions(rt, new URL(as.issuer), opts.tls);
    try {
      const validated = oauth.validateAuthResponse(as, client, params, state);
      const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), validated, redirectUri, verifier, options);
      const arrived = Date.now();
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: nonce, requireIdToken: true });
      return await loginTokens(rt, as, tokens, arrived, opts.tls);
    } catch (e) {
      if (e instanceof oauth.AuthorizationResponseError) {
        throw new DatumctlError(`sign-in was refused: ${e.error}${e.error_description ? ` (${e.error_description})` : ""}`, { code: "AUTH_REQUIRED", cause: e });
      }
      throw oauthError(e, "signing in");
    }
  } finally {
    // Not forced: the page answering the callback must still reach the browser.
    void server.stop();
  }
}
