// npm run sandbox: a local Datum Cloud (OpenID provider + HTTPS control plane with seeded
// organizations, projects and DNS zones) on 127.0.0.1, and the exact commands to try against it
// (tests/support/walkthrough.ts). Everything datumctl and kubectl write goes to a scratch folder,
// removed when the sandbox stops: Ctrl-C, or SIGINT / SIGTERM to npm or to this process.
//
//   bun scripts/sandbox.ts approve <issuer> <code> [--as <user>]
//     Approves a device login on the sandbox's IdP over plain HTTP (the printed `approve` helper runs this).
import { writeSync } from "node:fs";
import { completeDeviceLogin } from "../tests/support/browser";
import { startSandbox } from "../tests/support/walkthrough";

/** Zones created in the sandbox turn Accepted and Programmed after this long, as on the real service. */
const ZONE_STATUS_AFTER_MS = 3000;

async function approve(args: string[]): Promise<number> {
  const as = args.indexOf("--as");
  const who = as < 0 ? "ada" : args[as + 1];
  const rest = as < 0 ? args : args.filter((_, i) => i !== as && i !== as + 1);
  const [issuer, code] = rest;
  if (!issuer || !code || !who || rest.length !== 2) {
    process.stderr.write("usage: approve <code> [--as <user>]\n");
    return 2;
  }
  try {
    await completeDeviceLogin(`${issuer}/device`, code, who);
  } catch (e) {
    process.stderr.write(`error: could not approve ${code}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`Approved ${code} as ${who}.\n`);
  return 0;
}

if (process.argv[2] === "approve") process.exit(await approve(process.argv.slice(3)));

// Handlers first: a signal that comes while the sandbox starts (or just after it prints) still cleans up.
const starting = startSandbox({ zoneStatusAfterMs: ZONE_STATUS_AFTER_MS });
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const sandbox = await starting;
  await sandbox.stop();
  // Written synchronously: process.exit does not wait for a piped stdout to drain.
  writeSync(1, `\nStopped; removed ${sandbox.scratch}.\n`);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
console.log((await starting).banner);
