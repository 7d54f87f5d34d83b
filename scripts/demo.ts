// npm run demo: a scripted tour of datumctl on the local Datum Cloud. Starts the IdP and the
// control plane, signs in with the device flow (approved headlessly, as a person would in a
// browser), points a scratch kubeconfig at a project, lets kubectl in through the exec plugin,
// then reads and changes DNS zones. Every command is printed with its output.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { completeDeviceLogin } from "../tests/support/browser";
import { findKubectl } from "../tests/support/kubectl";
import { startLocalDatum } from "../tests/support/local-datum";
import { shellQuote } from "../tests/support/walkthrough";
import { ROOT } from "./build";

const datumctl = join(ROOT, "dist", "datumctl");
const scratch = mkdtempSync(join(tmpdir(), "datumctl-demo-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: scratch,
  DATUMCTL_CONFIG_DIR: join(scratch, "datumctl"),
  KUBECONFIG: join(scratch, "kubeconfig"),
  KUBECACHEDIR: join(scratch, "kube-cache"),
  NO_COLOR: "1",
};
const datum = await startLocalDatum();
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

/** Runs one step, prints it and its output, and checks its exit code. */
async function step(title: string, cmd: string[], expectCode = 0, onStderr?: (text: string) => Promise<void>): Promise<string> {
  const shown = cmd.map((a) => (a === datumctl ? "datumctl" : shellQuote(a))).join(" ");
  console.log(`\n# ${title}\n$ ${shown}`);
  const proc = Bun.spawn(cmd, { env, cwd: scratch, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let stderr = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      await onStderr?.(stderr);
    }
  })();
  const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited, reading]);
  if (stdout) process.stdout.write(stdout.endsWith("\n") ? stdout : `${stdout}\n`);
  if (stderr) process.stdout.write(dim(stderr.endsWith("\n") ? stderr : `${stderr}\n`));
  if (code !== expectCode) throw new Error(`step "${title}" exited ${code}, expected ${expectCode}`);
  return stdout;
}

const zone = (domain: string) => `apiVersion: dns.networking.miloapis.com/v1alpha1
kind: DNSZone
metadata:
  name: demo-example
  namespace: default
  labels:
    team: demo
spec:
  domainName: ${domain}
  dnsZoneClassName: datum-external-global-dns
`;

let ok = false;
try {
  await step("Which datumctl is this?", [datumctl, "version", "--client"]);
  let approved = false;
  await step("Sign in with a code (approved here headlessly, as you would in a browser)", [datumctl, ...datum.loginArgs("--no-browser")], 0, async (text) => {
    const m = text.match(/visit:\n(\S+)\nAnd enter code: (\S+)\n/);
    if (m && !approved) {
      approved = true;
      await completeDeviceLogin(m[1]!, m[2]!, "ada");
    }
  });
  await step("Who am I?", [datumctl, "whoami"]);
  await step("Everything I can work in", [datumctl, "ctx"]);
  await step("Work in the web project", [datumctl, "ctx", "use", "acme/web"]);
  await step("Its DNS zones", [datumctl, "get", "dnszones"]);
  await step("Let kubectl in, with datumctl as its credential plugin", [datumctl, "auth", "update-kubeconfig", "--project", "web"]);
  const kubectl = await findKubectl();
  if (kubectl) await step("kubectl, signed in through `datumctl auth get-token`", [kubectl, "get", "dnszones"]);
  else console.log("\n(no kubectl here: skipping the kubectl step)");
  writeFileSync(join(scratch, "zone.yaml"), zone("demo.example"));
  writeFileSync(join(scratch, "zone-v2.yaml"), zone("demo2.example"));
  await step("Create a zone from a manifest", [datumctl, "apply", "-f", "zone.yaml"]);
  await step("Apply it again: nothing to do", [datumctl, "apply", "-f", "zone.yaml"]);
  await step("What would a change do? (exit 1: there are differences)", [datumctl, "diff", "-f", "zone-v2.yaml"], 1);
  await step("Make the change", [datumctl, "apply", "-f", "zone-v2.yaml"]);
  await step("Read it back", [datumctl, "get", "dnszone", "demo-example", "-o", 'jsonpath={.spec.domainName}{"\\n"}']);
  await step("Clean up", [datumctl, "delete", "-f", "zone.yaml"]);
  ok = true;
  console.log("\nDemo finished.");
} finally {
  await datum.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
