// The sandbox as a library: a local Datum Cloud, a scratch folder for everything datumctl and
// kubectl write, and the walkthrough it prints. scripts/sandbox.ts prints it; tests/walkthrough.test.ts
// types every command of it, in order, through a shell. One list, so the two cannot drift.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { HEADLESS_BROWSER } from "./browser";
import { ROOT } from "./cli";
import { defaultSeed, describeSeed } from "./control-plane/index";
import { type LocalDatum, startLocalDatum } from "./local-datum";

/** Where the approval command puts the code the login printed. */
export const CODE_PLACEHOLDER = "<code>";

export interface WalkStep {
  /** Shell text, exactly as printed. */
  command: string;
  /** The command waits for the next one (run from a second shell) before it exits. */
  waitsForNext?: boolean;
}

export interface WalkSection {
  /** What the commands do, printed above them. */
  title: string;
  steps: WalkStep[];
}

export interface SandboxOptions {
  /** New DNS zones become Accepted and Programmed after this many ms, as on the real service. Off when undefined. */
  zoneStatusAfterMs?: number;
}

export interface RunningSandbox {
  datum: LocalDatum;
  scratch: string;
  /** The walkthrough, in the order a user types it. */
  walkthrough: WalkSection[];
  /** Everything the sandbox prints on start, ending with the SANDBOX READY line. */
  banner: string;
  /** Closes the ports and removes the scratch folder. */
  stop(): Promise<void>;
}

/** An argument as it must be typed in a POSIX shell: as is when safe, else in single quotes. */
export const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
const q = shellQuote;

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const datum = await startLocalDatum(opts.zoneStatusAfterMs === undefined ? {} : { zoneStatusAfterMs: opts.zoneStatusAfterMs });
  const scratch = mkdtempSync(join(tmpdir(), "datumctl-sandbox-"));
  const configDir = join(scratch, "datumctl");
  const kubeconfig = join(scratch, "kubeconfig");
  const ca = join(scratch, "ca.crt");
  const tokenFile = join(scratch, "ada.token");
  const approve = join(scratch, "approve");
  mkdirSync(configDir, { mode: 0o700 });
  copyFileSync(datum.api.caFile, ca);
  writeFileSync(tokenFile, await datum.idp.mintAccessToken("ada", 12 * 3600), { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  // The approval helper: plain HTTP to the IdP's device pages, as a person in a browser would.
  const bun = join(ROOT, "node_modules", ".bin", "bun");
  writeFileSync(approve, `#!/bin/sh\nexec ${q(bun)} ${q(join(ROOT, "scripts", "sandbox.ts"))} approve ${q(datum.idp.issuer)} "$@"\n`, { mode: 0o755 });
  chmodSync(approve, 0o755);

  const here = (p: string) => (process.cwd() === ROOT ? relative(ROOT, p) : p);
  const datumctl = here(join(ROOT, "dist", "datumctl"));
  const login = [
    datumctl,
    "login",
    "--hostname",
    datum.idp.issuer,
    "--api-hostname",
    datum.api.url,
    "--client-id",
    datum.idp.clientId,
    "--certificate-authority",
    ca,
  ]
    .map(q)
    .join(" ");
  const projects = `${datum.api.url}${datum.api.orgPath("acme")}/apis/resourcemanager.miloapis.com/v1alpha1/projects`;

  const walkthrough: WalkSection[] = [
    {
      title: "Keep your own files out of it: run this first in every shell you try things in.",
      steps: [{ command: `export DATUMCTL_CONFIG_DIR=${q(configDir)} KUBECONFIG=${q(kubeconfig)}` }],
    },
    {
      title: `Sign in with a code: login prints one and waits. Approve it from a second shell (as ada; add --as bob for bob).`,
      steps: [{ command: `${login} --no-browser`, waitsForNext: true }, { command: `${q(approve)} ${CODE_PLACEHOLDER}` }],
    },
    {
      title: "Or sign in through a browser. This one is headless and signs in as ada (DATUMCTL_TEST_LOGIN=bob for bob); drop BROWSER=… to use yours.",
      steps: [{ command: `BROWSER=${q(here(HEADLESS_BROWSER))} ${login}` }],
    },
    {
      title: "Then work in acme's web project, and let kubectl in with datumctl as its credential plugin:",
      steps: [
        { command: `${datumctl} whoami` },
        { command: `${datumctl} ctx` },
        { command: `${datumctl} ctx use acme/web` },
        { command: `${datumctl} get dnszones` },
        { command: `${datumctl} auth update-kubeconfig --project web` },
        { command: "kubectl get dnszones" },
      ],
    },
    {
      title: "Or call the API directly, as ada:",
      steps: [{ command: `curl --cacert ${q(ca)} -H "Authorization: Bearer $(cat ${q(tokenFile)})" ${q(projects)}` }],
    },
  ];

  const world = describeSeed(defaultSeed(new Date()))
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  const ready = { pid: process.pid, idp: datum.idp.issuer, api: datum.api.url, ca, tokenFile, configDir, kubeconfig, projects, approve };
  const banner = `Local Datum Cloud is running. Press Ctrl-C to stop.

  Identity provider  ${datum.idp.issuer}   sign in as ada or bob, any password
  API                ${datum.api.url}

${walkthrough.map((s) => `${s.title}\n${s.steps.map((c) => `  ${c.command}`).join("\n")}`).join("\n\n")}

What is in it:
${world}

SANDBOX READY ${JSON.stringify(ready)}`;

  let stopped: Promise<void> | undefined;
  return {
    datum,
    scratch,
    walkthrough,
    banner,
    stop() {
      stopped ??= (async () => {
        await datum.close();
        rmSync(scratch, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
