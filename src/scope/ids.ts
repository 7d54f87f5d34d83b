// Project and organization IDs, wherever they come from (flags, variables, the context): they
// must be object names, so no scope path can be escaped ("..", "a/b"), and an empty one is
// refused rather than read as "not given", which would fall back to the current context (an
// unset $P in `--project "$P"` must never delete from another project). Kept apart from
// resources/names.ts so that reading the global flags stays small.
import { DatumctlError } from "../errors";

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
    const fix = !from
      ? `Run 'datumctl ctx use' to pick a context again.`
      : flag
        ? `Pass one (${list}), or leave ${from} out.`
        : `Set it to one (${list}), or unset it.`;
    throw new DatumctlError(said, { code: "INVALID_INPUT", hint: `An empty ${kind} ID would fall back to the current context, so it is refused. ${fix}` });
  }
  if (id.length > SUBDOMAIN_MAX || !SUBDOMAIN.test(id)) {
    throw new DatumctlError(`invalid ${kind} ID ${JSON.stringify(id)}${from ? ` in ${from}` : ""}`, {
      code: "INVALID_INPUT",
      hint: `${ids} are lowercase letters, digits, '-' and '.', start and end with a letter or digit, and are at most ${SUBDOMAIN_MAX} characters; ${list}.`,
    });
  }
}
