// Secrets never reach a log line, at any verbosity. Everything printed by -v passes through here.

const SECRET_NAME = /token|secret|password|passwd|assertion|private[_-]?key|api[_-]?key|credential|authorization|cookie|^code$|code[_-]?verifier|device[_-]?code|user[_-]?code|client[_-]?assertion|^key$|^state$|^nonce$/i;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

export const REDACTED = "<redacted>";

export const isSecretName = (name: string) => SECRET_NAME.test(name);

/** Scrubs free text: JWTs, PEM private keys and bearer credentials. */
export function redactText(text: string): string {
  return text.replace(PEM, REDACTED).replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);
}

export function redactHeaders(headers: Headers | Record<string, string>): [string, string][] {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return entries.map(([k, v]) => [k, isSecretName(k) ? REDACTED : redactText(v)]);
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const k of [...u.searchParams.keys()]) if (isSecretName(k)) u.searchParams.set(k, REDACTED);
    if (u.password) u.password = REDACTED;
    return redactText(u.toString());
  } catch {
    return redactText(url);
  }
}

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) && typeof x === "string" ? REDACTED : redactValue(x)]));
  }
  return typeof v === "string" ? redactText(v) : v;
}

/** A request or response body, as JSON, a form, or text. */
export function redactBody(body: string, contentType = ""): string {
  if (contentType.includes("x-www-form-urlencoded")) {
    const form = new URLSearchParams(body);
    for (const k of [...form.keys()]) if (isSecretName(k)) form.set(k, REDACTED);
    return form.toString();
  }
  try {
    return JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    return redactText(body);
  }
}
