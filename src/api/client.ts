// A Kubernetes-style API client for one session and one control plane: the session's TLS
// settings, the bearer from the token source it is handed (one retry with a new token after a
// 401), and Status bodies as coded errors. It knows nothing of sign-in: auth/session-client.ts
// hands it the session's token source.
import type { Session } from "../store/config";
import { type HttpRuntime, readJson, request } from "./http";
import { sessionTLS } from "./session-tls";
import { statusError } from "./status";

/** The bearer token to send; `rejected` is one the server has just refused with a 401. */
export type Bearer = (rejected?: string) => Promise<string>;

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
    private readonly rt: HttpRuntime,
    readonly session: Session,
    private readonly bearer: Bearer,
    /** The control plane's path under the API server, "" for the platform root. */
    readonly basePath = "",
  ) {}

  /** The same session, another control plane. */
  at(basePath: string): ApiClient {
    return new ApiClient(this.rt, this.session, this.bearer, basePath);
  }

  url(path: string): string {
    return `${this.session.endpoint.server}${this.basePath}${path}`;
  }

  async call(path: string, opts: CallOptions = {}): Promise<Response> {
    const url = this.url(path);
    let token = await this.bearer();
    let res = await this.send(url, token, opts);
    if (res.status === 401) {
      token = await this.bearer(token);
      res = await this.send(url, token, opts);
    }
    if (!res.ok && !opts.allow?.includes(res.status)) throw await statusError(res, url);
    return res;
  }

  async get<T>(path: string, opts: CallOptions = {}): Promise<T> {
    return readJson<T>(await this.call(path, opts), this.rt.globals.requestTimeoutMs);
  }

  async post<T>(path: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    const res = await this.call(path, {
      ...opts,
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...opts.headers },
    });
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
