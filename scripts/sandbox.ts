// npm run sandbox: a local Datum Cloud (OpenID provider + HTTPS control plane with seeded
// organizations, projects and DNS zones) on 127.0.0.1, and the exact commands to try against it.
// Everything datumctl and kubectl write goes to a scratch folder, removed on Ctrl-C.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { defaultSeed, describeSeed } from "../tests/support/control-plane/index";
import { startLocalDatum } from "../tests/support/local-datum";
import { ROOT } from "./build";

const datum = await startLocalDatum();
const scratch = mkdtempSync(join(tmpdir(), "datumctl-sandbox-"));
const configDir = join(scratch, "datumctl");
const kubeconfig = join(scratch, "kubeconfig");
const ca = join(scratch, "ca.crt");
const tokenFile = join(scratch, "ada.token");
mkdirSync(configDir, { mode: 0o700 });
copyFileSync(datum.api.caFile, ca);
writeFileSync(tokenFile, await datum.idp.mintAccessToken("ada", 12 * 3600), { mode: 0o600 });
chmodSync(tokenFile, 0o600);

const binary = join(ROOT, "dist", "datumctl");
const shown = process.cwd() === ROOT ? relative(ROOT, binary) : binary;
const login = [
  shown,
  "login",
  "--hostname",
  datum.idp.issuer,
  "--api-hostname",
  datum.api.url,
  "--client-id",
  datum.idp.clientId,
  "--certificate-authority",
  ca,
].join(" ");
const projects = `${datum.api.url}${datum.api.orgPath("acme")}/apis/resourcemanager.miloapis.com/v1alpha1/projects`;

console.log(`Local Datum Cloud is running. Press Ctrl-C to stop.

  Identity provider  ${datum.idp.issuer}   sign in as ada or bob, any password
  API                ${datum.api.url}

Keep your own files out of it: run this first in the shell you try things in.
  export DATUMCTL_CONFIG_DIR=${configDir} KUBECONFIG=${kubeconfig}

Sign in with a browser, or with a code:
  ${login}
  ${login} --no-browser

Then:
  ${shown} whoami
  ${shown} auth update-kubeconfig --project web
  kubectl get dnszones
  ${shown} get dnszones

Or call the API directly, as ada:
  curl --cacert ${ca} -H "Authorization: Bearer $(cat ${tokenFile})" ${projects}

What is in it:
${describeSeed(defaultSeed(new Date()))
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}

SANDBOX READY ${JSON.stringify({ idp: datum.idp.issuer, api: datum.api.url, ca, tokenFile, configDir, kubeconfig, projects })}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await datum.close();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`\nStopped; removed ${scratch}.`);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
