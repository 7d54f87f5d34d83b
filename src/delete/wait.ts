// delete --wait: after the DELETEs, each object is read once more; a 404 (or another object
// under the same name, with a new uid) means it is gone. One still there (finalizers, or a
// server that deletes in the background) is watched by name until the DELETED event or the
// timeout. A forbidden read ends the wait quietly, as kubectl's does.
import { watchEvents } from "../api/watch-stream";
import { readJson } from "../api/http";
import type { ApiClient } from "../api/client";
import type { KubeList, KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import type { ApiResource } from "../discovery/index";
import { DatumctlError, isDatumctlError } from "../errors";
import { resourcePath } from "../resources/paths";

export interface Deleted {
  resource: ApiResource;
  namespace?: string;
  name: string;
  /** The uid the DELETE answered with, to tell a re-created object from the old one. */
  uid?: string;
}

/** kubectl's "wait forever": a week. */
export const WAIT_FOREVER_MS = 168 * 3600_000;

const timedOut = (d: Deleted) =>
  new DatumctlError(`timed out waiting for the condition on ${d.resource.resource}/${d.name}`, { code: "TIMEOUT", retryable: true });

/** An event's object: the watched one, or a Status when the event is an ERROR. */
type Watched = (KubeObject & { message?: string; reason?: string }) | undefined;

/** Reads one watch stream; true once the object is reported deleted, false when the stream ends. */
async function watchUntilDeleted(rt: Runtime, client: ApiClient, d: Deleted, resourceVersion: string | undefined, signal: AbortSignal): Promise<boolean> {
  const params = new URLSearchParams({ watch: "1", fieldSelector: `metadata.name=${d.name}` });
  if (resourceVersion) params.set("resourceVersion", resourceVersion);
  const res = await client.call(`${resourcePath(d.resource, { namespace: d.namespace })}?${params}`, { signal });
  for await (const event of watchEvents<Watched>(res)) {
    if (event.type === "DELETED" && event.object?.metadata?.name === d.name) return true;
    if (event.type === "ERROR") rt.io.err(`error: An error occurred while waiting for the object to be deleted: ${event.object?.message ?? "unknown error"}\n`);
  }
  return false;
}

async function waitOne(rt: Runtime, client: ApiClient, d: Deleted, deadline: number): Promise<void> {
  const path = resourcePath(d.resource, { namespace: d.namespace, name: d.name });
  const first = await client.call(path, { allow: [404] });
  if (first.status === 404) return;
  const obj = (await readJson(first)) as KubeObject;
  if (d.uid && obj.metadata?.uid && obj.metadata.uid !== d.uid) return;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut(d);
    const signal = AbortSignal.timeout(remaining);
    try {
      const params = new URLSearchParams({ fieldSelector: `metadata.name=${d.name}` });
      const list = await client.get<KubeList>(`${resourcePath(d.resource, { namespace: d.namespace })}?${params}`, { signal });
      if (!(list.items ?? []).some((o) => o.metadata?.name === d.name && (!d.uid || !o.metadata?.uid || o.metadata.uid === d.uid))) return;
      if (await watchUntilDeleted(rt, client, d, list.metadata?.resourceVersion, signal)) return;
    } catch (e) {
      if (Date.now() >= deadline || signal.aborted) throw timedOut(d);
      throw e;
    }
  }
}

/** Waits until every object is gone; throws TIMEOUT at the deadline. */
export async function waitForDeletion(rt: Runtime, client: ApiClient, deleted: Deleted[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + (timeoutMs > 0 ? timeoutMs : WAIT_FOREVER_MS);
  try {
    for (const d of deleted) await waitOne(rt, client, d, deadline);
  } catch (e) {
    // Not allowed to read, or the type cannot be read back: nothing to wait with.
    if (isDatumctlError(e) && (e.code === "FORBIDDEN" || /MethodNotAllowed/.test(e.human ?? ""))) return;
    throw e;
  }
}
