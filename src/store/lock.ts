// Cross-process locks for read-modify-write of our files. `<file>.lock` is a directory
// (mkdir is atomic everywhere, network filesystems included); a holder that died is
// detected by its stale mtime and the lock taken over.
import { dirname } from "node:path";
import { DatumctlError } from "../errors";
import { ensurePrivateDir } from "./atomic";

export interface LockOptions {
  /** How long to keep trying before giving up (ms). */
  waitMs?: number;
}

export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lockfile = await import("proper-lockfile");
  const waitMs = opts.waitMs ?? 15_000;
  const lockPath = `${file}.lock`;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  ensurePrivateDir(dirname(file));
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      lockfilePath: lockPath,
      stale: 5_000,
      update: 1_000,
      retries: { retries: Math.ceil(waitMs / 100), minTimeout: 20, maxTimeout: 100, factor: 1.3 },
      onCompromised: (e) => void (compromised = e),
    });
  } catch (e) {
    throw new DatumctlError(`timed out waiting for the lock on ${file}`, {
      code: "TIMEOUT",
      retryable: true,
      hint: `Another datumctl is updating it. If none is running, remove ${lockPath} and try again.`,
      cause: e,
    });
  }
  try {
    const result = await fn();
    if (compromised) throw compromised;
    return result;
  } finally {
    await release().catch(() => {});
  }
}
