// A Kubernetes-style API client for one session and one control plane: the session's TLS
// settings, the bearer from its token source (one retry with a new token after a 401), and
// Status bodies as coded errors.
import { type AuthRuntime, accessToken } from "../auth/token-source";
import type { Session } from "../store/config";
import { sessionTLS } from "../store/session-tls";
import { readJson, request } from "./http";
import { statusError } from "./status";

export interface CallOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Statuses handed back as responses instead of raised as errors (e.g. 404 for "absent"). */
  allow?: number[];
  signal?: AbortSignal;
  /** Read the body into memory, at most BODY_LIMIT (see request()); names what answers. */
  bounded?: string;
}

export class ApiClient {
  constructor(
    private readonly rt: AuthRuntime,
    readonly session: Session,
    /** The control plane's path under the API server, "" for the platform root. */
    readonly basePath = "",
  ) {}

  /** The same session, another control plane. */
  at(basePath: string): ApiClient {
    return new ApiClient(this.rt, this.session, basePath);
  }

  url(path: string): string {
    return `${this.session.endpoint.server}${this.basePath}${path}`;
  }

  async call(path: string, opts: CallOptions = {}): Promise<Response> {
    const url = this.url(path);
    let token = await accessToken(this.rt, this.session.name);
    let res = await this.send(url, token.token, opts);
    if (res.status === 401) {
      token = await accessToken(this.rt, this.session.name, { rejected: token.token });
      res = await this.send(url, token.token, opts);
    }
    if (!res.ok && !opts.allow?.includes(res.status)) throw await statusError(res, url);
    return res;
  }

  async get<T>(path: string, opts: CallOptions = {}): Promise<T> {
    return readJson<T>(await this.call(path, opts), this.rt.globals.requestTimeoutMs);
  }

  async post<T>(path: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    const res = await this.call(path, { ...opts, method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...opts.headers } });
    return readJson<T>(res, this.rt.globals.requestTimeoutMs);
  }

  private send(url: string, token: string, opts: CallOptions): Promise<Response> {
    return request(this.rt, url, {
      method: opts.method ?? "GET",
      body: opts.body,
      signal: opts.signal,
      bounded: opts.bounded,
      headers: { accept: "application/json", ...opts.headers, authorization: `Bearer ${token}` },
      tls: sessionTLS(this.session),
    });
  }
}
