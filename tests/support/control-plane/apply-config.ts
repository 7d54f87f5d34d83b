// Server-side apply as a request: strip what the endpoint ignores (status on the main
// resource, everything but status on /status), refuse undeclared fields under Strict with the
// apiserver's wording, honour a resourceVersion in the configuration, then merge (ssa.ts).
import { type Ctx, type FieldValidation, rfc3339, type Target } from "./context";
import { apply as ssaApply } from "./ssa";
import { ApiError, conflict } from "./status";
import { clone, type Obj } from "./types";
import { check } from "./validate";

export function apply(ctx: Ctx, t: Target, live: Obj | undefined, config: Obj, o: { manager: string; force: boolean; validation: FieldValidation }): Obj {
  const cfg = clone(config);
  if (t.subresource === "status") {
    for (const k of Object.keys(cfg)) if (!["apiVersion", "kind", "metadata", "status"].includes(k)) delete cfg[k];
    cfg.metadata = { name: cfg.metadata?.name, ...(cfg.metadata?.namespace ? { namespace: cfg.metadata.namespace } : {}) };
  } else if (t.type.statusSubresource) delete cfg.status;
  cfg.metadata.name ??= t.name;
  if (t.type.namespaced) cfg.metadata.namespace ??= t.namespace;

  // Undeclared fields are pruned before merging, so nobody owns them.
  const pruned = clone(cfg);
  const { unknown } = check(t.type.schema, pruned);
  if (unknown.length && o.validation === "Strict") {
    throw new ApiError(400, "BadRequest", unknown.map((f) => `.${f}: field not declared in schema`).join(", "));
  }
  if (o.validation === "Warn") ctx.warnings.push(...unknown.map((f) => `unknown field "${f}"`));
  const rv = cfg.metadata?.resourceVersion;
  if (rv && live && rv !== live.metadata.resourceVersion) throw conflict(t.type, t.name!);
  if (rv && !live)
    throw new ApiError(404, "NotFound", `${t.type.group ? `${t.type.plural}.${t.type.group}` : t.type.plural} "${t.name}" not found`, {
      name: t.name,
      group: t.type.group || undefined,
      kind: t.type.plural,
    });

  const apiVersion = t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version;
  return ssaApply(
    live,
    { ...pruned, metadata: cfg.metadata },
    {
      manager: o.manager,
      force: o.force,
      apiVersion,
      time: rfc3339(ctx.now()),
      ...(t.subresource ? { subresource: t.subresource } : {}),
    },
  );
}
