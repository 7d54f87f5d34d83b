// Records what the real kubectl 1.32 prints for every case in tests/fixtures/explain/cases.ts
// against the local Datum Cloud, into tests/fixtures/explain/<case>.txt (and .err.txt).
// Run: node_modules/.bin/bun scripts/record-explain-goldens.ts
import { CASES, KubectlRunner, writeRecorded } from "../tests/fixtures/explain/cases";
import { findKubectl } from "../tests/support/kubectl";
import { startLocalDatum } from "../tests/support/local-datum";

const kubectl = await findKubectl();
if (!kubectl) throw new Error("no kubectl to record with");
const datum = await startLocalDatum();
const runner = new KubectlRunner(kubectl, datum, await datum.idp.mintAccessToken("ada"));
try {
  for (const c of CASES) writeRecorded(c, await runner.run(c));
  console.log(`recorded ${CASES.length} cases into tests/fixtures/explain/`);
} finally {
  runner.cleanup();
  await datum.close();
}
