// kubectl's kuberc credential plugin policy (kubectl 1.35+) may refuse plugins (DenyAll, or an
// allowlist): does it let kubectl run the datumctl that the kubeconfig entries name?
import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parse as parseYAML } from "yaml";
import { hasSeparator, realpath } from "../kubeconfig/exec-command";
import type { Env } from "../runtime";
import { homeDir } from "../store/paths";
import type { KubeconfigResult } from "./kubeconfig";
import type { Check } from "./report";

/** kubectl's kuberc: $KUBERC, else ~/.kube/kuberc; KUBECTL_KUBERC=false turns it off. */
export function kubercPath(env: Env): string | undefined {
  if (env.KUBECTL_KUBERC === "false") return undefined;
  return env.KUBERC || join(homeDir(env), ".kube", "kuberc");
}

function allowedBy(name: string, resolved: string | undefined, env: Env): boolean {
  if (!resolved) return false;
  const target = realpath(resolved) ?? resolved;
  const candidate = isAbsolute(name) || hasSeparator(name) ? resolve(name) : (Bun.which(name, { PATH: env.PATH ?? env.Path ?? "" }) ?? undefined);
  if (!candidate) return false;
  return candidate === resolved || (realpath(candidate) ?? candidate) === target;
}

export function kubercCheck(env: Env, entries: KubeconfigResult["entries"]): Check {
  const base = { section: "Kubeconfig", name: "kuberc" } as const;
  const path = kubercPath(env);
  if (!path) return { ...base, status: "ok", detail: "kuberc is off (KUBECTL_KUBERC=false): kubectl runs any credential plugin" };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { ...base, status: "ok", detail: `No kuberc at ${path}: kubectl runs any credential plugin` };
  }
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (e) {
    return {
      ...base,
      subject: path,
      status: "fail",
      detail: `kuberc ${path} is not valid YAML (${(e as Error).message.split("\n")[0]}); kubectl fails on it`,
      fix: `Fix or move aside ${path}`,
    };
  }
  const pref = (doc && typeof doc === "object" ? doc : {}) as { credentialPluginPolicy?: unknown; credentialPluginAllowlist?: unknown };
  const policy = typeof pref.credentialPluginPolicy === "string" ? pref.credentialPluginPolicy : undefined;
  const list = Array.isArray(pref.credentialPluginAllowlist)
    ? pref.credentialPluginAllowlist.map((x) => (x && typeof x === "object" ? String((x as { name?: unknown }).name ?? "") : "")).filter(Boolean)
    : [];
  if (entries.length === 0)
    return {
      ...base,
      subject: path,
      status: "ok",
      detail: `kuberc ${path}: credential plugin policy ${policy ?? "AllowAll (default)"}; no datumctl entry to check`,
    };
  if (policy === "DenyAll") {
    return {
      ...base,
      subject: path,
      status: "fail",
      detail: `kuberc ${path} sets credentialPluginPolicy: DenyAll, so kubectl refuses to run datumctl ("plugin not allowed")`,
      fix: `Set credentialPluginPolicy: Allowlist in ${path} with '- name: ${entries[0]!.resolved ?? entries[0]!.entry.command}' under credentialPluginAllowlist`,
    };
  }
  if (policy === "Allowlist" || (policy === undefined && Array.isArray(pref.credentialPluginAllowlist))) {
    const refused = entries.filter((e) => !list.some((n) => allowedBy(n, e.resolved, env)));
    if (refused.length) {
      const cmd = refused[0]!.resolved ?? refused[0]!.entry.command;
      return {
        ...base,
        subject: path,
        status: "fail",
        detail: `kuberc ${path} allows only listed credential plugins, and ${[...new Set(refused.map((r) => r.resolved ?? r.entry.command))].join(", ")} is not listed: kubectl refuses to run it`,
        fix: `Add '- name: ${cmd}' under credentialPluginAllowlist in ${path}`,
      };
    }
    return { ...base, subject: path, status: "ok", detail: `kuberc ${path}: the credential plugin allowlist includes datumctl` };
  }
  return { ...base, subject: path, status: "ok", detail: `kuberc ${path}: credential plugin policy ${policy ?? "AllowAll (default)"}` };
}
