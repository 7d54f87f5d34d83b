// The HTTPS server: authenticate every request, find its control plane, route, and log it.
// node:https rather than Bun.serve: Bun.serve holds a streamed response's headers back until
// the first body chunk, and a watch must answer 200 at once, like the apiserver, even when no
// event has happened yet (clients wait for the headers before they act).
import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { grantFor } from "./authz";
import { type Ctx, DROP_CONNECTION, type Knobs, type WatchEnd } from "./context";
import { errorResponse, json, warning } from "./http";
import { type Planes, splitPrefix } from "./planes";
import { route } from "./routes";
import { ApiError, unauthorized } from "./status";
import type { LoggedRequest, PlaneRef, Subject } from "./types";
import type { Faults } from "../faults";

export interface ServerDeps {
  planes: Planes;
  verifyToken: (token: string) => Promise<{ sub: string } | null>;
  usernameOf: (sub: string) => string;
  platformAdmins: Set<string>;
  now: () => Date;
  log: LoggedRequest[];
  /** Told of each request as it is logged, before its body is sent. */
  onLogged?: (r: LoggedRequest) => void;
  port: number;
  tls: { cert: string; key: string };
  /** Fault rules consulted before every request is served (tests/support/faults.ts). */
  faults?: Faults;
  knobs: Knobs;
}

function loggedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    out[k.toLowerCase()] = k.toLowerCase() === "authorization" ? `${v.split(" ")[0]} <redacted>` : v;
  });
  return out;
}

function loggedBody(req: Request, body: Uint8Array): string {
  if (!body.length) return "";
  if ((req.headers.get("content-type") ?? "").includes("protobuf")) return `<protobuf ${body.length} bytes>`;
  return new TextDecoder().decode(body);
}

/** An IncomingMessage as a fetch Request (the body is handed over separately, already read). */
function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  return new Request(`https://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, signal });
}

/** Write a fetch Response out, headers first and at once, then the body as it comes. */
async function send(res: ServerResponse, r: Response, warnings: string[], signal: AbortSignal) {
  const headers: Record<string, string | string[]> = {};
  r.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (warnings.length) headers.warning = warnings.map(warning);
  res.writeHead(r.status, headers);
  res.flushHeaders();
  if (!r.body) return void res.end();
  const reader = r.body.getReader();
  signal.addEventListener("abort", () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || res.destroyed) break;
      // The connection ends here, after what was written, without the body's end.
      if (value === DROP_CONNECTION) return void res.socket?.end();
      res.write(value);
    }
  } catch {
    // the client went away mid-stream
    return void res.destroy();
  }
  res.end();
}

export async function startServer(deps: ServerDeps) {
  const closers = new Set<(how: WatchEnd) => void>();
  const endWatches = (how: WatchEnd) => {
    for (const fn of [...closers]) fn(how);
  };

  async function handle(req: Request, url: URL, body: Uint8Array, ref: PlaneRef, rest: string, warnings: string[]): Promise<Response> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
    const verified = m ? await deps.verifyToken(m[1]!).catch(() => null) : null;
    if (!verified) throw unauthorized();
    const subject: Subject = { sub: verified.sub, username: deps.usernameOf(verified.sub), groups: ["system:authenticated"] };
    const plane = deps.planes.resolve(ref);
    const ctx: Ctx = {
      planes: deps.planes,
      plane,
      subject,
      grant: grantFor(deps.planes, plane, subject, deps.platformAdmins),
      req,
      url,
      body,
      now: deps.now,
      warnings,
      knobs: deps.knobs,
      onClose: (fn) => {
        closers.add(fn);
        return () => closers.delete(fn);
      },
    };
    return route(ctx, rest, url.host);
  }

  async function serve(nodeReq: IncomingMessage, nodeRes: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of nodeReq) chunks.push(c as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const abort = new AbortController();
    nodeRes.on("close", () => abort.abort());
    const req = toRequest(nodeReq, abort.signal);
    const url = new URL(req.url);
    const { ref, rest } = splitPrefix(url.pathname);
    const warnings: string[] = [];
    const exists = deps.planes.exists(ref);
    let res: Response;
    try {
      res = await handle(req, url, body, ref, rest, warnings);
    } catch (e) {
      res = e instanceof ApiError ? errorResponse(e) : json(new ApiError(500, "InternalError", `Internal error occurred: ${(e as Error).message}`).body, 500);
      if (!(e instanceof ApiError)) console.error("control plane:", e);
    }
    const logged: LoggedRequest = {
      method: req.method,
      path: url.pathname,
      planePath: rest,
      plane: exists ? ref : null,
      query: Object.fromEntries(url.searchParams),
      headers: loggedHeaders(req),
      body: loggedBody(req, body),
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
    };
    deps.log.push(logged);
    deps.onLogged?.(logged);
    await send(nodeRes, res, warnings, abort.signal);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((e) => {
      console.error("control plane:", e);
      res.destroy();
    });
  };
  const wrapped = deps.faults ? deps.faults.wrap(handler) : handler;
  const listen = async (tls: { cert: string; key: string }, port: number) => {
    const s: Server = createServer({ cert: tls.cert, key: tls.key }, wrapped);
    s.listen(port, "127.0.0.1");
    await once(s, "listening");
    return s;
  };
  const stop = (s: Server) => {
    s.closeAllConnections();
    return new Promise<void>((resolve) => s.close(() => resolve()));
  };
  let server = await listen(deps.tls, deps.port);
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    /**
     * Serve another certificate: the listener is replaced by one on the same port (Bun's
     * node:https has no setSecureContext), so open connections and watches end.
     */
    async setCertificate(tls: { cert: string; key: string }) {
      endWatches("close");
      await stop(server);
      server = await listen(tls, port);
    },
    endWatches,
    async close() {
      endWatches("close");
      await stop(server);
    },
  };
}
