// "No such resource type" in the user's terms: which control plane they are in, and — when the
// type is served in another plane they can reach (DNS zones live in projects) — how to switch.
import { DatumctlError } from "../errors";
import type { Scope } from "../scope/resolve";
import { resolveIn } from "./mapper";
import type { ApiSurface } from "./model";

/** Another control plane the session can reach, and how a user gets there. */
export interface OtherPlane<T> {
  kind: "organization" | "project";
  /** What `datumctl ctx use` takes: `<org>` or `<org>/<project>`. */
  context: string;
  /** The flag that reaches it for one command, e.g. `--project web`. */
  flag: string;
  target: T;
}

export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case "project":
      return `project ${scope.organization ? `${scope.organization}/` : ""}${scope.project}`;
    case "organization":
      return `organization ${scope.organization}`;
    case "user":
      return "your own user control plane (no organization or project chosen)";
    case "platform":
      return "the platform root";
  }
}

/**
 * The NOT_FOUND error for `arg`, with a hint that names the current scope and, when one of
 * `others` serves the type, how to switch there. `surfaceOf` failing just skips that plane.
 */
export async function notServedHere<T>(
  notFound: DatumctlError,
  arg: string,
  scope: Scope,
  others: OtherPlane<T>[],
  surfaceOf: (target: T) => Promise<ApiSurface>,
): Promise<DatumctlError> {
  const here = describeScope(scope);
  for (const other of others) {
    try {
      resolveIn(await surfaceOf(other.target), arg);
    } catch {
      continue;
    }
    return new DatumctlError(notFound.message, {
      code: "NOT_FOUND",
      hint: `The current scope is ${here}; "${arg}" is served in ${other.kind}s. Switch with 'datumctl ctx use ${other.context}', or add ${other.flag}.`,
    });
  }
  return new DatumctlError(notFound.message, {
    code: "NOT_FOUND",
    hint: `The current scope is ${here}. Run 'datumctl api-resources' to see the resource types it serves.`,
  });
}
