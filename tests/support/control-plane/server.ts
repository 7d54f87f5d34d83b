// The HTTPS server: authenticate every request, find its control plane, route, and log it.
import type { Server } from "bun";
import { grantFor } from "./authz";
import type { Ctx } from "./context";
import { errorResponse, json, withWarnings } from "./http";
import { type Planes, splitPrefix } from "./planes";
import { route } from "./routes";
import { ApiError, unauthorized } from "./status";
import type { LoggedRequest, PlaneRef, Subject } from "./types";

export interface ServerDeps {
  planes: Planes;
  verifyToken: (token: string) => Promise<{ sub: string } | null>;
  usernameOf: (sub: string) => string;
  platformAdmins: Set<string>;
  now: () => Date;
  log: LoggedRequest[];
  tls: { cert: string; key: string };
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

export function startServer(deps: ServerDeps) {
  const closers = new Set<() => void>();
  let server: Server<undefined>;

  async function handle(req: Request, url: URL, body: Uint8Array, ref: PlaneRef, rest: string, warnings: string[]): Promise<Response> {
    const auth = req.headers.get("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const verified = m ? await deps.verifyToken(m[1]!).catch(() => null) : null;
    if (!verified) throw unauthorized();
    const subject: Subject = { sub: verified.sub, username: deps.usernameOf(verified.sub), groups: ["system:authenticated"] };
    const plane = deps.planes.resolve(ref);
    const ctx: Ctx = {
      planes: deps.planes, plane, subject, grant: grantFor(deps.planes, plane, subject, deps.platformAdmins),
      req, url, body, now: deps.now, warnings,
      keepOpen: (r) => server.timeout(r, 0),
      onClose: (fn) => {
        closers.add(fn);
        return () => closers.delete(fn);
      },
    };
    return route(ctx, rest, url.host);
  }

  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: deps.tls,
    async fetch(req) {
      const url = new URL(req.url);
      const body = new Uint8Array(await req.arrayBuffer());
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
      withWarnings(res, warnings);
      deps.log.push({
        method: req.method,
        path: url.pathname,
        planePath: rest,
        plane: exists ? ref : null,
        query: Object.fromEntries(url.searchParams),
        headers: loggedHeaders(req),
        body: loggedBody(req, body),
        status: res.status,
        contentType: res.headers.get("content-type") ?? "",
      });
      return res;
    },
  });

  return {
    url: `https://127.0.0.1:${server.port}`,
    async close() {
      for (const fn of [...closers]) fn();
      await server.stop(true);
    },
  };
}
