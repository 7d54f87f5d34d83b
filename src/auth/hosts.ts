// Auth and API hosts as users type them (`auth.datum.net`, `host:port`, or a URL), turned into
// the URLs we call. Plain http is allowed only on loopback, where nothing can listen in.
import { invalidInput } from "../errors";

export const DEFAULT_AUTH_HOST = "auth.datum.net";

/** Client IDs of Datum's public `datumctl` OAuth clients, by environment. */
const KNOWN_CLIENTS: [suffix: string, clientId: string][] = [
  [".staging.env.datum.net", "325848904128073754"],
  [".datum.net", "328728232771788043"],
];

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** `host[:port]` (https) or an http(s) URL → the URL's origin. */
export function hostURL(input: string, flag: string): URL {
  const raw = input.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw invalidInput(`invalid value "${input}" for ${flag}`, "Use a host name such as auth.example.com, host:port, or an https:// URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidInput(`invalid value "${input}" for ${flag}: only https URLs are supported`);
  }
  if (url.protocol === "http:" && !isLoopback(url)) {
    throw invalidInput(`refusing plain http for ${url.host} (${flag})`, "Use https; plain http is only allowed for 127.0.0.1 and localhost.");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw invalidInput(`invalid value "${input}" for ${flag}: give a host or an origin, without a path`);
  }
  return new URL(url.origin);
}

/** What the config calls a host: host[:port], no scheme. */
export const bareHost = (url: URL) => url.host;

/** `auth.example.com` → `api.example.com`; anything else needs --api-hostname. */
export function deriveApiURL(auth: URL): URL {
  if (!auth.hostname.startsWith("auth.")) {
    throw invalidInput(`cannot work out the API host from ${auth.host}`, "Pass --api-hostname with the API server's host.");
  }
  const api = new URL(auth.origin);
  api.hostname = `api.${auth.hostname.slice("auth.".length)}`;
  return new URL(api.origin);
}

export function defaultClientId(auth: URL): string {
  const found = KNOWN_CLIENTS.find(([suffix]) => auth.hostname.endsWith(suffix));
  if (!found) {
    throw invalidInput(`no client ID is known for ${auth.host}`, "Pass --client-id with the OAuth client ID of datumctl on that server.");
  }
  return found[1];
}
