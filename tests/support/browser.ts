// A headless "browser" for the IdP's pages: fetch with manual redirects, a path-aware cookie
// jar, and "submit the page's form with its hidden inputs". It knows the pages of
// oidc-provider's dev interactions (login, consent) and device flow (code entry, confirm,
// success), as served by ./idp.ts.
//
//   const callback = await completeBrowserLogin(authorizationUrl, "ada");  // not fetched
//   await completeDeviceLogin(verificationUri, userCode, "bob");
import { join } from "node:path";

/** Executable for `$BROWSER`: completes the login and delivers the callback (see headless-browser.ts). */
export const HEADLESS_BROWSER = join(import.meta.dir, "headless-browser.sh");

const debug = (msg: string) => {
  if (process.env.DATUMCTL_TEST_BROWSER_DEBUG) process.stderr.write(`[browser] ${msg}\n`);
};

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expires: number; // epoch ms; Infinity for session cookies
}

/** Cookies by host and path (RFC 6265 §5.1.4 path matching); ports are not isolated, as in browsers. */
export class CookieJar {
  private cookies: Cookie[] = [];

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const cookie: Cookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        host: url.hostname,
        path: defaultPath(url.pathname),
        expires: Infinity,
      };
      for (const attr of attrs) {
        const [k = "", ...rest] = attr.split("=");
        const v = rest.join("=").trim();
        switch (k.trim().toLowerCase()) {
          case "path":
            if (v.startsWith("/")) cookie.path = v;
            break;
          case "expires": {
            const t = Date.parse(v);
            if (!Number.isNaN(t) && cookie.expires === Infinity) cookie.expires = t;
            break;
          }
          case "max-age": {
            const n = Number(v);
            if (Number.isFinite(n)) cookie.expires = n <= 0 ? 0 : Date.now() + n * 1000;
            break;
          }
        }
      }
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
      if (cookie.expires > Date.now()) this.cookies.push(cookie);
    }
  }

  header(url: URL): string | undefined {
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expires > now);
    const matching = this.cookies.filter((c) => c.host === url.hostname && pathMatches(url.pathname, c.path)).sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join("; ") : undefined;
  }

  get size(): number {
    return this.cookies.length;
  }
}

function defaultPath(pathname: string): string {
  const i = pathname.lastIndexOf("/");
  return i <= 0 ? "/" : pathname.slice(0, i);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

export interface HtmlForm {
  id?: string;
  method: string;
  action: URL;
  /** Named inputs with their values (hidden and visible); buttons are not included. */
  fields: Record<string, string>;
}

const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === "amp") return "&";
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    return String.fromCodePoint(k.startsWith("#x") ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10));
  });

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/** The forms of a page, resolved against its URL. */
export function parseForms(html: string, base: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]!);
      if (a.name && !["submit", "button", "image", "reset"].includes((a.type ?? "").toLowerCase())) fields[a.name] = a.value ?? "";
    }
    const form: HtmlForm = { method: (attrs.method ?? "get").toUpperCase(), action: new URL(attrs.action ?? "", base), fields };
    if (attrs.id) form.id = attrs.id;
    forms.push(form);
  }
  return forms;
}

/** The text of the IdP's error marker (`<p class="error">`), if the page shows one. */
function pageError(html: string): { name: string; text: string } | undefined {
  const m = html.match(/<p class="error" data-error="([^"]*)">([\s\S]*?)<\/p>/);
  return m ? { name: decode(m[1]!), text: decode(m[2]!.replace(/<[^>]+>/g, "")) } : undefined;
}

function title(html: string): string {
  return decode(html.match(/<title>([\s\S]*?)<\/title>/i)?.[1]?.trim() ?? "");
}

export interface PageResponse {
  url: URL;
  status: number;
  location?: URL;
  html: string;
}

/** fetch + cookie jar, one hop at a time (redirects are returned, not followed). */
export class MiniBrowser {
  readonly jar = new CookieJar();

  async request(url: URL | string, init: { method?: string; form?: Record<string, string> } = {}): Promise<PageResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: "text/html,*/*" };
    const cookie = this.jar.header(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const method = init.method ?? (init.form ? "POST" : "GET");
    const res = await fetch(target, { method, headers, body, redirect: "manual" });
    this.jar.store(target, res.headers.getSetCookie());
    const text = await res.text();
    const loc = res.headers.get("location");
    debug(`${method} ${target.pathname}${target.search ? "?…" : ""} -> ${res.status}${loc ? ` ${loc.slice(0, 80)}` : ""}`);
    const out: PageResponse = { url: target, status: res.status, html: text };
    if (loc && res.status >= 300 && res.status < 400) out.location = new URL(loc, target);
    return out;
  }

  submit(form: HtmlForm, extra: Record<string, string> = {}): Promise<PageResponse> {
    const fields = { ...form.fields, ...extra };
    if (form.method === "GET") {
      const u = new URL(form.action);
      for (const [k, v] of Object.entries(fields)) u.searchParams.set(k, v);
      return this.request(u);
    }
    return this.request(form.action, { method: form.method, form: fields });
  }
}

export interface LoginOptions {
  /** Reuse a browser (its cookies); default a fresh one. */
  browser?: MiniBrowser;
  /** Press "Cancel" on the login page instead: the callback then carries error=access_denied. */
  cancel?: boolean;
  password?: string;
}

const MAX_HOPS = 25;

class PageError extends Error {
  constructor(page: PageResponse, what: string) {
    const err = pageError(page.html);
    const detail = err ? err.text : `${page.status} ${title(page.html) || page.html.slice(0, 200)}`;
    super(`${what} at ${page.url.pathname}: ${detail}`);
    this.name = "PageError";
  }
}

/**
 * Walk login and consent for an authorization URL. Returns the final redirect (the client's
 * loopback callback with code, state and iss — or error) without fetching it.
 */
export async function completeBrowserLogin(authorizationUrl: string | URL, userId: string, opts: LoginOptions = {}): Promise<URL> {
  const browser = opts.browser ?? new MiniBrowser();
  const start = new URL(authorizationUrl);
  let page = await browser.request(start);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (page.location) {
      if (page.location.origin !== start.origin) return page.location;
      page = await browser.request(page.location);
      continue;
    }
    if (page.status !== 200) throw new PageError(page, "authorization failed");
    const forms = parseForms(page.html, page.url);
    const login = forms.find((f) => "login" in f.fields);
    const consent = forms.find((f) => f.fields.prompt === "consent");
    if (opts.cancel && (login || consent)) {
      const abort = page.html.match(/<a href="([^"]*\/abort)"/);
      if (!abort) throw new PageError(page, "no cancel link");
      page = await browser.request(new URL(decode(abort[1]!), page.url));
      continue;
    }
    if (login) page = await browser.submit(login, { login: userId, password: opts.password ?? "test" });
    else if (consent) page = await browser.submit(consent);
    else throw new PageError(page, "unexpected page");
  }
  throw new Error(`login did not finish within ${MAX_HOPS} hops`);
}

export interface DeviceLoginOptions {
  browser?: MiniBrowser;
  /** Press "Abort" on the confirmation page: the device code then answers access_denied. */
  deny?: boolean;
  password?: string;
}

/**
 * Complete a device login as `userId`: enter the user code at verificationUri (or open
 * verification_uri_complete and pass userCode undefined), confirm, log in, consent.
 */
export async function completeDeviceLogin(
  verificationUri: string | URL,
  userCode: string | undefined,
  userId: string,
  opts: DeviceLoginOptions = {},
): Promise<void> {
  const browser = opts.browser ?? new MiniBrowser();
  const start = new URL(verificationUri);
  let page = await browser.request(start);
  let codeEntered = false;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (page.location) {
      if (page.location.origin !== start.origin) throw new Error(`device login left the IdP for ${page.location.href}`);
      page = await browser.request(page.location);
      continue;
    }
    const err = pageError(page.html);
    if (opts.deny && err?.name === "AbortedError") return;
    if (err || page.status !== 200) throw new PageError(page, "device login failed");
    if (title(page.html) === "Sign-in Success") return;

    const forms = parseForms(page.html, page.url);
    const input = forms.find((f) => f.id === "op.deviceInputForm");
    const confirm = forms.find((f) => f.id === "op.deviceConfirmForm");
    const login = forms.find((f) => "login" in f.fields);
    const consent = forms.find((f) => f.fields.prompt === "consent");
    const autoPost = forms.length === 1 && forms[0]!.method === "POST" && "xsrf" in forms[0]!.fields ? forms[0] : undefined;

    if (input) {
      const code = input.fields.user_code || userCode;
      if (!code) throw new PageError(page, "the page asks for a user code and none was given");
      if (codeEntered) throw new PageError(page, "user code rejected");
      codeEntered = true;
      page = await browser.submit(input, { user_code: code });
    } else if (confirm) {
      page = await browser.submit(confirm, opts.deny ? { abort: "yes" } : {});
    } else if (login) {
      page = await browser.submit(login, { login: userId, password: opts.password ?? "test" });
    } else if (consent) {
      page = await browser.submit(consent);
    } else if (autoPost) {
      // verification_uri_complete answers with a self-submitting form.
      page = await browser.submit(autoPost);
    } else {
      throw new PageError(page, "unexpected page");
    }
  }
  throw new Error(`device login did not finish within ${MAX_HOPS} hops`);
}
