// `datumctl apply -f`: client-side by default, as kubectl does it (GET; POST with the
// last-applied annotation when absent; otherwise a three-way JSON merge patch, or nothing when
// it is empty), or --server-side (an apply patch; then kubectl's move of the last-applied
// annotation and of client-side field ownership to server-side managers). Every manifest is
// parsed before anything is sent.
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { invalidInput } from "../errors";
import { whereError } from "../resources/paths";
import type { Output } from "../printers/index";
import { readManifests } from "../manifests/read";
import { goJson } from "../printers/go-json";
import { aggregate, Failed, type Failure, plainFailure, raise, ServerFailure, toFailure, withPrefix } from "./errors";
import { LAST_APPLIED_PATH, type ManagedFieldsEntry, ownersOf, upgradePatch } from "./fields";
import { LAST_APPLIED, originalConfiguration, withLastApplied } from "../manifests/last-applied";
import { type JsonMap, PatchPreconditionError, threeWayMergePatch } from "../manifests/merge-patch";
import { type DryRun, objectLine, printAll, printsObjects } from "./print";
import { applyPatch, createObject, type FieldValidation, getObject, jsonPatch, mergePatch, type WriteOptions } from "./requests";
import { checkMetadata, type Item, place } from "./targets";

/** kubectl's client-side apply manager: both tools can take turns on the same objects. */
export const CLIENT_SIDE_MANAGER = "kubectl-client-side-apply";
/** datumctl's own server-side apply manager (kubectl's is "kubectl"). */
export const SERVER_SIDE_MANAGER = "datumctl";
/** The manager that keeps the last-applied annotation once an object is applied server-side. */
const LAST_APPLIED_MANAGER = "kubectl-last-applied";
const MAX_PATCH_RETRIES = 5;

export interface ApplyOptions {
  files: string[];
  recursive: boolean;
  output?: Output;
  dryRun: DryRun;
  serverSide: boolean;
  forceConflicts: boolean;
  fieldManager?: string;
  validation: FieldValidation;
  showManagedFields: boolean;
  stdin?: () => Promise<string>;
}

interface Ctx {
  rt: Runtime;
  client: ApiClient;
  o: ApplyOptions;
  manager: string;
}

/** `Resource: "g/v, Resource=r", GroupVersionKind: "g/v, Kind=K"` and the name, as kubectl's Info prints. */
function describeItem(item: Item): string {
  const r = item.resource;
  return `Resource: "${r.group}/${r.version}, Resource=${r.resource}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: ${JSON.stringify(item.name)}, Namespace: ${JSON.stringify(item.namespace ?? "")}`;
}

async function clientSide(c: Ctx, item: Item): Promise<{ object: KubeObject; operation: string }> {
  const { o, client } = c;
  const writes: WriteOptions = { dryRun: o.dryRun === "server", fieldManager: c.manager, fieldValidation: o.validation };
  const modified = withLastApplied(item.object);
  let live: KubeObject;
  try {
    live = await getObject(client, item);
  } catch (e) {
    if (!(e instanceof ServerFailure)) throw e;
    if (!e.isNotFound) throw withPrefix(e, `error when retrieving current configuration of:\n${describeItem(item)}\nfrom server for: "${item.source}": `);
    if (o.dryRun === "client") return { object: modified, operation: "created" };
    try {
      return { object: await createObject(client, item, modified, writes), operation: "created" };
    } catch (err) {
      throw withPrefix(err, `error when creating "${item.source}": `);
    }
  }
  if (o.dryRun === "client") return { object: live, operation: "configured" };
  if (live.metadata?.annotations?.[LAST_APPLIED] === undefined) {
    c.rt.io.err(
      `Warning: resource ${item.resource.resource}/${item.name} is missing the ${LAST_APPLIED} annotation which is required by datumctl apply. datumctl apply should only be used on resources created declaratively by either datumctl create --save-config or datumctl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  let patch: Record<string, unknown>;
  try {
    patch = threeWayMergePatch(originalConfiguration(live), modified as unknown as JsonMap, live as unknown as JsonMap);
  } catch (e) {
    if (e instanceof PatchPreconditionError) {
      throw new Failed(
        plainFailure(`error when applying patch:\n\nto:\n${describeItem(item)}\nfor: "${item.source}": error when patching "${item.source}": ${e.message}`),
      );
    }
    throw new Failed(plainFailure(`error when creating patch "${item.source}": ${(e as Error).message}`));
  }
  if (Object.keys(patch).length === 0) return { object: live, operation: "unchanged" };
  try {
    return { object: await mergePatch(client, item, patch, writes), operation: "configured" };
  } catch (e) {
    throw withPrefix(
      e,
      `error when applying patch:\n${goJson(patch)}\nto:\n${describeItem(item)}\nfor: "${item.source}": error when patching "${item.source}": `,
    );
  }
}

const CONFLICT_ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

const managedFields = (obj: KubeObject) => (Array.isArray(obj.metadata?.managedFields) ? (obj.metadata.managedFields as ManagedFieldsEntry[]) : []);

/**
 * Keeps the last-applied annotation under a manager of its own, so the first server-side apply
 * does not drop it (and a later client-side apply still has its three-way base).
 */
async function saveLastApplied(c: Ctx, item: Item, obj: KubeObject): Promise<KubeObject> {
  const value = obj.metadata?.annotations?.[LAST_APPLIED];
  if (value === undefined || ownersOf(managedFields(obj), "Apply", LAST_APPLIED_PATH).length > 0) return obj;
  const metadata: Record<string, unknown> = { annotations: { [LAST_APPLIED]: value }, name: obj.metadata?.name };
  if (item.namespace !== undefined) metadata.namespace = obj.metadata?.namespace;
  const just: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  return applyPatch(c.client, item, just, { dryRun: c.o.dryRun === "server", fieldManager: LAST_APPLIED_MANAGER, fieldValidation: c.o.validation });
}

/** Hands client-side managers' fields to the server-side manager; undefined when nothing moved. */
async function migrate(c: Ctx, item: Item, obj: KubeObject): Promise<KubeObject | undefined> {
  let current = obj;
  let last: unknown;
  for (let i = 0; i < MAX_PATCH_RETRIES; i++) {
    const ops = upgradePatch(managedFields(current), current.metadata?.resourceVersion ?? "", c.manager);
    if (!ops) return undefined;
    try {
      return await jsonPatch(c.client, item, ops, { dryRun: c.o.dryRun === "server", fieldManager: c.manager, fieldValidation: c.o.validation });
    } catch (e) {
      if (!(e instanceof ServerFailure) || !e.isConflict) throw e;
      last = e;
      current = await getObject(c.client, item);
    }
  }
  throw last;
}

const messageOf = (e: unknown) => (e instanceof ServerFailure ? e.message : (e as Error).message);

async function serverSide(c: Ctx, item: Item): Promise<KubeObject> {
  const writes: WriteOptions = { dryRun: c.o.dryRun === "server", fieldManager: c.manager, fieldValidation: c.o.validation, force: c.o.forceConflicts };
  let obj: KubeObject;
  try {
    obj = await applyPatch(c.client, item, item.object, writes);
  } catch (e) {
    if (e instanceof ServerFailure && e.status.code === 415)
      throw new Failed(plainFailure(`Server-side apply not available on the server: (${e.message})`, "SERVER"));
    if (e instanceof ServerFailure && e.isConflict) throw new Failed(plainFailure(`${e.message}\n${CONFLICT_ADVICE}`, "CONFLICT"));
    throw e;
  }
  const err = (text: string) => c.rt.io.err(text);
  try {
    if (c.manager === SERVER_SIDE_MANAGER || c.manager === "kubectl") obj = await saveLastApplied(c, item, obj);
  } catch (e) {
    err(
      `Warning: failed to migrate ${LAST_APPLIED} for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${messageOf(e)}\n`,
    );
    return obj;
  }
  let migrated: KubeObject | undefined;
  try {
    migrated = await migrate(c, item, obj);
  } catch (e) {
    err(
      `Warning: server rejected managed fields migration to Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${messageOf(e)}\n`,
    );
    return obj;
  }
  if (!migrated) return obj;
  // Apply again, so fields the manifest dropped while client-side managers held them now go.
  try {
    return await applyPatch(c.client, item, item.object, writes);
  } catch (e) {
    err(
      `Warning: failed to re-apply configuration after performing Server-Side Apply migration. This is non-fatal and will be retried next time you apply. Error: ${messageOf(e)}\n`,
    );
    return migrated;
  }
}

export async function runApply(rt: Runtime, o: ApplyOptions): Promise<void> {
  if (o.forceConflicts && !o.serverSide) throw invalidInput("--force-conflicts only works with --server-side");
  if (o.serverSide && o.dryRun === "client") throw invalidInput("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  const manifests = await readManifests(rt, o.files, { recursive: o.recursive, verb: "apply", ...(o.stdin ? { stdin: o.stdin } : {}) });
  checkMetadata(manifests);
  const scoped = await scopedClient(rt);
  const placed = await place(rt, scoped, manifests);
  const c: Ctx = { rt, client: scoped.client, o, manager: o.fieldManager ?? (o.serverSide ? SERVER_SIDE_MANAGER : CLIENT_SIDE_MANAGER) };
  // A name or namespace that cannot be addressed fails the whole run before anything is sent,
  // in the words kubectl gives it (client-side apply reads the object first).
  for (const p of placed) {
    const bad = "item" in p && whereError(p.item.resource, p.item);
    if (!bad) continue;
    if (o.serverSide) throw bad;
    throw invalidInput(`error when retrieving current configuration of:\n${describeItem(p.item)}\nfrom server for: "${p.item.source}": ${bad.message}`);
  }

  // kubectl reports objects it could not place first (wrong namespace, then unknown kinds).
  const unplaced = [...placed.filter((p) => "failure" in p && p.kind === "namespace"), ...placed.filter((p) => "failure" in p && p.kind === "mapping")].map(
    (p) => (p as { failure: Failure }).failure,
  );
  const failures: Failure[] = [];
  const shown: KubeObject[] = [];
  for (const p of placed) {
    if (!("item" in p)) continue;
    try {
      if (o.serverSide) {
        const object = await serverSide(c, p.item);
        shown.push(object);
        if (!printsObjects(o.output)) rt.io.out(objectLine(object, "serverside-applied", o.dryRun, o.output));
      } else {
        const { object, operation } = await clientSide(c, p.item);
        shown.push(object);
        if (!printsObjects(o.output)) rt.io.out(objectLine(object, operation, o.dryRun, o.output));
      }
    } catch (e) {
      failures.push(toFailure(e));
    }
  }
  if (failures.length === 0) {
    raise(unplaced);
    if (printsObjects(o.output)) rt.io.out(await printAll(o.output!, shown, o.showManagedFields));
    return;
  }
  raise([...(unplaced.length ? [aggregate(unplaced)] : []), ...failures]);
}
