// Non-resource endpoints of a plane (version, discovery, openapi, health, reviews), then resources.
import type { Ctx } from "./context";
import { aggregated, legacy } from "./discovery";
import { json } from "./http";
import { discoveryRendering } from "./negotiate";
import { groupVersionDoc, rootIndex } from "./openapi";
import { handleResource } from "./resources";
import { REVIEW_PATHS, review } from "./reviews";
import { pathNotFound } from "./status";

export const VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.4-datum",
  gitCommit: "59526cd4867447956156ae3a602fcbac10a2c335",
  gitTreeState: "clean",
  buildDate: "2025-04-22T16:03:51Z",
  goVersion: "go1.23.6",
  compiler: "gc",
  platform: "linux/amd64",
};

export function route(ctx: Ctx, path: string, serverAddress: string): Response {
  const method = ctx.req.method;
  if (REVIEW_PATHS[path]) return review(ctx, path);
  if (method === "GET") {
    if (path === "/version" || path === "/version/") return json(VERSION);
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    if (path === "/api" || path === "/apis") {
      const kind = discoveryRendering(ctx.req.headers.get("accept"));
      if (kind !== "legacy") return aggregated(ctx.plane, path === "/api", kind);
    }
    const disco = legacy(ctx.plane, path, serverAddress);
    if (disco) return disco;
    if (path === "/openapi/v3" || path === "/openapi/v3/") return json(rootIndex(ctx.plane));
    const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (m) {
      const doc = groupVersionDoc(ctx.plane, m[2] ?? "", m[1] ?? m[3]!);
      if (!doc) throw pathNotFound();
      return json(doc);
    }
  }
  const res = handleResource(ctx, path);
  if (res) return res;
  throw pathNotFound();
}
