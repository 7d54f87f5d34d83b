// Records what the real kubectl prints for every case in tests/support/get-cases.ts against
// the local control plane on a fixed clock, into tests/fixtures/get/kubectl.json.
// Run: node_modules/.bin/bun scripts/record-get-goldens.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GET_CASES } from "../tests/support/get-cases";
import { kubectlRunner, startFixedDatum } from "../tests/support/get-harness";
import { findKubectl } from "../tests/support/kubectl";
import { ROOT } from "./build";

const kubectl = await findKubectl();
if (!kubectl) throw new Error("no kubectl to record with");
const datum = await startFixedDatum();
try {
  const runner = await kubectlRunner(kubectl, datum);
  const out: Record<string, { args: string[]; plane: string; code: number; stdout: string; stderr: string }> = {};
  for (const c of GET_CASES) out[c.name] = { args: c.args, plane: c.plane, ...(await runner.run(c.plane, c.args)) };
  const file = join(ROOT, "tests", "fixtures", "get", "kubectl.json");
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`recorded ${GET_CASES.length} cases into ${file}`);
} finally {
  await datum.close();
}
