// `datumctl auth get-token`: the credential helper kubectl runs before every request. kubectl's
// own calls with a fresh cached token never get here (src/fast-get-token.ts answers them); this
// is the whole command: the active session, refreshes, errors.
import type { ArgsDef } from "citty";
import { DatumctlError } from "../errors";
import { activeSession, loadConfig } from "../store/config";
import { GET_TOKEN_OUTPUTS, renderToken } from "./exec-credential";
import { type AuthRuntime, accessToken } from "./token-source";

/** How long a refresh inside get-token may take when --request-timeout does not say. */
const REFRESH_DEADLINE_MS = 30_000;

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

async function sessionName(rt: AuthRuntime, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const session = activeSession(await loadConfig(rt.configDir, rt.io));
  if (!session) throw new DatumctlError("not signed in: run 'datumctl login' first", { code: "AUTH_REQUIRED" });
  return session.name;
}

export async function getToken(rt: AuthRuntime, opts: GetTokenOptions): Promise<string> {
  const name = await sessionName(rt, opts.session);
  // kubectl waits on us: a hung IdP must not hang it, --request-timeout 0 or not.
  const ownDeadline = rt.globals.requestTimeoutMs === 0;
  const globals = ownDeadline ? { ...rt.globals, requestTimeoutMs: REFRESH_DEADLINE_MS } : rt.globals;
  try {
    return renderToken(await accessToken({ ...rt, globals, deferNotices: true }, name), opts.output, opts.execInfo);
  } catch (e) {
    throw oneLine(signedOut(ownDeadline ? deadlineMissed(e, name) : e, name));
  }
}

/** A session kubeconfig pins that is gone (logged out): what kubectl repeats should be short. */
function signedOut(e: unknown, session: string): unknown {
  if (!(e instanceof DatumctlError) || e.code !== "SESSION_NOT_FOUND") return e;
  return new DatumctlError(`session ${session} is not signed in`, { code: e.code, hint: "Run 'datumctl login' to sign in.", cause: e });
}

/** Our own deadline ran out: say so, rather than blame --request-timeout the user never set. */
function deadlineMissed(e: unknown, session: string): unknown {
  if (!(e instanceof DatumctlError) || e.code !== "TIMEOUT" || !abortedByTimer(e)) return e;
  return new DatumctlError(`refreshing session ${session} timed out: the identity provider did not answer within ${REFRESH_DEADLINE_MS / 1000}s`, {
    code: "TIMEOUT",
    retryable: true,
    hint: "Check the network and the identity provider, or pass --request-timeout to wait longer.",
    cause: e,
  });
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

/** A request's timer fired somewhere below e (not, say, a wait for another process's lock). */
function abortedByTimer(e: unknown): boolean {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    if (c.name === "TimeoutError" || c.name === "AbortError") return true;
  }
  return false;
}
