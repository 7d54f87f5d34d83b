// Flags every command accepts, anywhere on the line (before or after the subcommand).
// They are lifted out of argv before the command is found, so a command never sees them.
import type { ArgsDef } from "citty";
import { checkScopeId } from "../scope/ids";
import { DatumctlError, ERROR_FORMATS, type ErrorFormat, invalidInput } from "../errors";
import type { Globals } from "../runtime";
import { flagTable, parseFlags, takesNextWord } from "./flags";

export const GLOBAL_FLAGS = {
  "error-format": {
    type: "enum",
    options: [...ERROR_FORMATS],
    default: "human",
    valueHint: "format",
    description: "How errors are printed on stderr",
  },
  project: { type: "string", valueHint: "id", description: "Use this project's control plane" },
  organization: { type: "string", valueHint: "id", description: "Use this organization's control plane" },
  "platform-wide": { type: "boolean", description: "Use the platform's root API instead of a scoped control plane" },
  namespace: { type: "string", alias: "n", valueHint: "name", description: "Namespace for namespaced resources" },
  v: { type: "string", alias: "v", valueHint: "level", description: "Log verbosity: 6 requests, 8 headers, 9 bodies (secrets redacted)" },
  "request-timeout": {
    type: "string",
    default: "0",
    valueHint: "duration",
    description: "Give up on a request after this long (e.g. 30s, 1m); 0 waits as long as it takes",
  },
  "warnings-as-errors": { type: "boolean", description: "Fail the command when the server sends a warning" },
} as const satisfies ArgsDef;

export const DEFAULT_GLOBALS: Globals = {
  errorFormat: "human",
  platformWide: false,
  verbosity: 0,
  requestTimeoutMs: 0,
  warningsAsErrors: false,
};

/** Splits argv into the global-flag tokens and everything else, keeping order. */
export function liftGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  return liftFlags(argv, GLOBAL_FLAGS);
}

function liftFlags(argv: readonly string[], defs: ArgsDef): { globals: string[]; rest: string[] } {
  const { long, short } = flagTable(defs);
  const globals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    let name: string | undefined;
    let inline = false;
    if (tok.startsWith("--")) {
      const eq = tok.indexOf("=");
      name = long.get((eq === -1 ? tok.slice(2) : tok.slice(2, eq)).replaceAll("_", "-"));
      inline = eq !== -1;
    } else if (tok.startsWith("-") && tok.length > 1) {
      name = short.get(tok[1]!);
      inline = tok.length > 2;
    }
    if (name === undefined) {
      rest.push(tok);
      continue;
    }
    globals.push(tok);
    if (takesNextWord(defs[name]) && !inline && i + 1 < argv.length) globals.push(argv[++i]!);
  }
  return { globals, rest };
}

/** The error format alone, read first so that every later error is shown in it. */
export function peekErrorFormat(globalTokens: readonly string[]): ErrorFormat {
  const only = { "error-format": GLOBAL_FLAGS["error-format"] };
  try {
    return parseFlags(liftFlags(globalTokens, only).globals, only, "datumctl").values["error-format"] as ErrorFormat;
  } catch {
    return "human";
  }
}

export function parseGlobals(tokens: readonly string[]): Globals {
  const { values } = parseFlags(tokens, GLOBAL_FLAGS, "datumctl");
  const g: Globals = {
    errorFormat: values["error-format"] as ErrorFormat,
    project: scopeFlag("project", values.project),
    organization: scopeFlag("organization", values.organization),
    platformWide: values["platform-wide"] === true,
    namespace: nonEmpty(values.namespace),
    verbosity: parseVerbosity(values.v as string | undefined),
    requestTimeoutMs: parseDuration(values["request-timeout"] as string, "--request-timeout"),
    warningsAsErrors: values["warnings-as-errors"] === true,
  };
  checkScopeFlags(g);
  return g;
}

/** A scope flag's ID; an empty or malformed one is refused, never taken as "not given". */
function scopeFlag(kind: "project" | "organization", v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  checkScopeId(kind, v, `--${kind}`);
  return v;
}

/** -n "" is no namespace, as with kubectl: the context's is used. */
function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function checkScopeFlags(g: Globals): void {
  const hint = "Pass at most one of --project, --organization and --platform-wide.";
  if (g.platformWide && (g.project || g.organization)) {
    throw new DatumctlError("--platform-wide cannot be used with --project or --organization", { code: "SCOPE_CONFLICT", hint });
  }
  if (g.project && g.organization) {
    throw new DatumctlError("--project and --organization cannot be used together", { code: "SCOPE_CONFLICT", hint });
  }
}

function parseVerbosity(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,2}$/.test(raw)) throw invalidInput(`invalid value "${raw}" for -v`, "Use a level from 0 to 10, e.g. -v 6.");
  return Number(raw);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "\u00b5s": 1e-3, "\u03bcs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Timers fire at once past 2^31-1 ms (about 24.8 days): a longer wait is this long, not none. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Go's time.Duration holds at most 2^63-1 ns (about 106751 days); kubectl refuses more. */
const MAX_GO_DURATION_MS = 9_223_372_036_854.775;

const KUBECTL_BAD_TIMEOUT =
  "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)";

/**
 * A timeout flag in ms: a Go duration ("1m30s", "1.5h", "500ms") or whole seconds, as kubectl
 * reads --request-timeout. 0 (or "") means no limit. Negative values and values Go cannot hold
 * are refused; anything longer than a timer can wait is capped there.
 */
export function parseDuration(raw: string, flag: string): number {
  const ms = durationMs(raw);
  if (ms === undefined || ms < 0) {
    if (flag === "--request-timeout") throw invalidInput(KUBECTL_BAD_TIMEOUT, `Got "${raw}" for --request-timeout; 0 waits as long as it takes.`);
    const why = ms === undefined ? `time: invalid duration "${raw}"` : "a timeout cannot be negative";
    throw invalidInput(`invalid argument "${raw}" for "${flag}" flag: ${why}`, "Use a duration such as 30s, 2m or 1h; 0 means no limit.");
  }
  // Round up: 1ns is a (very short) limit, not "no limit".
  return Math.min(Math.ceil(ms), MAX_TIMEOUT_MS);
}

/** The duration in ms, or undefined when it is not one (or beyond what Go can hold). */
function durationMs(raw: string): number | undefined {
  if (raw === "" || raw === "0") return 0;
  if (/^[0-9]+$/.test(raw)) return checked(Number(raw) * 1000);
  const m = /^([-+]?)((?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/.exec(raw);
  if (!m) return undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/([0-9.]+)([a-z\u00b5\u03bc]+)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  const ms = checked(total);
  return ms === undefined || m[1] !== "-" || ms === 0 ? ms : -ms;
}

const checked = (ms: number): number | undefined => (ms <= MAX_GO_DURATION_MS ? ms : undefined);
