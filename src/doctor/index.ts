// `datumctl auth doctor`: one report on the credential store, file modes, locks, sessions,
// kubeconfig entries, reachability, clock skew, proxy and CA. Read-only: it changes no file,
// refreshes no token and never prints a secret.
import type { Runtime } from "../runtime";
import { credentialStore } from "../auth/secrets";
import { activeSession, loadConfig } from "../store/config";
import { storeMode } from "../store/credentials";
import type { Keyring } from "../store/keyring";
import { configFile, credentialsFile } from "../store/paths";
import type { IO } from "../io";
import { kubeconfigPaths } from "../kubeconfig/paths";
import { fileChecks } from "./files";
import { writableCheck } from "./writable";
import { kubeconfigChecks, thisInstall } from "./kubeconfig";
import { kubercCheck } from "./kuberc";
import { lockChecks, lockTargets } from "./locks";
import { caChecks } from "./ca";
import { DEFAULT_TIMEOUT_MS, probes, proxyCheck, runProbe, skewCheck } from "./network";
import { type Check, type Report, makeReport } from "./report";
import { sessionChecks } from "./sessions";
import { probeKeyring, storageChecks } from "./storage";

export { renderHuman, renderJSON } from "./report";
export type { Check, Report } from "./report";

export interface DoctorOptions {
  /** --kubeconfig: that file alone, as kubectl would read it. */
  kubeconfig?: string;
  /** Tests inject a keyring. */
  keyring?: Keyring;
}

export async function runDoctor(rt: Runtime, opts: DoctorOptions = {}): Promise<Report> {
  const checks: Check[] = [];
  const mode = storeMode(rt.env);
  const probe = mode === "file" ? undefined : await probeKeyring(opts.keyring);
  checks.push(...storageChecks(mode, probe, credentialsFile(rt.configDir)));

  // A corrupt config or credentials file is reported as a check, not as a stray warning.
  const configIO = captureWarnings(rt.io);
  const cfg = await loadConfig(rt.configDir, configIO);
  for (const w of configIO.warnings) {
    checks.push({
      section: "Sessions",
      name: "config",
      subject: configFile(rt.configDir),
      status: "fail",
      detail: `The config is unreadable and is treated as empty: ${w}`,
      fix: `mv ${configFile(rt.configDir)} ${configFile(rt.configDir)}.bak, then datumctl login`,
    });
  }
  const paths = kubeconfigPaths(rt.env, opts.kubeconfig);
  checks.push(...fileChecks(rt.configDir, paths.files), writableCheck(rt.configDir));

  const sessionNames = (cfg.sessions ?? []).map((s) => s.name);
  checks.push(...lockChecks(lockTargets(rt.configDir, sessionNames, paths.files)));

  const storeIO = captureWarnings(rt.io);
  const store = credentialStore({ ...rt, io: storeIO });
  const { checks: sessionResults, infos } = await sessionChecks(cfg, activeSession(cfg)?.name, {
    store,
    mode,
    keyringWorks: probe?.ok,
    configDir: rt.configDir,
  });
  for (const w of new Set(storeIO.warnings)) {
    checks.push({
      section: "Sessions",
      name: "credentials-file",
      subject: credentialsFile(rt.configDir),
      status: "fail",
      detail: `The credential store: ${w}`,
      fix: `mv ${credentialsFile(rt.configDir)} ${credentialsFile(rt.configDir)}.bak, then datumctl login`,
    });
  }
  checks.push(...sessionResults);

  const self = thisInstall();
  const kube = kubeconfigChecks({
    env: rt.env,
    files: paths.files,
    explicit: paths.explicit,
    sessions: new Set(sessionNames),
    configDir: rt.configDir,
    self,
    execCommandHint: self ? undefined : "<path to the datumctl binary>",
  });
  checks.push(...kube.checks, kubercCheck(rt.env, kube.entries));

  const targets = probes(infos);
  // Before any request: the HTTP client adds loopback to NO_PROXY on its first one.
  const proxy = proxyCheck(rt.env, targets);
  const timeoutMs = rt.globals.requestTimeoutMs > 0 ? rt.globals.requestTimeoutMs : DEFAULT_TIMEOUT_MS;
  if (targets.length === 0) {
    // Datum's production hosts are not what a sandbox or a private install would use: no guess.
    checks.push({ section: "Network", name: "hosts", status: "ok", detail: "No sessions: no auth or API host to check (datumctl login names them)" });
  } else {
    const results = await Promise.all(targets.map((p) => runProbe(rt, p, timeoutMs)));
    checks.push(...results.map((r) => r.check), skewCheck(results));
  }

  checks.push(proxy, ...caChecks(rt.env, infos));
  return makeReport(checks);
}

/** An IO whose stderr lines are kept (without their "warning: " prefix) instead of printed. */
function captureWarnings(io: IO): IO & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    out: (t) => io.out(t),
    err: (t) => {
      for (const line of t.split("\n")) if (line.trim()) warnings.push(line.replace(/^warning:\s*/, "").trim());
    },
    get stdoutTTY() {
      return io.stdoutTTY;
    },
    get stderrTTY() {
      return io.stderrTTY;
    },
    get stdinTTY() {
      return io.stdinTTY;
    },
    warnings,
  };
}
