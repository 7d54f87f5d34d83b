// What `auth get-token` prints: the raw token, kubectl's ExecCredential, or JSON. Pure, and
// small on purpose: the cached fast path (src/fast-get-token.ts) loads it on kubectl's every call.
// So it writes its JSON with JSON.stringify rather than through src/printers: the fast path's
// module list is pinned, and kubectl decodes this JSON the same with or without Go's escapes.
import type { AccessToken } from "./access-token";
import { rfc3339Seconds } from "./lifetime";

export const EXEC_V1 = "client.authentication.k8s.io/v1";
export const EXEC_V1BETA1 = "client.authentication.k8s.io/v1beta1";
export const GET_TOKEN_OUTPUTS = ["token", EXEC_V1, EXEC_V1BETA1, "json"];

/** $KUBERNETES_EXEC_INFO, parsed; an unreadable one is ignored, as kubectl's own plugins do. */
function execInfo(text: string | undefined): { apiVersion?: unknown; spec?: { interactive?: unknown } } {
  if (!text) return {}; // the usual case outside kubectl; not thrown, as an exception is costly here
  try {
    const info: unknown = JSON.parse(text);
    return typeof info === "object" && info !== null ? info : {};
  } catch {
    return {};
  }
}

/**
 * The token in the requested output; an ExecCredential answers in the version kubectl asked for.
 * The raw token has no newline after it, so `$(datumctl auth get-token)` and pipes get it exact;
 * the JSON outputs end in one, like any other document on stdout.
 */
export function renderToken(t: AccessToken, output: string, execInfoText: string | undefined): string {
  const expirationTimestamp = rfc3339Seconds(t.usableUntil);
  if (output === "token") return t.token;
  if (output === "json") {
    return JSON.stringify({ token: t.token, expirationTimestamp, subject: t.subject ?? null, session: t.session, refreshed: t.refreshed }) + "\n";
  }
  const info = execInfo(execInfoText);
  const apiVersion = info.apiVersion === EXEC_V1 || info.apiVersion === EXEC_V1BETA1 ? info.apiVersion : output;
  const interactive = info.spec?.interactive === true;
  const credential = { kind: "ExecCredential", apiVersion, spec: { interactive }, status: { expirationTimestamp, token: t.token } };
  return `${JSON.stringify(credential, null, 2)}\n`;
}
