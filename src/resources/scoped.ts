// The client a resource command uses: the active session, the resolved scope's control plane,
// and the onboarding gate checked once for the command.
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { sessionClient } from "../auth/session-client";
import { accessToken } from "../auth/token-source";
import { onboardingGate } from "../onboarding/gate";
import { resolveScope, type Scope } from "../scope/resolve";
import { activeSession, currentContext, loadConfig, type Session } from "../store/config";
import type { ApiClient } from "../api/client";
import type { DiscoveryTarget, OtherPlane } from "../discovery/index";
import { otherPlanes } from "./other-planes";
import { controlPlanePath } from "./scope-urls";

export interface Scoped {
  client: ApiClient;
  /** The same session at the user's own control plane. */
  user: ApiClient;
  scope: Scope;
  session: Session;
  subject: string;
  /** -n, else the current context's namespace, else "default" (kubectl's rule). */
  namespace: string;
  /** Other planes this session can reach (for discovery's "not served here" hint). */
  otherPlanes: () => OtherPlane<DiscoveryTarget>[];
}

export interface ScopedOptions {
  /** Force a scope instead of resolving one (e.g. `get organizations` always uses the user's). */
  scope?: Scope;
  /** Skip the onboarding gate (user-scope and read-only discovery commands). */
  skipOnboarding?: boolean;
}

export async function scopedClient(rt: Runtime, opts: ScopedOptions = {}): Promise<Scoped> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const session = activeSession(cfg);
  if (!session) throw new DatumctlError("not signed in", { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' to sign in." });
  const scope = opts.scope ?? resolveScope(rt.globals, rt.env, cfg);
  const { subject } = await accessToken(rt, session.name);
  if (!subject) throw new DatumctlError(`session ${session.name} does not know its user id`, { code: "AUTH_REQUIRED", hint: "Run 'datumctl login' again." });
  const root = sessionClient(rt, session);
  const user = root.at(controlPlanePath({ kind: "user", subject }));
  const client =
    scope.kind === "user"
      ? user
      : scope.kind === "platform"
        ? root
        : root.at(controlPlanePath(scope.kind === "project" ? { kind: "project", id: scope.project } : { kind: "organization", id: scope.organization }));
  if (!opts.skipOnboarding) await onboardingGate(user, scope, session);
  // Not checked here: resourcePath refuses a namespace that cannot be a path segment when a path
  // is built with it, in the words kubectl uses for that command (a manifest's object, a list…),
  // and commands that build no resource path ignore it, as kubectl does.
  const namespace = rt.globals.namespace ?? (scope.source === "context" ? currentContext(cfg)?.namespace || undefined : undefined) ?? "default";
  return { client, user, scope, session, subject, namespace, otherPlanes: () => otherPlanes(cfg, session.name, scope, root, subject) };
}
