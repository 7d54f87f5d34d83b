// HTTP on Bun's fetch with the session's TLS settings, -v logging with secrets redacted,
// --request-timeout, and server Warning headers. Network failures become coded errors.
import { buildInfo } from "../build-info";
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { redactBody, redactHeaders, redactUrl } from "../log/redact";
import { vlog } from "../log/verbose";
import { proxyFor } from "./proxy";

export interface TLSSettings {
  /** PEM bundle to trust instead of the system roots. */
  ca?: string;
  insecureSkipVerify?: boolean;
  serverName?: string;
}

export interface RequestOptions extends Omit<RequestInit, "body"> {
  body?: string;
  tls?: TLSSettings;
  /** Overrides --request-timeout (ms; 0 = none). */
  timeoutMs?: number;
  /**
   * What the body is (say "the API discovery document"): it is read here, at most BODY_LIMIT bytes,
   * and handed back in memory. Error bodies are always read so; lists never are.
   */
  bounded?: string;
}

/** The most read into memory from one answer that is not a list (tokens, discovery, keys, errors). */
export const BODY_LIMIT = 4 * 1024 * 1024;

/** What a request needs from the runtime: -v logging, --request-timeout, the warning count, the proxy settings. */
export type HttpRuntime = Pick<Runtime, "io" | "globals" | "serverWarnings"> & { env?: Runtime["env"] };

export async function request(rt: HttpRuntime, url: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? "GET";
  const headers = new Headers(opts.headers);
  if (!headers.has("user-agent")) headers.set("user-agent", userAgent());
  const timeoutMs = opts.timeoutMs ?? rt.globals.requestTimeoutMs;
  const signals = [opts.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
  const shown = redactUrl(url);

  vlog(rt, 8, `${method} ${shown}\nRequest Headers:\n${formatHeaders(headers)}`);
  if (opts.body !== undefined && rt.globals.verbosity >= 9) vlog(rt, 9, `Request Body: ${redactBody(opts.body, headers.get("content-type") ?? "")}`);

  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      ...opts,
      method,
      headers,
      body: opts.body,
      signal: signals.length ? AbortSignal.any(signals) : undefined,
      tls: tlsOptions(opts.tls),
      ...proxyOption(url, rt.env),
    });
  } catch (e) {
    throw networkError(e, shown, timeoutMs);
  }
  const ms = Math.round(performance.now() - started);
  vlog(rt, 6, `${method} ${shown} ${res.status} ${res.statusText} in ${ms} milliseconds`);
  vlog(rt, 8, `Response Headers:\n${formatHeaders(res.headers)}`);
  reportWarnings(rt, res.headers);
  const contentType = res.headers.get("content-type") ?? "";
  if (opts.bounded !== undefined || !res.ok) {
    const what = opts.bounded ?? "the error answer";
    const body = await readBounded(res, what, shown, timeoutMs);
    if (rt.globals.verbosity >= 9) vlog(rt, 9, `Response Body: ${redactBody(new TextDecoder().decode(body), contentType)}`);
    return inMemory(res, body);
  }
  if (rt.globals.verbosity >= 9) {
    const text = await res.clone().text();
    vlog(rt, 9, `Response Body: ${redactBody(text, contentType)}`);
  }
  return res;
}

const mib = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;

/**
 * A body read as a stream, stopping once it passes BODY_LIMIT: a hostile or broken server
 * cannot make us hold more than that (a 200 MB token answer once took 2.5 GB).
 */
async function readBounded(res: Response, what: string, url: string, timeoutMs: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new DatumctlError(`${what} at ${url} is larger than ${mib(BODY_LIMIT)}; datumctl stopped reading it`, {
      code: "SERVER",
      hint: "Check that the URL is right and that no proxy is answering in its place.",
    });
  if (Number(res.headers.get("content-length")) > BODY_LIMIT) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > BODY_LIMIT) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (e) {
    throw networkError(e, url, timeoutMs);
  }
  return Buffer.concat(chunks);
}

/** The same answer with its body already in memory. */
function inMemory(res: Response, body: Uint8Array): Response {
  const empty = [101, 204, 205, 304].includes(res.status);
  const copy = new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(copy, "url", { value: res.url });
  return copy;
}

/**
 * Bun's fetch reads HTTPS_PROXY/NO_PROXY from process.env by itself but, unlike Go (and so
 * kubectl), also proxies loopback; add loopback to NO_PROXY once, and name the proxy explicitly
 * when the environment was injected.
 */
let loopbackBypassed = false;
function proxyOption(url: string, env: Runtime["env"] | undefined): { proxy?: string } {
  if (!loopbackBypassed) {
    loopbackBypassed = true;
    const e = process.env;
    if (e.HTTPS_PROXY || e.https_proxy || e.HTTP_PROXY || e.http_proxy) {
      e.NO_PROXY = [e.NO_PROXY ?? e.no_proxy, "localhost", "127.0.0.1", "::1"].filter(Boolean).join(",");
    }
  }
  const proxy = proxyFor(new URL(url), env ?? process.env);
  return proxy ? { proxy } : {};
}

function formatHeaders(h: Headers): string {
  return redactHeaders(h)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join("\n");
}

function tlsOptions(tls: TLSSettings | undefined) {
  if (!tls) return undefined;
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.serverName ? { serverName: tls.serverName } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}

/**
 * A response body as JSON. The connection can still fail (or time out) while the body
 * streams in, and a proxy or captive portal can answer 200 with HTML: both become coded
 * errors naming the URL, never a parser's exception.
 */
export async function readJson<T>(res: Response, timeoutMs = 0): Promise<T> {
  const url = redactUrl(res.url);
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw networkError(e, url, timeoutMs);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DatumctlError(
      `the server's answer from ${url} is not JSON${text.trimStart().startsWith("<") ? " (an HTML page: is a proxy or captive portal in the way?)" : ""}`,
      {
        code: "SERVER",
        retryable: true,
      },
    );
  }
}

/** `Warning: 299 - "text"` headers (RFC 7234) go to stderr as kubectl prints them. */
function reportWarnings(rt: HttpRuntime, headers: Headers): void {
  const raw = headers.get("warning");
  if (!raw) return;
  for (const m of raw.matchAll(/\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) {
    rt.io.err(`Warning: ${m[1]!.replace(/\\(.)/g, "$1")}\n`);
    rt.serverWarnings++;
  }
}

export const userAgent = () => `datumctl/${buildInfo.version}`;

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be looked up",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_SOCKET: "the connection was closed",
};

const TLS_ERRORS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is for another host name",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in an untrusted root",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by a trusted authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by a trusted authority",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
};

/** Bun's own fetch errors, without its advice to pass `verbose: true` to fetch(). */
const plain = (message: string) =>
  message
    .replace(/\s*fetching "[^"]*"\./, ".")
    .replace(/\s*For more information, pass `verbose: true`[^.]*\./, "")
    .trim();

export function networkError(e: unknown, url: string, timeoutMs: number): DatumctlError {
  if (e instanceof DatumctlError) return e;
  const err = e as { name?: string; code?: string; message?: string };
  const code = String(err.code ?? "");
  if (err.name === "TimeoutError" || (err.name === "AbortError" && timeoutMs > 0)) {
    return new DatumctlError(`request to ${url} timed out after ${timeoutMs / 1000}s`, {
      code: "TIMEOUT",
      retryable: true,
      hint: "Raise --request-timeout, or check the network.",
      cause: e,
    });
  }
  if (TLS_ERRORS[code] || /CERT|TLS|SSL|SELF_SIGNED|VERIFY|ALTNAME|HANDSHAKE/i.test(code + " " + (err.message ?? ""))) {
    return new DatumctlError(`TLS verification failed for ${url}: ${TLS_ERRORS[code] ?? plain(err.message ?? code)}`, {
      code: "TLS",
      hint: "Check the host name, and the certificate authority the session trusts (login --certificate-authority).",
      cause: e,
    });
  }
  return new DatumctlError(`unable to connect to ${url}: ${CONNECT_ERRORS[code] ?? plain(err.message ?? code)}`, {
    code: "NETWORK",
    retryable: true,
    hint: "Check the host name and your network or proxy settings.",
    cause: e,
  });
}
