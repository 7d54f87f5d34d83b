// kubectl's kubeconfig lock: `<file>.lock` next to the file. kubectl creates it as a file
// with O_EXCL and fails at once when it exists ("open <file>.lock: file exists"); we create
// it as a directory (proper-lockfile, as src/store/lock.ts does), which excludes kubectl just
// the same, and we wait for a held lock instead of failing. Unlike src/store/lock.ts this
// never changes the mode of the directory: it is the user's (~/.kube, or any KUBECONFIG
// entry), not ours.
import * as fs from "node:fs";
import { statSync } from "node:fs";
import { DatumctlError, expectedError } from "../errors";

export interface KubeconfigLockOptions {
  /** How long to wait for a held lock (ms). */
  waitMs?: number;
  /** Called once per lock that is found held, before waiting for it. */
  onWait?: (lockPath: string) => void;
}

export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** Takes `<file>.lock`; resolves to its release. The file's directory must exist. */
export async function lockKubeconfig(file: string, opts: KubeconfigLockOptions = {}): Promise<() => Promise<void>> {
  const lockfile = await import("proper-lockfile");
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  let told = false;
  let delay = 20;
  for (;;) {
    let held: boolean;
    try {
      return await lockfile.lock(file, {
        realpath: false,
        lockfilePath: lockPath,
        stale: 10_000,
        update: 2_000,
        retries: 0,
        // A lost lock only matters while we write, which takes milliseconds; nothing to abort.
        onCompromised: () => {},
        // The lock directory is made 0700, as every directory datumctl makes (the library's is 0755).
        fs: { ...fs, mkdir: (p: string, cb: (e: NodeJS.ErrnoException | null) => void) => fs.mkdir(p, { mode: 0o700 }, cb) },
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: proper-lockfile found an old lock and tried to remove it as a directory, but
      // it is kubectl's lock file. kubectl never expires its own, so neither do we.
      held = code === "ELOCKED" || (code === "ENOTDIR" && isFile(lockPath));
      if (!held) {
        // A read-only or full disk is said as such (STORAGE); anything else is about the path.
        throw expectedError(e) ?? new DatumctlError(`cannot lock ${file}: ${(e as Error).message}`, { code: "INVALID_INPUT", cause: e });
      }
    }
    if (Date.now() >= deadline) {
      throw new DatumctlError(`timed out waiting for ${lockPath}: another program is editing ${file}`, {
        code: "TIMEOUT",
        retryable: true,
        hint: `If no kubectl or datumctl is running, remove ${lockPath} and try again.`,
      });
    }
    if (!told) {
      told = true;
      opts.onWait?.(lockPath);
    }
    await Bun.sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 200);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
