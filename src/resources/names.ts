// What may become a segment of a request path. A name that is empty, "." or "..", or that holds
// "/" or "%", addresses another path than the one meant: `DELETE …/dnszones/.` is a DELETE of
// every zone in the namespace, and ".." climbs further. kubectl's client refuses such names and
// namespaces with the words below (apimachinery's path-segment check); every path we build
// passes the same check (resources/paths.ts, resources/scope-urls.ts), and commands run it early too.
// Project and organization IDs are stricter: scope/ids.ts.
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
    throw new DatumctlError(`the session's user id ${goQuote(subject)} cannot be used in a request path`, {
      code: "AUTH_REQUIRED",
      hint: "Run 'datumctl login' again.",
    });
  }
}
