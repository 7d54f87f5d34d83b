// A tiny HTTPS client for tests that talk to the local control plane directly: bearer token,
// JSON bodies, the test CA, and a line reader for watch streams.

export interface CallOptions {
  method?: string;
  /** Bearer token; null sends no Authorization header. */
  token?: string | null;
  accept?: string;
  /** Content-Type of the body (application/json by default). */
  type?: string;
  /** JSON-encoded unless a string or bytes. */
  body?: unknown;
}

// biome-ignore lint: response bodies are untyped JSON
export type Json = any;

export interface Target {
  url: string;
  caPem: string;
}

export function send(cp: Target, path: string, o: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (o.token !== null && o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.accept) headers.accept = o.accept;
  let body: RequestInit["body"];
  if (o.body !== undefined) {
    headers["content-type"] = o.type ?? "application/json";
    body = o.body instanceof Uint8Array || typeof o.body === "string" ? (o.body as RequestInit["body"]) : JSON.stringify(o.body);
  }
  return fetch(cp.url + path, { method: o.method ?? "GET", headers, body, tls: { ca: cp.caPem } });
}

/** Send and parse: status, response Content-Type, JSON body (undefined when empty). */
export async function call(cp: Target, path: string, o: CallOptions = {}): Promise<{ status: number; type: string; body: Json; res: Response }> {
  const res = await send(cp, path, o);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: text ? JSON.parse(text) : undefined, res };
}

/** Reads a watch stream event by event. */
export function watchReader(res: Response) {
  const reader = res.body!.getReader();
  let buf = "";
  return {
    /** {type, object}, or undefined at the end of the stream. */
    async next(): Promise<Json> {
      for (;;) {
        const i = buf.indexOf("\n");
        if (i >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          return JSON.parse(line);
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buf += new TextDecoder().decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}
