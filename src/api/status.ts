// Kubernetes Status bodies as our errors. Human output keeps kubectl's wording
// (`Error from server (NotFound): …`) so scripts and eyes used to kubectl see the same thing.
import { DatumctlError, type ErrorCode } from "../errors";

const BY_REASON: Record<string, ErrorCode> = {
  NotFound: "NOT_FOUND",
  Forbidden: "FORBIDDEN",
  Unauthorized: "AUTH_REQUIRED",
  AlreadyExists: "CONFLICT",
  Conflict: "CONFLICT",
  Invalid: "INVALID_INPUT",
  BadRequest: "INVALID_INPUT",
  Timeout: "TIMEOUT",
  ServerTimeout: "TIMEOUT",
};

function byStatus(code: number): ErrorCode {
  if (code === 401) return "AUTH_REQUIRED";
  if (code === 403) return "FORBIDDEN";
  if (code === 404) return "NOT_FOUND";
  if (code === 409) return "CONFLICT";
  if (code === 400 || code === 422) return "INVALID_INPUT";
  if (code === 408 || code === 504) return "TIMEOUT";
  return "SERVER";
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

export async function statusError(res: Response, url: string): Promise<DatumctlError> {
  const text = await res.text().catch(() => "");
  let status: Status | undefined;
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed && parsed.kind === "Status") status = parsed;
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  const reason = status?.reason || res.statusText || `HTTP ${res.status}`;
  const message = status?.message || (text && text.length < 200 && !text.includes("<") ? text.trim() : `the server returned HTTP ${res.status} for ${url}`);
  const code = (status?.reason && BY_REASON[status.reason]) || byStatus(res.status);
  return new DatumctlError(message, {
    code,
    retryable: res.status >= 500 || res.status === 429,
    human: `Error from server (${reason}): ${message}`,
    hint: code === "AUTH_REQUIRED" ? "Run 'datumctl login' to sign in again." : undefined,
  });
}
