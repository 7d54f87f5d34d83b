// The requests create and apply send, with kubectl's query parameters (dryRun, fieldManager,
// fieldValidation, force) and bodies encoded as Go encodes them. Error replies become
// ServerFailures so the caller can word them as kubectl does.
import { readJson } from "../api/http";
import type { ApiClient } from "../api/client";
import type { KubeObject } from "../api/types";
import type { ApiResource } from "../discovery/index";
import { resourcePath } from "../resources/paths";
import { serverFailure } from "./errors";
import { goEncode } from "../manifests/last-applied";
import { goJson } from "../printers/go-json";

/** Every error status: the reply is read here, not by the client. */
const ERRORS = Array.from({ length: 200 }, (_, i) => 400 + i);

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Server-side apply only: take fields other managers own. */
  force?: boolean;
}

function query(o: WriteOptions): string {
  const q = new URLSearchParams();
  if (o.dryRun) q.set("dryRun", "All");
  if (o.fieldManager) q.set("fieldManager", o.fieldManager);
  if (o.fieldValidation) q.set("fieldValidation", o.fieldValidation);
  if (o.force !== undefined) q.set("force", String(o.force));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Where an object lives: its resource, namespace and name. */
export interface Target {
  resource: ApiResource;
  namespace?: string;
  name: string;
}

async function send(client: ApiClient, path: string, init: { method: string; body?: string; contentType?: string }): Promise<KubeObject> {
  const res = await client.call(path, {
    method: init.method,
    body: init.body,
    headers: init.contentType ? { "content-type": init.contentType } : undefined,
    allow: ERRORS,
  });
  if (!res.ok) throw await serverFailure(res, client.url(path));
  return (await readJson(res)) as KubeObject;
}

export const getObject = (client: ApiClient, t: Target) => send(client, resourcePath(t.resource, { namespace: t.namespace, name: t.name }), { method: "GET" });

export const createObject = (client: ApiClient, t: Target, obj: KubeObject, o: WriteOptions) =>
  send(client, resourcePath(t.resource, { namespace: t.namespace }) + query(o), { method: "POST", body: goEncode(obj), contentType: "application/json" });

export const mergePatch = (client: ApiClient, t: Target, patch: unknown, o: WriteOptions) =>
  send(client, resourcePath(t.resource, t) + query(o), { method: "PATCH", body: goJson(patch), contentType: "application/merge-patch+json" });

export const jsonPatch = (client: ApiClient, t: Target, ops: unknown[], o: WriteOptions) =>
  send(client, resourcePath(t.resource, t) + query(o), { method: "PATCH", body: JSON.stringify(ops), contentType: "application/json-patch+json" });

/** Server-side apply; the body is JSON, which is YAML too. */
export const applyPatch = (client: ApiClient, t: Target, obj: KubeObject, o: WriteOptions) =>
  send(client, resourcePath(t.resource, t) + query(o), { method: "PATCH", body: goEncode(obj), contentType: "application/apply-patch+yaml" });
