// `datumctl auth can-i`: kubectl's can-i against the resolved scope's control plane.
// VERB TYPE[/NAME] (or VERB /non-resource-url) → SelfSubjectAccessReview, `yes` exits 0 and
// `no[ - reason]` exits 1; --list → SelfSubjectRulesReview as kubectl's table. Argument checks,
// warnings and their order follow kubectl 1.32.
import type { Runtime } from "../runtime";
import { scopedClient } from "../resources/scoped";
import { EXIT, invalidInput } from "../errors";
import { currentContext, loadConfig } from "../store/config";
import { type Scoped } from "../resources/scoped";
import { discover, resolveIn } from "../discovery/index";
import { type RulesStatus, renderRules } from "./rules";

const AUTHZ = "/apis/authorization.k8s.io/v1";

const RESOURCE_VERBS = new Set([
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "use",
  "bind",
  "impersonate",
  "*",
  "approve",
  "sign",
  "escalate",
  "attest",
]);
const NON_RESOURCE_VERBS = new Set(["get", "put", "post", "head", "options", "delete", "patch", "*"]);
/** Resources the server knows but discovery never lists (impersonation targets). */
const NON_STANDARD_RESOURCES = new Set(["users", "groups"]);

export interface CanIOptions {
  args: string[];
  list: boolean;
  quiet: boolean;
  allNamespaces: boolean;
  noHeaders: boolean;
  subresource: string;
}

interface Target {
  verb: string;
  nonResourceURL?: string;
  group: string;
  resource: string;
  name: string;
  /** From discovery; undefined when the type was not found (or is `*`). */
  namespaced?: boolean;
}

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** kubectl's WarningPrinter adds a newline; most can-i messages already end in one, so a blank line follows (kept). */
const warn = (rt: Runtime, message: string) => rt.io.err(`Warning: ${message}\n`);

const usage = () =>
  invalidInput("you must specify two arguments: verb resource or verb resource/resourceName.", "See 'datumctl auth can-i -h' for help and examples.");

export async function canI(rt: Runtime, o: CanIOptions): Promise<void> {
  // Argument checks come before any request, as kubectl's Complete does them first.
  if (o.list) {
    if (o.args.length) throw invalidInput("list option must be specified with no arguments");
    if (o.quiet || o.allNamespaces || o.subresource)
      throw invalidInput("list option can't be specified with neither quiet, all-namespaces nor subresource options");
    return listRules(rt, o);
  }
  // kubectl takes exactly VERB TYPE[/NAME]; a separate NAME is accepted too (datumctl's documented form).
  if (o.args.length < 2 || o.args.length > 3) throw usage();
  const asked = parseArgs(o.args);

  const scoped = await scopedClient(rt);
  const { client, scope } = scoped;
  const namespace = o.allNamespaces ? "" : await defaultNamespace(rt, scope.source);
  const target = await resolveTarget(rt, scoped, asked);
  validate(rt, o, target);

  const spec = target.nonResourceURL
    ? { nonResourceAttributes: { path: target.nonResourceURL, verb: target.verb } }
    : {
        resourceAttributes: omitEmpty({
          namespace,
          verb: target.verb,
          group: target.group,
          resource: target.resource,
          subresource: o.subresource,
          name: target.name,
        }),
      };
  const review = await client.post<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>(`${AUTHZ}/selfsubjectaccessreviews`, {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec,
  });
  const status = review.status ?? {};
  if (!o.quiet) {
    let line = status.allowed ? "yes" : "no";
    if (!status.allowed && status.reason) line += ` - ${status.reason}`;
    if (!status.allowed && status.evaluationError) line += ` - ${status.evaluationError}`;
    rt.io.out(line + "\n");
  }
  if (!status.allowed) rt.exitCode = EXIT.ERROR;
}

async function listRules(rt: Runtime, o: CanIOptions): Promise<void> {
  const { client, scope } = await scopedClient(rt);
  const review = await client.post<{ status?: RulesStatus }>(`${AUTHZ}/selfsubjectrulesreviews`, {
    kind: "SelfSubjectRulesReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: { namespace: await defaultNamespace(rt, scope.source) },
  });
  const status = review.status ?? {};
  if (status.incomplete) warn(rt, `the list may be incomplete: ${status.evaluationError ?? ""}`);
  rt.io.out(renderRules(status, !o.noHeaders));
}

/** -n, else the current context's namespace when the scope came from it, else "default". */
async function defaultNamespace(rt: Runtime, source: string): Promise<string> {
  if (rt.globals.namespace) return rt.globals.namespace;
  if (source === "context") {
    const ctx = currentContext(await loadConfig(rt.configDir, rt.io));
    if (ctx?.namespace) return ctx.namespace;
  }
  return "default";
}

/** VERB TYPE[/NAME] [NAME], or VERB /url: checked before anything is asked. */
function parseArgs(args: string[]): Omit<Target, "group" | "namespaced"> {
  const [verb, typeArg, nameArg] = args as [string, string, string | undefined];
  if (typeArg.startsWith("/")) {
    if (nameArg !== undefined) throw invalidInput("NonResourceURL and ResourceName can not specified together");
    return { verb, nonResourceURL: typeArg, resource: "", name: "" };
  }
  const slash = typeArg.indexOf("/");
  if (slash !== -1 && nameArg !== undefined) throw usage();
  return slash === -1 ? { verb, resource: typeArg, name: nameArg ?? "" } : { verb, resource: typeArg.slice(0, slash), name: typeArg.slice(slash + 1) };
}

/** TYPE → group and plural through discovery; an unknown type is warned about and asked as typed. */
async function resolveTarget(rt: Runtime, scoped: Scoped, t: Omit<Target, "group" | "namespaced">): Promise<Target> {
  if (t.nonResourceURL) return { ...t, group: "" };
  if (t.resource === "*") return { ...t, group: "", namespaced: true };
  let found: ReturnType<typeof resolveIn>["resources"][number] | undefined;
  try {
    found = resolveIn(await discover(rt, scoped), t.resource).resources[0];
  } catch {
    // Not served: kubectl warns and asks anyway (below).
  }
  if (found) return { ...t, group: found.group, resource: found.resource, namespaced: found.namespaced };
  const asked = parsedType(t.resource);
  if (!NON_STANDARD_RESOURCES.has(asked.group ? `${asked.resource}.${asked.group}` : asked.resource)) {
    warn(
      rt,
      asked.group
        ? `the server doesn't have a resource type '${asked.resource}' in group '${asked.group}'\n`
        : `the server doesn't have a resource type '${asked.resource}'\n`,
    );
  }
  // Asked as typed: the server may still know it.
  return { ...t, group: "" };
}

/** The resource and group as kubectl parses TYPE for its warning (`res.group`, lower-cased). */
function parsedType(typeArg: string): { group: string; resource: string } {
  const arg = typeArg.toLowerCase();
  const dot = arg.indexOf(".");
  return dot === -1 ? { resource: arg, group: "" } : { resource: arg.slice(0, dot), group: arg.slice(dot + 1) };
}

/** kubectl's Validate: conflicts are errors, odd verbs and cluster-scoped types are warnings. */
function validate(rt: Runtime, o: CanIOptions, t: Target): void {
  if (t.nonResourceURL) {
    if (o.subresource) throw invalidInput("--subresource can not be used with NonResourceURL");
    if (!NON_RESOURCE_VERBS.has(t.verb)) warn(rt, `verb '${t.verb}' is not a known verb\n`);
  } else if (t.resource && !o.allNamespaces) {
    // kubectl checks these only when it could look the type up, and never with -A.
    if (t.namespaced === false) {
      warn(rt, t.group ? `resource '${t.resource}' is not namespace scoped in group '${t.group}'\n` : `resource '${t.resource}' is not namespace scoped\n`);
    }
    if (!RESOURCE_VERBS.has(t.verb)) warn(rt, `verb '${t.verb}' is not a known verb\n`);
  }
  if (o.noHeaders) throw invalidInput("--no-headers cannot be set without --list specified");
}

function omitEmpty(attrs: ResourceAttributes): ResourceAttributes {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined && v !== "")) as ResourceAttributes;
}
