// Secrets never reach a log line, at any verbosity. Everything printed by -v passes through here.
//
// Two nets: by field name (JSON, forms, headers, URLs — scanned tolerantly, so a truncated
// body or a form labelled text/plain is caught too), and by value: every secret this process
// holds (tokens, codes, verifiers, assertions, keys) is registered with holdSecret() as it is
// read or made, and scrubbed from every line whatever surrounds it.

const SECRET_NAME =
  /token|secret|password|passwd|assertion|private[_-]?key|api[_-]?key|credential|authorization|cookie|^code$|code[_-]?verifier|device[_-]?code|user[_-]?code|client[_-]?assertion|^key$|^state$|^nonce$/i;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `"name": "value` in JSON, the closing quote optional (the body may stop mid-value). */
const JSON_FIELD = /"((?:[^"\\]|\\.){1,100})"(\s*:\s*)"((?:[^"\\]|\\.)*)("?)/g;
/** `name=value` in a form, wherever it appears. */
const FORM_FIELD = /(^|[&?;\s])([A-Za-z0-9_.%[\]-]{1,100})=([^&\s"'<>]*)/g;

export const REDACTED = "<redacted>";

/** Names that match SECRET_NAME but hold none: a discovery document's endpoints, `token_type`. */
const NOT_SECRET = /(endpoint|_?uri|_?url|_?type|_supported|expires_?in|_methods?)$/i;

export const isSecretName = (name: string) => SECRET_NAME.test(name) && !NOT_SECRET.test(name);

/** Shorter values are too likely to occur by chance to be scrubbed everywhere. */
const MIN_HELD = 8;
/**
 * Every line is searched for every held value, so their number is bounded: a -v 9 list full of
 * secret-named fields (redacted in place by name anyway) must not make each later line slow.
 * The secrets of a sign-in or refresh are registered long before that.
 */
const MAX_HELD = 512;
const held = new Set<string>();
/** `held`, longest first (a secret containing another is removed whole); rebuilt on change. */
let byLength: string[] | undefined;

function hold(value: string): void {
  if (held.size >= MAX_HELD || held.has(value)) return;
  held.add(value);
  byLength = undefined;
}

/** Registers a secret value (and its URL- and JSON-encoded forms): no log line will show it. */
export function holdSecret(value: unknown): void {
  if (typeof value !== "string" || value.length < MIN_HELD || value.includes(REDACTED)) return;
  hold(value);
  hold(encodeURIComponent(value));
  hold(new URLSearchParams({ v: value }).toString().slice(2));
  hold(JSON.stringify(value).slice(1, -1));
  // A key or other multi-line secret: each long line on its own, for a body cut mid-way.
  for (const line of value.split(/\r?\n/)) if (line.length >= 32 && !line.startsWith("-----")) hold(line.trim());
}

function scrubHeld(text: string): string {
  if (held.size === 0) return text;
  byLength ??= [...held].sort((a, b) => b.length - a.length);
  for (const s of byLength) if (text.includes(s)) text = text.replaceAll(s, REDACTED);
  return text;
}

const decodeName = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/** Secret-named fields in JSON- or form-shaped text, complete or cut short: registered, then blanked. */
function scrubFields(text: string): string {
  return text
    .replace(JSON_FIELD, (all, name: string, colon: string, value: string, close: string) => {
      if (!isSecretName(name) || value === "") return all;
      holdSecret(value);
      return `"${name}"${colon}"${REDACTED}${close}`;
    })
    .replace(FORM_FIELD, (all, lead: string, name: string, value: string) => {
      if (!isSecretName(decodeName(name)) || value === "") return all;
      holdSecret(decodeName(value));
      holdSecret(value);
      return `${lead}${name}=${REDACTED}`;
    });
}

/** Scrubs free text: held secrets, secret-named fields, JWTs, PEM private keys and bearer credentials. */
export function redactText(text: string): string {
  return scrubHeld(scrubFields(text)).replace(PEM, REDACTED).replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);
}

export function redactHeaders(headers: Headers | Record<string, string>): [string, string][] {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return entries.map(([k, v]) => {
    if (!isSecretName(k)) return [k, redactText(v)];
    // `Bearer <token>`: the token is the secret.
    holdSecret(v.slice(v.indexOf(" ") + 1));
    return [k, REDACTED];
  });
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const k of [...u.searchParams.keys()]) {
      if (!isSecretName(k)) continue;
      holdSecret(u.searchParams.get(k));
      u.searchParams.set(k, REDACTED);
    }
    if (u.password) u.password = REDACTED;
    return redactText(u.toString());
  } catch {
    return redactText(url);
  }
}

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        if (!isSecretName(k) || typeof x !== "string") return [k, redactValue(x)];
        holdSecret(x);
        return [k, REDACTED];
      }),
    );
  }
  return typeof v === "string" ? redactText(v) : v;
}

/** A request or response body, as JSON, a form, or text (cut short or mislabelled: scanned by field name). */
export function redactBody(body: string, contentType = ""): string {
  if (contentType.includes("x-www-form-urlencoded")) {
    const form = new URLSearchParams(body);
    for (const k of [...form.keys()]) {
      if (!isSecretName(k)) continue;
      for (const v of form.getAll(k)) holdSecret(v);
      form.set(k, REDACTED);
    }
    return form.toString();
  }
  try {
    return JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    return redactText(body);
  }
}
