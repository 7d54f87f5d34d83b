// `datumctl edit`: the objects as YAML (or JSON) under kubectl's header in the user's editor;
// on save, a JSON merge patch per changed object carrying the resourceVersion that was edited
// (so a change made meanwhile by someone else is a conflict, never overwritten). A save the
// server rejects as invalid, or that does not parse, reopens the editor with the reasons as
// comments. Whatever else goes wrong after the user typed something, the edited file is kept
// and its path printed: an edit is never lost. Never prompts.
import { MISSING_RESOURCES } from "../delete/index";
import { kindPrefix } from "../resources/paths";
import { rmSync } from "node:fs";
import type { ApiClient } from "../api/client";
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import { createMergePatch, checkIdentityUnchanged, isMap, jsonEqual, type JsonMap, PatchPreconditionError } from "../manifests/merge-patch";
import { type ApiResource, resolveResource } from "../discovery/index";
import { DatumctlError, invalidInput, isDatumctlError } from "../errors";
import { getOne, listObjects } from "../resources/fetch";
import { groupResource, resourcePath, whereError } from "../resources/paths";
import { parseGetArgs } from "../resources/requests";
import { goJson } from "../printers/go-json";
import { parseDataOutput } from "../printers/index";
import { printDocument, withoutManagedFields } from "../printers/objects";
import { hasLines, header, manualStrip, type Reason, stripComments } from "./buffer";
import { chooseEditor, editTempFile } from "./editor";

export interface EditOptions {
  args: string[];
  files: string[];
  recursive: boolean;
  /** -o: yaml or json. */
  output: string;
  outputPatch: boolean;
  fieldManager: string;
  /** fieldValidation sent with the patch. */
  validation: "Strict" | "Warn" | "Ignore";
  showManagedFields: boolean;
  /** Reads all of standard input (for -f -; injected for tests). */
  stdin?: () => Promise<string>;
}

interface Original {
  resource: ApiResource;
  /** As the server returned it. */
  live: KubeObject;
  /** As shown in the editor (managedFields left out unless asked for). */
  shown: KubeObject;
}

/** kubectl's "A copy of your changes has been stored to …" before the error itself. */
function preserved(path: string | undefined, e: DatumctlError): DatumctlError {
  if (!path) return e;
  return new DatumctlError(e.message, {
    code: e.code,
    retryable: e.retryable,
    details: e.details,
    exitCode: e.exitCode,
    human: `A copy of your changes has been stored to "${path}"\n${e.human ?? `error: ${e.message}`}`,
    hint: e.hint,
    cause: e,
  });
}

async function fetchOriginals(rt: Runtime, opts: EditOptions): Promise<{ originals: Original[]; client: ApiClient; namespace: string }> {
  const scoped = await scopedClient(rt);
  const out: { resource: ApiResource; live: KubeObject }[] = [];
  const errors: DatumctlError[] = [];
  const collect = async (resource: ApiResource, fetch: () => Promise<KubeObject[]>) => {
    try {
      for (const live of await fetch()) out.push({ resource, live });
    } catch (e) {
      if (!isDatumctlError(e)) throw e;
      errors.push(e);
    }
  };
  if (opts.files.length) {
    if (opts.args.length) throw invalidInput("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well");
    const { namespaceFor, resourceFor } = await import("../manifests/resource");
    const { manifestsOrNone } = await import("../diff/source");
    for (const m of await manifestsOrNone(rt, opts.files, { recursive: opts.recursive, verb: "edit", stdin: opts.stdin })) {
      const resource = await resourceFor(rt, scoped, m.object, m.source);
      const namespace = namespaceFor(rt, scoped, resource, m.object);
      const name = m.object.metadata?.name ?? "";
      const bad = whereError(resource, { namespace, name });
      if (bad) throw bad;
      await collect(resource, async () => [await getOne<KubeObject>(scoped.client, resource, name, namespace, false)]);
    }
  } else {
    if (opts.args.length === 0) throw invalidInput(MISSING_RESOURCES);
    for (const req of parseGetArgs(opts.args, "datumctl edit")) {
      for (const resource of await resolveResource(rt, scoped, req.type)) {
        const namespace = resource.namespaced ? scoped.namespace : undefined;
        // A type alone edits every object of it, as kubectl does.
        if (req.names.length === 0) await collect(resource, async () => (await listObjects(scoped.client, resource, { namespace, chunkSize: 500 })).items);
        for (const name of req.names) await collect(resource, async () => [await getOne<KubeObject>(scoped.client, resource, name, namespace, false)]);
      }
    }
  }
  const last = errors.pop();
  if (last) {
    for (const e of errors) rt.io.err(`${e.human ?? `error: ${e.message}`}\n`);
    throw last;
  }
  const originals = out.map(({ resource, live }) => ({ resource, live, shown: opts.showManagedFields ? live : withoutManagedFields(live) }));
  return { originals, client: scoped.client, namespace: scoped.namespace };
}

async function render(originals: Original[], format: "json" | "yaml"): Promise<string> {
  const shown = originals.length === 1 ? originals[0]!.shown : { apiVersion: "v1", items: originals.map((o) => o.shown), kind: "List", metadata: {} };
  return printDocument(format, shown);
}

interface Outcome {
  /** Objects the server refused as invalid: reopen with these reasons. */
  reasons: Reason[];
  /** Failures reopening cannot fix (conflicts, permissions, …). */
  failed: DatumctlError[];
  notFound: DatumctlError[];
}

interface ServerStatus {
  reason?: string;
  message?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

async function patchOne(rt: Runtime, client: ApiClient, opts: EditOptions, original: Original, edited: KubeObject, outcome: Outcome): Promise<void> {
  const { resource } = original;
  const name = original.live.metadata?.name ?? "";
  const gr = groupResource(resource);
  const before = original.shown as JsonMap;
  const after = (opts.showManagedFields ? edited : withoutManagedFields(edited)) as JsonMap;
  if (jsonEqual(before, after)) {
    rt.io.out(`${kindPrefix(resource)}/${name} skipped\n`);
    return;
  }
  let patch = createMergePatch(before, after);
  try {
    checkIdentityUnchanged(patch);
  } catch (e) {
    if (e instanceof PatchPreconditionError) throw invalidInput(e.message);
    throw e;
  }
  // The precondition: the patch applies only to the version that was edited.
  const metadata = isMap(patch.metadata) ? patch.metadata : {};
  if (!Object.hasOwn(metadata, "resourceVersion") && original.live.metadata?.resourceVersion) {
    patch = { ...patch, metadata: { ...metadata, resourceVersion: original.live.metadata.resourceVersion } };
  }
  const body = goJson(patch);
  if (opts.outputPatch) rt.io.out(`Patch: ${body}\n`);
  const params = new URLSearchParams({ fieldManager: opts.fieldManager, fieldValidation: opts.validation });
  const namespace = resource.namespaced ? original.live.metadata?.namespace : undefined;
  let res: Response;
  try {
    res = await client.call(`${resourcePath(resource, { namespace, name })}?${params}`, {
      method: "PATCH",
      body,
      headers: { "content-type": "application/merge-patch+json" },
      allow: [400, 422],
    });
  } catch (e) {
    if (!isDatumctlError(e)) throw e;
    if (e.code === "NOT_FOUND") {
      rt.io.err(`error: ${gr} "${name}" could not be found on the server\n`);
      outcome.notFound.push(e);
    } else {
      rt.io.err(`error: ${gr} "${name}" could not be patched: ${e.message}\n`);
      outcome.failed.push(e);
    }
    return;
  }
  if (res.status === 400 || res.status === 422) {
    // Something the user can fix in the file: say what, and open it again.
    const status = (await res.json().catch(() => ({}))) as ServerStatus;
    const causes = (status.details?.causes ?? []).map((c) => `${c.field ?? ""}: ${c.message ?? ""}`);
    outcome.reasons.push({
      head: `${gr} "${name}" was not valid`,
      other: causes.length ? causes : [status.message ?? `the server answered HTTP ${res.status}`],
    });
    rt.io.err(`error: ${gr} "${name}" is invalid\n`);
    return;
  }
  rt.io.out(`${kindPrefix(resource)}/${name} edited\n`);
}

export async function runEdit(rt: Runtime, opts: EditOptions): Promise<void> {
  const format = parseDataOutput(opts.output) ?? "yaml";
  const editor = chooseEditor(rt.env);
  const { originals, client, namespace } = await fetchOriginals(rt, opts);
  if (originals.length === 0) throw new DatumctlError("edit cancelled, no objects found", { code: "NOT_FOUND" });
  const suffix = format === "json" ? ".json" : ".yaml";
  // kubectl heads YAML with its comment and leaves JSON bare; reasons for reopening are shown
  // as comments in both (kubectl shows none in JSON, leaving the user to guess).
  const original = (format === "json" ? "" : header([])) + (await render(originals, format));
  const originalStripped = await stripComments(original);

  let reasons: Reason[] = [];
  /** The user's last save, when it has to be reopened. */
  let reopen: string | undefined;
  /** The file holding the user's last save, kept until a later save supersedes it. */
  let kept: string | undefined;
  for (;;) {
    const buffer = reopen === undefined ? original : header(reasons) + manualStrip(reopen);
    let edited: { text: string; path: string };
    try {
      edited = await editTempFile(rt, editor, "datumctl-edit-", suffix, buffer);
    } catch (e) {
      throw isDatumctlError(e) ? preserved(kept, e) : e;
    }
    const { text, path } = edited;
    if (reopen !== undefined && (await stripComments(reopen)) === (await stripComments(text))) {
      if (kept) rmSync(kept, { force: true });
      throw preserved(path, new DatumctlError("Edit cancelled, no valid changes were saved.", { code: "INVALID_INPUT" }));
    }
    if (kept) rmSync(kept, { force: true });
    kept = path;
    if ((await stripComments(text)) === originalStripped) {
      rmSync(path, { force: true });
      rt.io.err("Edit cancelled, no changes made.\n");
      return;
    }
    if (!hasLines(text)) {
      rmSync(path, { force: true });
      rt.io.err("Edit cancelled, saved file was empty.\n");
      return;
    }

    const { parseManifests } = await import("../manifests/read");
    let objects: KubeObject[];
    try {
      objects = (await parseManifests(text, "edited file")).map((m) => m.object);
    } catch (e) {
      if (!isDatumctlError(e)) throw e;
      reasons = [{ head: `The edited file had a syntax error: ${e.message}`, other: [] }];
      reopen = text;
      continue;
    }

    const outcome: Outcome = { reasons: [], failed: [], notFound: [] };
    for (const obj of objects) {
      const uid = obj.metadata?.uid;
      const match = originals.find((o) => o.live.metadata?.uid === uid);
      if (!uid || !match)
        throw preserved(path, invalidInput(`no original object found for ${obj.kind ?? "object"} "${obj.metadata?.name ?? ""}": keep metadata.uid as it was`));
      if (match.resource.namespaced) {
        const ns = obj.metadata?.namespace;
        if (!ns) obj.metadata = { ...obj.metadata, namespace };
        else if (ns !== namespace) {
          throw preserved(
            path,
            invalidInput(
              `the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
            ),
          );
        }
      }
      try {
        await patchOne(rt, client, opts, match, obj, outcome);
      } catch (e) {
        throw isDatumctlError(e) ? preserved(path, e) : e;
      }
    }

    if (outcome.failed.length) {
      const first = outcome.failed[0]!;
      throw new DatumctlError(`the edit was not applied: ${first.message}`, {
        code: first.code,
        retryable: first.retryable,
        human: `A copy of your changes has been stored to "${path}"`,
        hint: first.code === "CONFLICT" ? "The object changed while you edited it: edit it again and carry your changes over from that file." : undefined,
        details: `your edit is saved in ${path}`,
      });
    }
    if (outcome.notFound.length) {
      throw new DatumctlError(`the edited object no longer exists; your edit is saved in ${path}`, {
        code: "NOT_FOUND",
        human: `The edits you made on deleted resources have been saved to "${path}"`,
      });
    }
    if (outcome.reasons.length === 0) {
      rmSync(path, { force: true });
      return;
    }
    reasons = outcome.reasons;
    reopen = text;
  }
}
