// The per-request context every handler receives, and small helpers over it.
import type { Grant } from "./authz";
import type { Binding, Plane, Planes } from "./planes";
import { badRequest } from "./status";
import type { Obj, ResourceType, Subject } from "./types";
import { parse as parseYaml } from "yaml";

export interface Ctx {
  planes: Planes;
  plane: Plane;
  subject: Subject;
  grant: Grant | undefined;
  req: Request;
  url: URL;
  body: Uint8Array;
  now: () => Date;
  warnings: string[];
  /** Runs when the server closes or a test ends the watches, to end open watch streams. */
  onClose: (fn: (how: WatchEnd) => void) => () => void;
  knobs: Knobs;
}

/** How open watches end: "close" ends the stream cleanly, "reset" drops the connection mid-stream. */
export type WatchEnd = "close" | "reset";

/** A chunk a streamed body ends with to have the server cut the connection there, after what came before it. */
export const DROP_CONNECTION = new Uint8Array(0);

/** Behaviours a test can switch on, read at each request. */
export interface Knobs {
  /** Answer watches with plain objects even when a Table is asked for, as servers without table support do. */
  plainWatchEvents: boolean;
}

/** The resource a request addresses. */
export interface Target {
  binding: Binding;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export const param = (ctx: Ctx, name: string) => ctx.url.searchParams.get(name);

export const isDryRun = (ctx: Ctx, options?: Obj) =>
  ctx.url.searchParams.getAll("dryRun").includes("All") || (Array.isArray(options?.dryRun) && options.dryRun.includes("All"));

/** fieldManager, or the user agent's product token as the apiserver defaults it. */
export function fieldManager(ctx: Ctx): string {
  const explicit = param(ctx, "fieldManager");
  if (explicit) return explicit;
  const ua = ctx.req.headers.get("user-agent") ?? "unknown";
  return ua.split("/")[0] || "unknown";
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidation(ctx: Ctx): FieldValidation {
  const v = param(ctx, "fieldValidation") ?? "Warn";
  if (v !== "Strict" && v !== "Warn" && v !== "Ignore") {
    throw badRequest(`fieldValidation parameter unsupported: ${v}`);
  }
  return v;
}

export const text = (ctx: Ctx) => new TextDecoder().decode(ctx.body);

/** JSON body (YAML when the client says so), in the apiserver's decode-error words. */
export function bodyObject(ctx: Ctx, t: ResourceType, yaml = false): Obj {
  const raw = text(ctx);
  let value: unknown;
  try {
    const ct = ctx.req.headers.get("content-type") ?? "";
    value = yaml || ct.includes("yaml") ? parseYaml(raw) : JSON.parse(raw);
  } catch (e) {
    throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: expected an object`);
  }
  return value as Obj;
}
