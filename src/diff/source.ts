// kubectl names the manifest an error came from: `error when deleting "zones.yaml": …` for
// server errors about a -f object. Shared by delete and diff (and apply, if it wants them).
import type { Runtime } from "../runtime";
import { DatumctlError, isDatumctlError } from "../errors";
import type { Manifest } from "../manifests/read";

/** A server error about an object read from `source`, in kubectl's `error when <verb> "<source>"` form. */
export function errorFromSource(e: unknown, verb: string, source: string | undefined): unknown {
  if (!source || !isDatumctlError(e) || !e.human?.startsWith("Error from server")) return e;
  const human = e.human.replace(/^(Error from server(?: \([^)]*\))?: )/, `$1error when ${verb} "${source}": `);
  return new DatumctlError(`error when ${verb} "${source}": ${e.message}`, {
    code: e.code,
    hint: e.hint,
    retryable: e.retryable,
    details: e.details,
    human,
    exitCode: e.exitCode,
    cause: e,
  });
}

/**
 * readManifests, except that files holding no objects are not an error: kubectl's diff then
 * finds no differences, its delete "No resources found", its edit nothing to edit.
 */
export async function manifestsOrNone(
  rt: Runtime,
  files: string[],
  opts: { recursive: boolean; verb: string; stdin?: () => Promise<string> },
): Promise<Manifest[]> {
  const { readManifests } = await import("../manifests/read");
  try {
    return await readManifests(rt, files, opts);
  } catch (e) {
    if (isDatumctlError(e) && e.code === "INVALID_INPUT" && e.message === `no objects passed to ${opts.verb}`) return [];
    throw e;
  }
}
