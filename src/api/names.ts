// What may become a segment of a request path. A name that is empty, "." or "..", or that holds
// "/" or "%", addresses another path than the one meant: `DELETE …/dnszones/.` is a DELETE of
// every zone in the namespace, and ".." climbs further. kubectl's client refuses such names and
// namespaces with the words below (apimachinery's path-segment check); every path we build
// passes the same check (get/paths.ts, api/scope-urls.ts), and commands run it early too.
// Project and organization IDs are stricter: they must be object names, and an empty one is
// refused rather than read as "not given" (it would fall back to the current context).
import { DatumctlError, invalidInput } from "../errors";
import { goQuote } from "../printers/go-strconv";

const MAY_NOT_BE = [".", ".."];
const MAY_NOT_CONTAIN = ["/", "%"];

/** Why `s` cannot be a path segment (none: it can); "" is left to the caller. */
function segmentProblems(s: string): string[] {
  if (MAY_NOT_BE.includes(s)) return [`may not be '${s}'`];
  return MAY_NOT_CONTAIN.filter((c) => s.includes(c)).map((c) => `may not contain '${c}'`);
}

/** `[a b]`, as Go prints a []string. */
const goList = (items: string[]) => `[${items.join(" ")}]`;

/** kubectl's error for an object name that cannot be addressed, or undefined. */
export function nameError(name: string): DatumctlError | undefined {
  if (name === "") return invalidInput("resource name may not be empty");
  const problems = segmentProblems(name);
  return problems.length ? invalidInput(`invalid resource name ${goQuote(name)}: ${goList(problems)}`) : undefined;
}

/**
 * kubectl's error for a namespace that cannot be addressed, or undefined. "" is refused too: a
 * namespaced path without its namespace would be every namespace's (callers mean "none" by undefined).
 */
export function namespaceError(namespace: string): DatumctlError | undefined {
  if (namespace === "") return invalidInput("namespace may not be empty");
  const problems = segmentProblems(namespace);
  return problems.length ? invalidInput(`invalid namespace ${goQuote(namespace)}: ${goList(problems)}`) : undefined;
}

/** A user's subject as it goes into the user control plane's path. */
export function checkSubject(subject: string): void {
  if (subject === "" || segmentProblems(subject).length) {
    throw new DatumctlError(`the session's user id ${goQuote(subject)} cannot be used in a request path`, { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' again." });
  }
}

// An RFC 1123 subdomain, as Milo requires of project and organization names.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MAX = 253;

export type ScopeKind = "project" | "organization";

/**
 * Refuses a project or organization ID that is empty or not an object name. `from` says where it
 * came from (`--project`, `DATUM_PROJECT`, the current context) for the message.
 */
export function checkScopeId(kind: ScopeKind, id: string, from?: string): void {
  const ids = `${kind === "project" ? "Project" : "Organization"} IDs`;
  const list = `'datumctl get ${kind}s' lists them`;
  const flag = from?.startsWith("--");
  if (id === "") {
    const said = !from ? `the ${kind} ID is empty` : flag ? `${from} may not be empty` : `${from} is set but empty`;
    const fix = !from ? `Run 'datumctl ctx use' to pick a context again.` : flag ? `Pass one (${list}), or leave ${from} out.` : `Set it to one (${list}), or unset it.`;
    throw new DatumctlError(said, { code: "INVALID_INPUT", hint: `An empty ${kind} ID would fall back to the current context, so it is refused. ${fix}` });
  }
  if (id.length > SUBDOMAIN_MAX || !SUBDOMAIN.test(id)) {
    throw new DatumctlError(`invalid ${kind} ID ${goQuote(id)}${from ? ` in ${from}` : ""}`, {
      code: "INVALID_INPUT",
      hint: `${ids} are lowercase letters, digits, '-' and '.', start and end with a letter or digit, and are at most ${SUBDOMAIN_MAX} characters; ${list}.`,
    });
  }
}
