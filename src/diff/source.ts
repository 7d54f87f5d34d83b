// kubectl names the manifest an error came from: `error when deleting "zones.yaml": …` for
// server errors about a -f object, and `resource mapping not found … from "zones.yaml"` for a
// kind the server does not serve. Shared by delete and diff (and apply, if it wants them).
import type { Runtime } from "../cli/command";
import { DatumctlError, isDatumctlError } from "../errors";
import type { Manifest } from "../manifests/read";

/** A server error about an object read from `source`, in kubectl's `error when <verb> "<source>"` form. */
export function errorFromSource(e: unknown, verb: string, source: string | undefined): unknown {
  if (!source || !isDatumctlError(e) || !e.human?.startsWith("Error from server")) return e;
  const human = e.human.replace(/^(Error from server(?: \([^)]*\))?: )/, `$1error when ${verb} "${source}": `);
  return new DatumctlError(`error when ${verb} "${source}": ${e.message}`, { code: e.code, hint: e.hint, retryable: e.retryable, details: e.details, human, exitCode: e.exitCode, cause: e });
}

/**
 * resourceFor's "resource mapping not found" names the object's apiVersion where kubectl names
 * the manifest it was read from; put the manifest in.
 */
export function mappingErrorFromSource(e: unknown, apiVersion: string | undefined, source: string): unknown {
  if (!isDatumctlError(e) || !e.message.startsWith("resource mapping not found")) return e;
  const message = e.message.replace(` from "${apiVersion ?? ""}": `, ` from "${source}": `);
  return new DatumctlError(message, { code: e.code, hint: e.hint, retryable: e.retryable, details: e.details, exitCode: e.exitCode, cause: e });
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
