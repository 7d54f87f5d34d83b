// Cross-process locks for read-modify-write of our files. `<file>.lock` is a directory
// (mkdir is atomic everywhere, network filesystems included) holding the holder's pid.
// A holder killed outright is noticed at once (its pid is gone) and the lock taken over;
// otherwise a lock counts as abandoned only when its mtime, refreshed while held, is 30 s old,
// so a holder merely starved of CPU on a loaded machine is never overtaken.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/** An unrefreshed lock is abandoned after this long (its holder refreshes it every 5 s). */
export const LOCK_STALE_MS = 30_000;

/** The pid written into a lock directory by its holder, if any. */
export function lockHolderPid(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${lockPath}/pid`, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A holder writes its pid the moment it has the lock: without one after this long, it died in between. */
const PIDLESS_GRACE_MS = 2_000;

/** True when the lock names a holder process that no longer exists (or died before naming itself). */
export function holderIsGone(lockPath: string): boolean {
  const pid = lockHolderPid(lockPath);
  if (pid === undefined) {
    try {
      return Date.now() - statSync(lockPath).mtimeMs > PIDLESS_GRACE_MS;
    } catch {
      return false;
    }
  }
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Removes a dead holder's lock, one waiter at a time: many waiters may see the same dead
 * pid, and without this guard a slow one would delete the lock a faster one just took.
 */
function takeOver(lockPath: string): boolean {
  const guard = `${lockPath}.takeover`;
  try {
    mkdirSync(guard, { mode: 0o700 });
  } catch {
    // Another waiter is at it; a guard left by a killed waiter is cleared after a moment.
    try {
      if (Date.now() - statSync(guard).mtimeMs > PIDLESS_GRACE_MS) rmSync(guard, { recursive: true, force: true });
    } catch {}
    return false;
  }
  try {
    // Checked again under the guard: the lock may already be someone else's, alive.
    if (!holderIsGone(lockPath)) return false;
    rmSync(lockPath, { recursive: true, force: true });
    return true;
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
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
        stale: LOCK_STALE_MS,
        update: 5_000,
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
      if (holderIsGone(lockPath) && takeOver(lockPath)) continue;
      await Bun.sleep(Math.min(20 * 1.3 ** attempt, 100));
    }
  }
  try {
    writeFileSync(`${lockPath}/pid`, String(process.pid), { mode: 0o600 });
  } catch {
    // Without the pid file the lock is still a lock; only the fast takeover is lost.
  }
  try {
    const result = await fn();
    if (compromised) throw compromised;
    return result;
  } finally {
    // proper-lockfile removes the lock with rmdir, which needs it empty.
    rmSync(`${lockPath}/pid`, { force: true });
    await release().catch(() => {});
  }
}
