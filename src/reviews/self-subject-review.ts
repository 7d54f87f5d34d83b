// `datumctl auth whoami`: a SelfSubjectReview against the resolved scope's control plane, as
// kubectl does it (v1, then v1beta1, then v1alpha1 when the server has no such version), printed
// as kubectl's ATTRIBUTE/VALUE table or as the review object.
import { readJson } from "../api/http";
import type { ApiClient } from "../api/client";
import type { Runtime } from "../runtime";
import { scopedClient } from "../resources/scoped";
import { DatumctlError, isDatumctlError } from "../errors";
import { tabwrite } from "../printers/tabwriter";
import { type Output, checkOutput, goList, goObjectMeta, printObject } from "./output";

const VERSIONS = ["v1", "v1beta1", "v1alpha1"];

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface SelfSubjectReview {
  kind: "SelfSubjectReview";
  apiVersion: string;
  metadata: Record<string, unknown>;
  status: { userInfo: UserInfo };
}

/** POSTs the review, falling back a version on 404; kubectl's own errors for 403 and "none served". */
export async function selfSubjectReview(client: ApiClient): Promise<SelfSubjectReview> {
  for (const version of VERSIONS) {
    const apiVersion = `authentication.k8s.io/${version}`;
    try {
      const res = await client.call(`/apis/${apiVersion}/selfsubjectreviews`, {
        method: "POST",
        body: JSON.stringify({ kind: "SelfSubjectReview", apiVersion, metadata: { creationTimestamp: null }, status: { userInfo: {} } }),
        headers: { "content-type": "application/json" },
        allow: [404],
      });
      if (res.status === 404) continue;
      const body = (await readJson(res)) as Partial<SelfSubjectReview>;
      // The object as kubectl's typed client holds it: the type it asked for, Go's field order.
      return { kind: "SelfSubjectReview", apiVersion, metadata: goObjectMeta(body.metadata), status: { userInfo: goUserInfo(body.status?.userInfo) } };
    } catch (e) {
      if (isDatumctlError(e) && e.code === "FORBIDDEN") {
        throw new DatumctlError("the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it", {
          code: "FORBIDDEN",
          cause: e,
        });
      }
      throw e;
    }
  }
  throw new DatumctlError(
    "the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API",
    { code: "NOT_FOUND" },
  );
}

function goUserInfo(ui: UserInfo | undefined): UserInfo {
  const out: UserInfo = {};
  if (ui?.username) out.username = ui.username;
  if (ui?.uid) out.uid = ui.uid;
  if (ui?.groups?.length) out.groups = ui.groups;
  if (ui?.extra && Object.keys(ui.extra).length) {
    out.extra = Object.fromEntries(
      Object.keys(ui.extra)
        .sort(compareGo)
        .map((k) => [k, ui.extra![k]!]),
    );
  }
  return out;
}

const compareGo = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** kubectl's table: only the attributes that are set; extras sorted by key. */
export function renderUserInfo(ui: UserInfo): string {
  const rows = [["ATTRIBUTE", "VALUE"]];
  if (ui.username) rows.push(["Username", ui.username]);
  if (ui.uid) rows.push(["UID", ui.uid]);
  if (ui.groups?.length) rows.push(["Groups", goList(ui.groups)]);
  for (const k of Object.keys(ui.extra ?? {}).sort(compareGo)) rows.push([`Extra: ${k}`, goList(ui.extra![k])]);
  return tabwrite(rows);
}

export async function whoami(rt: Runtime, output?: string): Promise<void> {
  const format: Output | undefined = checkOutput(output);
  const { client } = await scopedClient(rt);
  const review = await selfSubjectReview(client);
  rt.io.out(format ? await printObject(review, format) : renderUserInfo(review.status.userInfo));
}
