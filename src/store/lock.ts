// Cross-process locks for read-modify-write of our files. `<file>.lock` is a directory, made
// 0700 (mkdir is atomic everywhere, network filesystems included), holding the holder's pid.
// The holder touches it every few seconds for as long as it works, however long that is, and
// removes it when done, whatever ends the process (a signal handler's process.exit included).
// A holder killed outright is noticed at once (its pid is gone) and the lock taken over;
// otherwise a lock counts as abandoned only when untouched for 30 s, so a holder merely starved
// of CPU on a loaded machine is never overtaken.
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { asStorageError, DatumctlError } from "../errors";
import { ensurePrivateDir } from "./private-dir";

export interface LockOptions<T> {
  /** How long to keep trying before giving up (ms). */
  waitMs?: number;
  /**
   * Asked between attempts while another process holds the lock: a value ends the wait
   * without taking the lock (e.g. the token another process just refreshed).
   */
  whileWaiting?: () => T | undefined;
}

/** An untouched lock is abandoned after this long (its holder touches it every LOCK_TOUCH_MS). */
export const LOCK_STALE_MS = 30_000;
const LOCK_TOUCH_MS = 5_000;

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

function untouchedTooLong(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

const abandoned = (lockPath: string) => holderIsGone(lockPath) || untouchedTooLong(lockPath);

/**
 * Removes an abandoned lock, one waiter at a time: many waiters may see the same dead
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
    if (!abandoned(lockPath)) return false;
    rmSync(lockPath, { recursive: true, force: true });
    return true;
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

/** Locks this process holds, by path, with the inode of the directory it made. */
const held = new Map<string, number>();
let removeOnExit = false;

/** Removes the lock if it is still the one this process made (a taken-over one is not). */
function removeIfOurs(lockPath: string, ino: number): void {
  try {
    if (statSync(lockPath).ino !== ino) return;
    const pid = lockHolderPid(lockPath);
    if (pid !== undefined && pid !== process.pid) return;
    rmSync(lockPath, { recursive: true, force: true });
  } catch {
    // already gone
  }
}

interface Taken {
  ino: number;
  /** Whether the pid file could be written (a full disk refuses even that). */
  named: boolean;
}

/** mkdir the lock: what we took, or undefined when someone holds it. */
function tryLock(lockPath: string): Taken | undefined {
  try {
    mkdirSync(lockPath, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw asStorageError(e, lockPath);
  }
  let named = true;
  try {
    writeFileSync(`${lockPath}/pid`, String(process.pid), { mode: 0o600 });
  } catch {
    named = false;
  }
  return { ino: statSync(lockPath).ino, named };
}

export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, opts: LockOptions<T> = {}): Promise<T> {
  const waitMs = opts.waitMs ?? 15_000;
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  ensurePrivateDir(dirname(file));
  let taken: Taken | undefined;
  for (let attempt = 0; (taken = tryLock(lockPath)) === undefined; attempt++) {
    if (Date.now() > deadline) {
      throw new DatumctlError(`timed out waiting for the lock on ${file}`, {
        code: "TIMEOUT",
        retryable: true,
        hint: `Another datumctl is updating it. If none is running, remove ${lockPath} and try again.`,
      });
    }
    const done = opts.whileWaiting?.();
    if (done !== undefined) return done;
    if (abandoned(lockPath) && takeOver(lockPath)) continue;
    await Bun.sleep(Math.min(20 * 1.3 ** attempt, 100));
  }
  const { ino, named } = taken;
  held.set(lockPath, ino);
  if (!removeOnExit) {
    removeOnExit = true;
    process.on("exit", () => {
      for (const [p, i] of held) removeIfOurs(p, i);
    });
  }
  // Kept fresh while held; more often without a pid file, as such a lock counts as abandoned
  // once untouched for PIDLESS_GRACE_MS.
  const touch = setInterval(
    () => {
      try {
        if (statSync(lockPath).ino !== ino) return;
        const now = new Date();
        utimesSync(lockPath, now, now);
      } catch {
        // gone or taken over: nothing to keep alive
      }
    },
    named ? LOCK_TOUCH_MS : PIDLESS_GRACE_MS / 4,
  );
  (touch as { unref?: () => void }).unref?.();
  try {
    return await fn();
  } finally {
    clearInterval(touch);
    held.delete(lockPath);
    removeIfOurs(lockPath, ino);
  }
}
