// The one error type every command throws, its stable codes, and how it is shown.
// Codes are part of the public contract (scripts match on them): add, never rename.

export const ERROR_CODES = {
  AUTH_REQUIRED: "no usable login: the user must log in",
  AUTH_EXPIRED: "the session's refresh token or assertion no longer works",
  SESSION_NOT_FOUND: "a named session does not exist",
  SCOPE_CONFLICT: "scope flags or variables contradict each other",
  NOT_FOUND: "the server has no such object",
  FORBIDDEN: "the server refused the request for this identity",
  CONFLICT: "the object exists or changed underneath the request",
  INVALID_INPUT: "a flag, argument, file or manifest is malformed",
  UNKNOWN_COMMAND: "no such command or subcommand",
  NETWORK: "the host could not be reached",
  TLS: "the TLS handshake or certificate check failed",
  SERVER: "the server answered with an error or garbage",
  TIMEOUT: "the request or wait ran out of time",
  ONBOARDING_INCOMPLETE: "the organization must finish setup in the portal",
  INTERRUPTED: "the user pressed Ctrl-C",
  KEYRING_UNAVAILABLE: "DATUMCTL_CREDENTIAL_STORE=keyring is set but the OS keyring cannot be used",
  STORAGE: "a file could not be written or read: disk full, read-only filesystem, or no permission",
  INTERNAL: "a bug in datumctl",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Exit codes, one table for the whole CLI (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  ERROR: 1,
  /** `diff` uses 1 for "differences found", so its errors exit with 2 (kubectl does the same). */
  DIFF_ERROR: 2,
  INTERRUPTED: 130,
  /** The reader of stdout went away (`datumctl get … | head -1`): 128 + SIGPIPE, as kubectl dies. */
  BROKEN_PIPE: 141,
} as const;

export interface ErrorInit {
  code: ErrorCode;
  hint?: string;
  retryable?: boolean;
  details?: string;
  exitCode?: number;
  /** Replaces `error: <message>` in human mode, e.g. kubectl's `Error from server (NotFound): …`. */
  human?: string;
  /** Print nothing: there is no one left to tell (stdout's reader is gone). */
  silent?: boolean;
  cause?: unknown;
}

export class DatumctlError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly retryable: boolean;
  readonly details?: string;
  readonly exitCode: number;
  readonly human?: string;
  readonly silent: boolean;

  constructor(message: string, init: ErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "DatumctlError";
    this.code = init.code;
    this.hint = init.hint;
    this.retryable = init.retryable ?? false;
    this.details = init.details;
    this.exitCode = init.exitCode ?? EXIT.ERROR;
    this.human = init.human;
    this.silent = init.silent ?? false;
  }
}

export const isDatumctlError = (e: unknown): e is DatumctlError => e instanceof DatumctlError;

export function invalidInput(message: string, hint?: string): DatumctlError {
  return new DatumctlError(message, { code: "INVALID_INPUT", hint });
}

/**
 * The one place that decides an exception is a bug in datumctl. A DatumctlError says what it
 * is; a system error that a user's machine can cause (a full or read-only disk, a file that is
 * not ours, stdout's reader gone, a deadline) gets its honest code; anything else is INTERNAL.
 */
export function toDatumctlError(e: unknown, verbosity = 0): DatumctlError {
  if (isDatumctlError(e)) return e;
  const known = expectedError(e);
  if (known) return known;
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error ? e.stack : undefined;
  return bug(`internal error: ${message}`, { details: verbosity >= 9 ? stack : undefined });
}

/**
 * INTERNAL, made here only: for an invariant that code checked and found broken. `fileUnchanged`
 * says the check ran before a write, so the user's file is as it was.
 */
export function bug(message: string, opts: { fileUnchanged?: boolean; details?: string | undefined } = {}): DatumctlError {
  const hint = opts.fileUnchanged
    ? "This is a bug in datumctl; the file was left unchanged. Please report it."
    : "This is a bug in datumctl. Rerun with -v 9 for details and report it.";
  return new DatumctlError(message, { code: "INTERNAL", hint, details: opts.details });
}

interface SystemError {
  name?: string;
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  dest?: unknown;
  /** Set by io.ts on a failed write to stdout (1) or stderr (2). */
  fd?: unknown;
  cause?: unknown;
}

/** What a failed call was doing, from its syscall, for "… writing /path". */
const DOING: Record<string, string> = {
  open: "opening",
  read: "reading",
  write: "writing",
  fsync: "writing",
  close: "writing",
  mkdir: "creating",
  rename: "replacing",
  unlink: "removing",
  rmdir: "removing",
  rm: "removing",
  chmod: "changing the mode of",
  fchmod: "changing the mode of",
  chown: "changing the owner of",
  fchown: "changing the owner of",
  scandir: "listing",
  opendir: "listing",
  copyfile: "copying",
  symlink: "creating",
  link: "creating",
  utime: "touching",
};

const PATH_HINT = "Check the path: DATUMCTL_CONFIG_DIR, KUBECONFIG, or the file named on the command line.";

const STORAGE_ERRORS: Record<string, { reason: string; hint: string }> = {
  ENOSPC: { reason: "no space left on device", hint: "Free some space on that file system and run the command again." },
  EDQUOT: { reason: "disk quota exceeded", hint: "Free some space within your quota and run the command again." },
  EROFS: {
    reason: "read-only file system",
    hint: "That file system is mounted read-only: make it writable, or point DATUMCTL_CONFIG_DIR (or KUBECONFIG) at a writable place.",
  },
  EACCES: { reason: "permission denied", hint: "Check the owner and mode of that path and of its directory." },
  EPERM: { reason: "operation not permitted", hint: "Check the owner and mode of that path and of its directory." },
  EIO: { reason: "input/output error", hint: "The disk reported an error: check it, then run the command again." },
  ENOTDIR: { reason: "a parent is not a directory", hint: PATH_HINT },
  EISDIR: { reason: "a directory is where a file should be", hint: PATH_HINT },
  ELOOP: { reason: "too many levels of symbolic links", hint: PATH_HINT },
  ENAMETOOLONG: { reason: "file name too long", hint: PATH_HINT },
};

/**
 * An error the user's machine or network can cause, as its honest DatumctlError; undefined for a
 * bug. `path` names the file a failed write was for, where the error itself names a temp file.
 */
export function expectedError(e: unknown, path?: string, depth = 0): DatumctlError | undefined {
  // Only thrown errors: a parsed server body with a "code" field is not an errno.
  if (!(e instanceof Error)) return undefined;
  const err = e as SystemError;
  const code = typeof err.code === "string" ? err.code : "";
  const storage = STORAGE_ERRORS[code];
  if (storage) {
    // A rename names its source (our temp file) first; the file being replaced is its dest.
    const named = path ?? (typeof err.dest === "string" ? err.dest : typeof err.path === "string" ? err.path : undefined);
    const doing = (!path && typeof err.syscall === "string" && DOING[err.syscall]) || (path ? "writing" : "accessing");
    return new DatumctlError(named ? `${storage.reason} ${doing} ${named}` : storage.reason, { code: "STORAGE", hint: storage.hint, cause: e });
  }
  // stdout's (or stderr's) reader is gone; a pipe to another program is not this.
  if (code === "EPIPE" && (err.fd === 1 || err.fd === 2)) {
    return new DatumctlError("the output was closed before everything was written", {
      code: "INTERRUPTED",
      exitCode: EXIT.BROKEN_PIPE,
      silent: true,
      cause: e,
    });
  }
  if (code === "ETIMEDOUT" || err.name === "TimeoutError" || err.name === "AbortError") {
    return new DatumctlError("the operation timed out", { code: "TIMEOUT", retryable: true, hint: "Check the network, or raise --request-timeout.", cause: e });
  }
  // A library's error wrapping one of ours or of the above (a timeout inside a body it read).
  if (depth < 4 && err.cause !== undefined && err.cause !== e) return isDatumctlError(err.cause) ? err.cause : expectedError(err.cause, path, depth + 1);
  return undefined;
}

/** Rethrows what the machine can cause (a full or read-only disk, …) as STORAGE naming `path`; anything else as it was. */
export function asStorageError(e: unknown, path: string): unknown {
  return isDatumctlError(e) ? e : (expectedError(e, path) ?? e);
}

export type ErrorFormat = "human" | "json" | "yaml";
export const ERROR_FORMATS: readonly ErrorFormat[] = ["human", "json", "yaml"];

/** The envelope body in a fixed key order; empty strings are left out, retryable never is. */
function envelope(e: DatumctlError, verbosity: number) {
  const body: Record<string, string | boolean> = { code: e.code, message: e.message };
  if (e.hint) body.hint = e.hint;
  body.retryable = e.retryable;
  const details = detailsFor(e, verbosity);
  if (details) body.details = details;
  return { error: body };
}

function detailsFor(e: DatumctlError, verbosity: number): string | undefined {
  if (e.details) return e.details;
  if (verbosity >= 4 && e.cause !== undefined) {
    return e.cause instanceof Error ? e.cause.message : String(e.cause);
  }
  return undefined;
}

/** Renders an error for stderr, newline-terminated. */
export function formatError(e: DatumctlError, format: ErrorFormat, verbosity = 0): string {
  if (e.silent) return "";
  if (format === "json") return JSON.stringify(envelope(e, verbosity)) + "\n";
  if (format === "yaml") return yamlEnvelope(envelope(e, verbosity));
  let text = e.human ?? `error: ${e.message}`;
  if (e.hint) text += `\n${e.hint}`;
  const details = verbosity >= 4 ? detailsFor(e, verbosity) : undefined;
  if (details) text += `\nDetails:\n${details}`;
  return text + "\n";
}

// A hand-written YAML emitter for this fixed, flat shape keeps the yaml library off the error path.
function yamlEnvelope(env: { error: Record<string, string | boolean> }): string {
  const lines = ["error:"];
  for (const [k, v] of Object.entries(env.error)) {
    lines.push(`  ${k}: ${typeof v === "boolean" ? String(v) : yamlString(v)}`);
  }
  return lines.join("\n") + "\n";
}

function yamlString(s: string): string {
  // A JSON string is a valid YAML double-quoted scalar, newlines and all.
  return JSON.stringify(s);
}
