// `datumctl diff -f`: each manifest's live object next to what the server says it would become
// (a dry run of the request apply would send), both as YAML in two temp directories, LIVE-*
// and MERGED-*, one file per object named group.version.Kind.namespace.name; then a unified
// diff of the two. Exit 0: same; 1: different; 2: anything went wrong (nothing is printed
// then, as kubectl prints nothing).
import { readJson } from "../api/http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import type { ApiResource } from "../discovery/index";
import { invalidInput, isDatumctlError } from "../errors";
import { resourcePath, whereError } from "../resources/paths";
import { namespaceFor, resourceFor } from "../manifests/resource";
import { goJson } from "../printers/go-json";
import { goYaml } from "../printers/yaml";
import { originalConfiguration, withoutLastApplied } from "../manifests/last-applied";
import { isMap, type JsonMap, PatchPreconditionError, threeWayMergePatch } from "../manifests/merge-patch";
import { runDiffProgram } from "./program";
import { errorFromSource, manifestsOrNone } from "./source";

export interface DiffOptions {
  files: string[];
  recursive: boolean;
  labelSelector?: string;
  serverSide: boolean;
  forceConflicts: boolean;
  /** Defaults: kubectl-client-side-apply, or kubectl with --server-side (kubectl's managers). */
  fieldManager?: string;
  showManagedFields: boolean;
  /** Reads all of standard input (injected for tests). */
  stdin?: () => Promise<string>;
}

/** How often a diff is retried when the object changes under it; the last try takes no lock. */
const MAX_TRIES = 4;

/** `dns.networking.miloapis.com.v1alpha1.DNSZone.default.example-com`, as kubectl names the files. */
export function diffFileName(r: Pick<ApiResource, "group" | "version" | "kind">, namespace: string | undefined, name: string): string {
  return `${r.group ? `${r.group}.` : ""}${r.version}.${r.kind}.${namespace ?? ""}.${name}`;
}

/** kubectl shows Secrets' data as asterisks, marking values that change. */
function maskSecret(from: KubeObject | undefined, to: KubeObject): [KubeObject | undefined, KubeObject] {
  if (to.apiVersion !== "v1" || to.kind !== "Secret") return [from, to];
  const a = isMap(from?.data) ? { ...(from!.data as JsonMap) } : undefined;
  const b = isMap(to.data) ? { ...(to.data as JsonMap) } : undefined;
  for (const k of Object.keys(a ?? {})) {
    if (b && Object.hasOwn(b, k)) {
      if (a![k] !== b[k]) {
        a![k] = "*** (before)";
        b[k] = "*** (after)";
        continue;
      }
      b[k] = "***";
    }
    a![k] = "***";
  }
  for (const k of Object.keys(b ?? {})) if (!a || !Object.hasOwn(a, k)) b![k] = "***";
  return [from && a ? { ...from, data: a } : from, b ? { ...to, data: b } : to];
}

function withoutManagedFieldsUnless(keep: boolean, obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj || keep || !obj.metadata || !("managedFields" in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

interface Target {
  client: ApiClient;
  resource: ApiResource;
  namespace?: string;
  name: string;
  source: string;
  /** The manifest, with the namespace it goes to filled in. */
  local: KubeObject;
}

const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

async function getLive(t: Target): Promise<KubeObject | undefined> {
  const res = await t.client.call(resourcePath(t.resource, { namespace: t.namespace, name: t.name }), { allow: [404] });
  return res.status === 404 ? undefined : ((await readJson(res)) as KubeObject);
}

/** What the object would be after apply: the server's answer to a dry run of apply's request. */
async function merged(t: Target, live: KubeObject | undefined, opts: DiffOptions, force: boolean): Promise<KubeObject> {
  const path = resourcePath(t.resource, { namespace: t.namespace, name: t.name });
  if (opts.serverSide) {
    const params = { dryRun: "All", fieldManager: opts.fieldManager ?? "kubectl", force: String(opts.forceConflicts) };
    return t.client.get<KubeObject>(path + query(params), {
      method: "PATCH",
      body: `${goJson(t.local)}\n`,
      headers: { "content-type": "application/apply-patch+yaml" },
    });
  }
  const fieldManager = opts.fieldManager ?? "kubectl-client-side-apply";
  if (!live) {
    const res = await t.client.call(resourcePath(t.resource, { namespace: t.namespace }) + query({ dryRun: "All", fieldManager }), {
      method: "POST",
      body: `${goJson(t.local)}\n`,
      headers: { "content-type": "application/json" },
    });
    return (await readJson(res)) as KubeObject;
  }
  let patch: JsonMap;
  try {
    patch = threeWayMergePatch(originalConfiguration(live), withoutLastApplied(t.local) as JsonMap, live as JsonMap);
  } catch (e) {
    if (e instanceof PatchPreconditionError) throw invalidInput(e.message);
    throw e;
  }
  // Nothing to change: apply would send nothing, so the live object is what it would be.
  if (Object.keys(patch).length === 0) return live;
  if (!force) {
    const metadata = isMap(patch.metadata) ? patch.metadata : {};
    patch = { ...patch, metadata: { ...metadata, resourceVersion: live.metadata?.resourceVersion ?? "" } };
  }
  try {
    return await t.client.get<KubeObject>(path + query({ dryRun: "All", fieldManager }), {
      method: "PATCH",
      body: goJson(patch),
      headers: { "content-type": "application/merge-patch+json" },
    });
  } catch (e) {
    throw errorFromSource(e, "patching", t.source);
  }
}

export async function runDiff(rt: Runtime, opts: DiffOptions): Promise<0 | 1> {
  if (opts.files.length === 0) throw invalidInput("must specify one of -f and -k", "For example: datumctl diff -f ./zone.yaml");
  if (opts.forceConflicts && !opts.serverSide) throw invalidInput("--force-conflicts only works with --server-side");
  let manifests = await manifestsOrNone(rt, opts.files, { recursive: opts.recursive, verb: "diff", stdin: opts.stdin });
  if (opts.labelSelector?.trim()) {
    const { labelMatcher } = await import("./selector");
    const matches = labelMatcher(opts.labelSelector);
    manifests = manifests.filter((m) => matches(m.object.metadata?.labels));
  }
  const scoped = await scopedClient(rt);
  // Map every object before reading any live state, so a bad manifest fails the whole run.
  const targets: Target[] = [];
  for (const m of manifests) {
    const resource = await resourceFor(rt, scoped, m.object, m.source);
    const namespace = namespaceFor(rt, scoped, resource, m.object);
    const local = structuredClone(m.object);
    if (namespace) local.metadata = { ...local.metadata, namespace };
    const target = { client: scoped.client, resource, namespace, name: m.object.metadata?.name ?? "", source: m.source, local };
    const bad = whereError(resource, target);
    if (bad) throw bad;
    targets.push(target);
  }

  const liveDir = mkdtempSync(join(tmpdir(), "LIVE-"));
  const mergedDir = mkdtempSync(join(tmpdir(), "MERGED-"));
  try {
    for (const t of targets) {
      let live: KubeObject | undefined;
      let after: KubeObject | undefined;
      for (let attempt = 1; ; attempt++) {
        live = await getLive(t);
        try {
          after = await merged(t, live, opts, attempt === MAX_TRIES);
          break;
        } catch (e) {
          if (attempt === MAX_TRIES || !isDatumctlError(e) || e.code !== "CONFLICT" || !live) throw e;
        }
      }
      if (live?.metadata?.deletionTimestamp) rt.io.err(`Warning: Detected changes to resource ${t.name} which is currently being deleted.\n`);
      const [from, to] = maskSecret(withoutManagedFieldsUnless(opts.showManagedFields, live), withoutManagedFieldsUnless(opts.showManagedFields, after)!);
      const file = diffFileName(t.resource, t.namespace, t.name);
      writeFileSync(join(liveDir, file), from ? await goYaml(from) : "", { mode: 0o600 });
      writeFileSync(join(mergedDir, file), await goYaml(to), { mode: 0o600 });
    }
    return await runDiffProgram(rt, liveDir, mergedDir);
  } finally {
    rmSync(liveDir, { recursive: true, force: true });
    rmSync(mergedDir, { recursive: true, force: true });
  }
}
