// Cross-process locks for read-modify-write of our files. `<file>.lock` is a directory
// (mkdir is atomic everywhere, network filesystems included); a holder that died is
// detected by its stale mtime and the lock taken over.
import { dirname } from "node:path";
import { DatumctlError } from "../errors";
import { ensurePrivateDir } from "./atomic";

export interface LockOptions<T> {
  /** How long to keep trying before giving up (ms). */
  waitMs?: number;
  /**
   * Asked between attempts while another process holds the lock: a value ends the wait
   * without taking the lock (e.g. the token another process just refreshed).
   */
  whileWaiting?: () => T | undefined;
}

export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, opts: LockOptions<T> = {}): Promise<T> {
  const lockfile = await import("proper-lockfile");
  const waitMs = opts.waitMs ?? 15_000;
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  let compromised: Error | undefined;
  let release: (() => Promise<void>) | undefined;
  ensurePrivateDir(dirname(file));
  for (let attempt = 0; !release; attempt++) {
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        lockfilePath: lockPath,
        stale: 5_000,
        update: 1_000,
        retries: 0,
        onCompromised: (e) => void (compromised = e),
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() > deadline) {
        throw new DatumctlError(`timed out waiting for the lock on ${file}`, {
          code: "TIMEOUT",
          retryable: true,
          hint: `Another datumctl is updating it. If none is running, remove ${lockPath} and try again.`,
          cause: e,
        });
      }
      const done = opts.whileWaiting?.();
      if (done !== undefined) return done;
      await Bun.sleep(Math.min(20 * 1.3 ** attempt, 100));
    }
  }
  try {
    const result = await fn();
    if (compromised) throw compromised;
    return result;
  } finally {
    await release().catch(() => {});
  }
}
