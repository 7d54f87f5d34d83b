// Shared by the get golden recorder and tests/get.test.ts: a local Datum Cloud on a fixed
// clock (so AGE columns are the same every run), and kubectl pointed at one of its planes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plane } from "./get-cases";
import { type LocalDatum, startLocalDatum } from "./local-datum";

export const FIXED_NOW = new Date("2026-11-29T12:00:00Z");

export async function startFixedDatum(): Promise<LocalDatum> {
  return startLocalDatum({ now: () => FIXED_NOW });
}

export interface KubectlRunner {
  /** `kubectl get …` against a plane. */
  run(plane: Plane, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Any kubectl verb against a plane. */
  kubectl(plane: Plane, args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export async function kubectlRunner(kubectl: string, datum: LocalDatum): Promise<KubectlRunner> {
  const dir = mkdtempSync(join(tmpdir(), "datumctl-get-kubectl-"));
  const token = await datum.idp.mintAccessToken("ada", 3600);
  const paths: Record<Plane, string> = { web: datum.api.projectPath("web"), acme: datum.api.orgPath("acme") };
  const files = {} as Record<Plane, string>;
  for (const [plane, path] of Object.entries(paths) as [Plane, string][]) {
    files[plane] = join(dir, `${plane}.yaml`);
    writeFileSync(files[plane], datum.tokenKubeconfig(path, "ada", token));
  }
  const runner: KubectlRunner = {
    run: (plane, args) => runner.kubectl(plane, ["get", ...args]),
    async kubectl(plane, args, stdin) {
      const proc = Bun.spawn([kubectl, ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: files[plane], KUBECACHEDIR: join(dir, `cache-${plane}`) },
        stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { code, stdout, stderr };
    },
  };
  return runner;
}
