// Runs the built binary the way a user would: a fresh HOME and config dir per test,
// nothing inherited from the developer's own ~/.datumctl.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", process.platform === "win32" ? "datumctl.exe" : "datumctl");

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  configDir: string;
  env: Record<string, string>;
  run(args: string[], opts?: { env?: Record<string, string | undefined>; stdin?: string; cwd?: string }): Promise<RunResult>;
  cleanup(): void;
}

/** A throwaway home. Call cleanup() in afterEach/afterAll. */
export function sandbox(): Sandbox {
  const home = mkdtempSync(join(tmpdir(), "datumctl-test-"));
  const configDir = join(home, ".datumctl");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    DATUMCTL_CONFIG_DIR: configDir,
    // Linux CI has no keyring daemon; tests that want one say so.
    DATUMCTL_CREDENTIAL_STORE: "file",
    NO_COLOR: "1",
  };
  return {
    home,
    configDir,
    env,
    async run(args, opts = {}) {
      const merged: Record<string, string> = { ...env };
      for (const [k, v] of Object.entries(opts.env ?? {})) {
        if (v === undefined) delete merged[k];
        else merged[k] = v;
      }
      const proc = Bun.spawn([BINARY, ...args], {
        env: merged,
        cwd: opts.cwd ?? home,
        stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { exitCode, stdout, stderr };
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
