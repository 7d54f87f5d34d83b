// Runs the built binary the way a user would: a fresh HOME and config dir per test,
// nothing inherited from the developer's own ~/.datumctl.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOutput, checkTree } from "./leaks";

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", process.platform === "win32" ? "datumctl.exe" : "datumctl");

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
}

/** A command still running: read its stderr as it comes, then collect the result. */
export interface Running {
  proc: Bun.Subprocess<"ignore" | Blob, "pipe", "pipe">;
  /** Resolves with stderr so far once it matches; rejects if the process ends first. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  result(): Promise<RunResult>;
}

export interface Sandbox {
  home: string;
  configDir: string;
  env: Record<string, string>;
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  start(args: string[], opts?: RunOptions): Running;
  /** For tests that plant files with loose modes on purpose: skip the 0600/0700 check at cleanup. */
  looseModes: boolean;
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
    run(args, opts = {}) {
      return this.start(args, opts).result();
    },
    start(args, opts = {}) {
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
      let stderr = "";
      const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
      const check = () => {
        for (const w of [...waiters]) {
          const m = stderr.match(w.pattern);
          if (m) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      };
      const stderrDone = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of proc.stderr) {
          stderr += decoder.decode(chunk, { stream: true });
          check();
        }
        for (const w of waiters.splice(0)) w.reject(new Error(`process ended before stderr matched ${w.pattern}:\n${stderr}`));
      })();
      const stdout = new Response(proc.stdout).text();
      return {
        proc,
        waitForStderr: (pattern) =>
          new Promise((resolve, reject) => {
            waiters.push({ pattern, resolve, reject });
            check();
          }),
        async result() {
          const [out, exitCode] = await Promise.all([stdout, proc.exited, stderrDone]);
          checkOutput(configDir, args, out, stderr);
          return { exitCode, stdout: out, stderr };
        },
      };
    },
    looseModes: false,
    cleanup() {
      try {
        checkTree(home, configDir, this.looseModes);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}
