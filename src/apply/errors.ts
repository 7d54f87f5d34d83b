// Failures of create and apply, worded as kubectl words them: server errors keep their Status
// (reason, details) so a source can be added ("error when creating "x.yaml": …") and an Invalid
// one can be shown as kubectl shows it alone; several failures are listed one per line.
import { statusError } from "../api/status";
import { DatumctlError, type ErrorCode } from "../errors";

export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: StatusDetails;
}

/** One failure: how it reads alone, and how it reads as a line among several. */
export interface Failure {
  error: DatumctlError;
  line: string;
}

/** A failure that is not the server's: `error: <message>` alone, the bare message in a list. */
export function plainFailure(message: string, code: ErrorCode = "INVALID_INPUT"): Failure {
  return { error: new DatumctlError(message, { code }), line: message };
}

/** A Status from the server, with the code, retryable and hint our own client would give it. */
export class ServerFailure extends Error {
  constructor(
    readonly status: Status,
    readonly reason: string,
    message: string,
    private readonly base: DatumctlError,
  ) {
    super(message);
    this.name = "ServerFailure";
  }

  /** The same failure with kubectl's source wording in front of the message (AddSourceToErr). */
  withPrefix(prefix: string): ServerFailure {
    return new ServerFailure(this.status, this.reason, `${prefix}${this.message}`, this.base);
  }

  get isConflict(): boolean {
    return this.status.reason === "Conflict" || (!this.status.reason && this.status.code === 409);
  }

  get isNotFound(): boolean {
    return this.status.reason === "NotFound" || (!this.status.reason && this.status.code === 404);
  }

  /** `Error from server (Reason): message`, as kubectl lists it among several. (Not `line`: JSC errors own one.) */
  get listed(): string {
    return `Error from server (${this.reason}): ${this.message}`;
  }

  /** How kubectl shows it alone: Invalid with details as "The Kind "name" is invalid: …". */
  get alone(): string {
    const d = this.status.details;
    if (this.status.reason !== "Invalid" || !d) return this.listed;
    let head = "The request is invalid";
    if (d.kind || d.name) head = `The ${d.kind ?? ""} ${JSON.stringify(d.name ?? "")} is invalid`;
    else if (this.message) head += `: ${this.message}`;
    const seen = new Set<string>();
    const causes: string[] = [];
    for (const c of d.causes ?? []) {
      const text = `${c.field ?? ""}: ${c.message ?? ""}`;
      if (!seen.has(text)) causes.push(text);
      seen.add(text);
    }
    if (causes.length === 0) return head;
    if (causes.length === 1) return `${head}: ${causes[0]}`;
    return `${head}: \n${causes.map((c) => `* ${c}`).join("\n")}`;
  }

  toFailure(): Failure {
    return {
      error: new DatumctlError(this.message, { code: this.base.code, retryable: this.base.retryable, hint: this.base.hint, human: this.alone }),
      line: this.listed,
    };
  }
}

/** Reads an error response into a ServerFailure (a body that is not a Status still gets one). */
export async function serverFailure(res: Response, url: string): Promise<ServerFailure> {
  const text = await res.text().catch(() => "");
  let status: Status = {};
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed && parsed.kind === "Status") status = parsed;
  } catch {
    // not JSON: a proxy's page
  }
  const base = await statusError(new Response(text, { status: res.status, statusText: res.statusText }), url);
  const reason = status.reason || res.statusText || `HTTP ${res.status}`;
  return new ServerFailure({ code: res.status, ...status }, reason, base.message, base);
}

/** A Failure thrown out of the code that found it. */
export class Failed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.error.message);
  }
}

/** A failure as kubectl would have it: server Statuses keep their form, anything else is plain. */
export function toFailure(e: unknown): Failure {
  if (e instanceof Failed) return e.failure;
  if (e instanceof ServerFailure) return e.toFailure();
  if (e instanceof DatumctlError) return { error: e, line: e.message };
  throw e;
}

/**
 * kubectl's AddSourceToErr: `<prefix><message>`, a server error keeping its reason and code.
 * Anything that is not a known failure is a bug and is rethrown.
 */
export function withPrefix(e: unknown, prefix: string): Failed {
  if (e instanceof ServerFailure) return new Failed(e.withPrefix(prefix).toFailure());
  const f = toFailure(e);
  const message = `${prefix}${f.error.message}`;
  return new Failed({ error: new DatumctlError(message, { code: f.error.code, retryable: f.error.retryable, hint: f.error.hint }), line: message });
}

/**
 * Raises what went wrong, as kubectl's CheckErr prints it: one failure alone, several one per
 * line (each server error as `Error from server (…): …`, everything else as its bare message).
 */
export function raise(failures: Failure[]): void {
  if (failures.length === 0) return;
  if (failures.length === 1) throw failures[0]!.error;
  const text = failures.map((f) => f.line).join("\n");
  throw new DatumctlError(text, { code: failures[0]!.error.code, retryable: failures.every((f) => f.error.retryable), human: text });
}

/** Several failures folded into one, as a Go error aggregate prints: `[a, b]`, duplicates once. */
export function aggregate(failures: Failure[]): Failure {
  if (failures.length === 1) return failures[0]!;
  const messages = [...new Set(failures.map((f) => f.error.message))];
  const line = messages.length === 1 ? messages[0]! : `[${messages.join(", ")}]`;
  return { error: new DatumctlError(line, { code: failures[0]!.error.code }), line };
}
