// `datumctl auth get-token`: the credential helper kubectl runs before every request.
// Cached path: parse flags, read one small JSON file, print. Everything else loads lazily.
import type { ArgsDef } from "citty";
import { DatumctlError } from "../errors";
import { type AccessToken, cachedAccessToken } from "./cached-token";
import { rfc3339Seconds } from "./lifetime";
import type { AuthRuntime } from "./token-source";

const EXEC_V1 = "client.authentication.k8s.io/v1";
const EXEC_V1BETA1 = "client.authentication.k8s.io/v1beta1";
/** How long a refresh inside get-token may take when --request-timeout does not say. */
const REFRESH_DEADLINE_MS = 30_000;

export const GET_TOKEN_OUTPUTS = ["token", EXEC_V1, EXEC_V1BETA1, "json"];

export const GET_TOKEN_ARGS = {
  output: {
    type: "enum",
    alias: "o",
    options: GET_TOKEN_OUTPUTS,
    default: "token",
    valueHint: "format",
    description: "token (the raw access token), an ExecCredential for kubectl, or json",
  },
  session: { type: "string", valueHint: "name", description: "Use this session instead of the active one (kubeconfig entries pin theirs)" },
} as const satisfies ArgsDef;

export interface GetTokenOptions {
  output: string;
  session?: string;
  /** $KUBERNETES_EXEC_INFO, as kubectl sets it. */
  execInfo?: string;
}

/** The ExecCredential apiVersion kubectl asked for, when it asked for a valid one. */
function execApiVersion(execInfo: string | undefined): string | undefined {
  if (!execInfo) return undefined;
  try {
    const v = (JSON.parse(execInfo) as { apiVersion?: unknown }).apiVersion;
    return v === EXEC_V1 || v === EXEC_V1BETA1 ? v : undefined;
  } catch {
    return undefined;
  }
}

async function sessionName(rt: AuthRuntime, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const { activeSession, loadConfig } = await import("../store/config");
  const session = activeSession(await loadConfig(rt.configDir, rt.io));
  if (!session) throw new DatumctlError("not signed in: run 'datumctl login' first", { code: "AUTH_REQUIRED" });
  return session.name;
}

export async function getToken(rt: AuthRuntime, opts: GetTokenOptions): Promise<string> {
  const name = await sessionName(rt, opts.session);
  let token: AccessToken | undefined = await cachedAccessToken(rt, name);
  if (!token) {
    const { accessToken } = await import("./token-source");
    // kubectl waits on us: a hung IdP must not hang it, --request-timeout 0 or not.
    const globals = rt.globals.requestTimeoutMs > 0 ? rt.globals : { ...rt.globals, requestTimeoutMs: REFRESH_DEADLINE_MS };
    try {
      token = await accessToken({ ...rt, globals, deferNotices: true }, name);
    } catch (e) {
      throw oneLine(e);
    }
  }
  return render(token, opts);
}

/** kubectl shows the plugin's stderr as is: say what to do on the same line. */
function oneLine(e: unknown): unknown {
  if (!(e instanceof DatumctlError) || !e.hint) return e;
  return new DatumctlError(`${e.message}; ${e.hint.charAt(0).toLowerCase()}${e.hint.slice(1)}`, {
    code: e.code,
    retryable: e.retryable,
    details: e.details,
    cause: e.cause,
  });
}

function render(t: AccessToken, opts: GetTokenOptions): string {
  const expirationTimestamp = rfc3339Seconds(t.usableUntil);
  if (opts.output === "token") return t.token;
  if (opts.output === "json") {
    return JSON.stringify({ token: t.token, expirationTimestamp, subject: t.subject ?? null, session: t.session, refreshed: t.refreshed }) + "\n";
  }
  const apiVersion = execApiVersion(opts.execInfo) ?? opts.output;
  let interactive = false;
  try {
    interactive = (JSON.parse(opts.execInfo ?? "{}") as { spec?: { interactive?: boolean } }).spec?.interactive === true;
  } catch {
    // an unreadable KUBERNETES_EXEC_INFO is ignored
  }
  return JSON.stringify(
    { kind: "ExecCredential", apiVersion, spec: { interactive }, status: { expirationTimestamp, token: t.token } },
    null,
    2,
  );
}
