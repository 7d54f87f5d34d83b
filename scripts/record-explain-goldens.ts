// Records what the real kubectl 1.32 prints for every case in tests/fixtures/explain/cases.ts:
// the Datum cases against the local Datum Cloud into tests/fixtures/explain/<case>.txt (and
// <case>.err.txt), the synthetic ones against a fake API server serving
// tests/fixtures/explain/synthetic/openapi.json into tests/fixtures/explain/synthetic/.
// Run: node_modules/.bin/bun scripts/record-explain-goldens.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CASES, KubectlRunner, kubectlSynthetic, SYNTHETIC_CASES, serveSynthetic, writeRecorded, writeSynthetic } from "../tests/fixtures/explain/cases";
import { findKubectl } from "../tests/support/kubectl";
import { startLocalDatum } from "../tests/support/local-datum";

const kubectl = await findKubectl();
if (!kubectl) throw new Error("no kubectl to record with");

const datum = await startLocalDatum();
const runner = new KubectlRunner(kubectl, datum, await datum.idp.mintAccessToken("ada"));
try {
  for (const c of CASES) writeRecorded(c, await runner.run(c));
} finally {
  runner.cleanup();
  await datum.close();
}

const synthetic = serveSynthetic();
const dir = mkdtempSync(join(tmpdir(), "datumctl-explain-synthetic-"));
try {
  for (const c of SYNTHETIC_CASES) writeSynthetic(c, await kubectlSynthetic(kubectl, synthetic.url, dir, c));
} finally {
  synthetic.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`recorded ${CASES.length} Datum cases and ${SYNTHETIC_CASES.length} synthetic cases into tests/fixtures/explain/`);
