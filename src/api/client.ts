// A small Kubernetes-style API client for one session: the session's TLS settings, the bearer
// from its token source (one retry with a new token after a 401), Status bodies as errors.
import { type AuthRuntime, accessToken } from "../auth/token-source";
import type { Session } from "../store/config";
import { sessionTLS } from "../store/session-tls";
import { request } from "./http";
import { statusError } from "./status";

export class ApiClient {
  constructor(
    private readonly rt: AuthRuntime,
    readonly session: Session,
  ) {}

  /** GET a JSON document at a path under the session's API server. */
  async get<T>(path: string): Promise<T> {
    const url = `${this.session.endpoint.server}${path}`;
    let token = await accessToken(this.rt, this.session.name);
    let res = await this.send(url, token.token);
    if (res.status === 401) {
      token = await accessToken(this.rt, this.session.name, { rejected: token.token });
      res = await this.send(url, token.token);
    }
    if (!res.ok) throw await statusError(res, url);
    return (await res.json()) as T;
  }

  private send(url: string, token: string): Promise<Response> {
    return request(this.rt, url, {
      headers: { accept: "application/json", authorization: `Bearer ${token}` },
      tls: sessionTLS(this.session),
    });
  }
}
