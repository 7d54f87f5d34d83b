// SelfSubjectReview (whoami), SelfSubjectAccessReview (can-i) and SelfSubjectRulesReview
// (can-i --list), answered from authz.ts's rules. Bodies arrive as JSON or, from kubectl, as
// protobuf; replies are JSON, which kubectl accepts.
import { allows, nonResourceAllowed, rulesFor } from "./authz";
import type { Ctx } from "./context";
import { json } from "./http";
import { decodeReview } from "./protobuf";
import { badRequest, pathNotFound } from "./status";
import type { Obj } from "./types";

export const REVIEW_PATHS: Record<string, string> = {
  "/apis/authentication.k8s.io/v1/selfsubjectreviews": "SelfSubjectReview",
  "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews": "SelfSubjectAccessReview",
  "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews": "SelfSubjectRulesReview",
};

function readBody(ctx: Ctx): Obj {
  const ct = ctx.req.headers.get("content-type") ?? "";
  if (ct.startsWith("application/vnd.kubernetes.protobuf")) {
    try {
      return decodeReview(ctx.body);
    } catch (e) {
      throw badRequest(`failed to decode protobuf body: ${(e as Error).message}`);
    }
  }
  const raw = new TextDecoder().decode(ctx.body).trim();
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function review(ctx: Ctx, path: string): Response {
  const kind = REVIEW_PATHS[path];
  if (!kind) throw pathNotFound();
  if (ctx.req.method !== "POST") {
    return json(
      {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `the server does not allow this method on the requested resource`,
        reason: "MethodNotAllowed",
        details: {},
        code: 405,
      },
      405,
    );
  }
  const body = readBody(ctx);
  const apiVersion = path.split("/").slice(2, 4).join("/");
  const base = { kind, apiVersion, metadata: { creationTimestamp: null } };
  const { subject } = ctx;
  if (kind === "SelfSubjectReview") {
    return json({ ...base, status: { userInfo: { username: subject.username, uid: subject.sub, groups: subject.groups } } }, 201);
  }
  const spec: Obj = body.spec ?? {};
  if (kind === "SelfSubjectRulesReview") {
    return json({ ...base, spec, status: rulesFor(ctx.plane, ctx.grant) }, 201);
  }
  let allowed = false;
  let reason = "";
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra) {
    const isReview = ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"].includes(ra.resource) && ra.verb === "create";
    allowed = isReview || allows(ctx.grant, ra.verb);
    if (allowed) reason = isReview ? "every user may review themselves" : ctx.grant!.reason;
  } else if (nra) {
    allowed = nonResourceAllowed(nra.path ?? "", nra.verb ?? "");
  }
  return json({ ...base, spec, status: { allowed, ...(reason ? { reason } : {}) } }, 201);
}
