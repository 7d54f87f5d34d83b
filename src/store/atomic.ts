// Crash-safe writes: a temp file in the same directory, fsync, rename, fsync the directory.
// A reader sees the old file or the new one, never half of either; temp files of writers that
// were killed are removed by a later write of the same file. (Bun.write ignores `mode`, so
// node:fs it is.)
import { closeSync, fchmodSync, fchownSync, fsyncSync, ftruncateSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ensurePrivateDir } from "./private-dir";
import { asStorageError } from "../errors";

export interface ReplaceOptions {
  /** The new file's mode, exactly (the umask does not apply). */
  mode: number;
  /** Give the file to this owner (root editing a user's file must not take it over). */
  owner?: { uid: number; gid: number };
}

const tempName = (path: string) => {
  // Web Crypto, not node:crypto: importing that module costs auth get-token a third of its start-up.
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString("hex");
  return join(dirname(path), `.${basename(path)}.${process.pid}.${nonce}.tmp`);
};

/** Temp files opened and filled ahead of a write that must not fail for want of space. */
const reserved = new Map<string, { tmp: string; fd: number }>();

/**
 * Reserves room for the next replacement of each path: a temp file beside it, written full to
 * the file's size plus `extra` bytes, so that a full disk or a read-only directory shows up
 * now (as STORAGE) rather than after something that cannot be undone, such as spending a
 * refresh token. The next replaceFileAtomic of the path writes into it; cancelReservations
 * removes those left unused.
 */
export function reserveReplacements(paths: string[], extra: number): void {
  try {
    for (const path of paths) {
      const key = resolve(path);
      if (reserved.has(key)) continue;
      ensurePrivateDir(dirname(path));
      let size = 0;
      try {
        size = statSync(path).size;
      } catch {}
      const tmp = tempName(path);
      let fd: number;
      try {
        fd = openSync(tmp, "wx", 0o600);
      } catch (e) {
        throw asStorageError(e, path);
      }
      reserved.set(key, { tmp, fd });
      try {
        writeSync(fd, new Uint8Array(size + extra));
      } catch (e) {
        throw asStorageError(e, path);
      }
    }
  } catch (e) {
    cancelReservations();
    throw e;
  }
}

export function cancelReservations(): void {
  for (const [key, r] of reserved) {
    reserved.delete(key);
    try {
      closeSync(r.fd);
    } catch {}
    try {
      unlinkSync(r.tmp);
    } catch {}
  }
}

/** Replaces (or creates) path atomically in its existing directory. */
export function replaceFileAtomic(path: string, data: string | Uint8Array, opts: ReplaceOptions): void {
  try {
    replace(path, typeof data === "string" ? Buffer.from(data) : data, opts);
  } catch (e) {
    throw asStorageError(e, path);
  }
  removeOrphanedTemps(dirname(path), basename(path));
}

function replace(path: string, bytes: Uint8Array, opts: ReplaceOptions): void {
  const dir = dirname(path);
  const key = resolve(path);
  const room = reserved.get(key);
  reserved.delete(key);
  const tmp = room?.tmp ?? tempName(path);
  const fd = room?.fd ?? openSync(tmp, "wx", opts.mode);
  try {
    if (process.platform !== "win32") {
      fchmodSync(fd, opts.mode);
      if (opts.owner && process.getuid?.() === 0) fchownSync(fd, opts.owner.uid, opts.owner.gid);
    }
    // Into the reserved room from its start (its blocks are already ours), then cut to size.
    writeSync(fd, bytes, 0, bytes.length, 0);
    if (room) ftruncateSync(fd, bytes.length);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {}
    unlinkSync(tmp);
    // A write on a descriptor names no file: name the one being replaced (ENOSPC "writing <path>").
    if (e instanceof Error && !("path" in e)) Object.assign(e, { path });
    throw e;
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  // Make the rename itself durable.
  if (process.platform !== "win32") {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

/** A writer holds its temp file for milliseconds; one this old belongs to a writer that died. */
export const ORPHANED_TEMP_AGE_MS = 10 * 60_000;

/**
 * Temp files that writers of this file left when they were killed mid-write (they may hold
 * tokens): ours by name, orphaned by age. Age, not the writer's pid, decides, because a pid
 * means nothing across containers sharing a home directory.
 */
function removeOrphanedTemps(dir: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - ORPHANED_TEMP_AGE_MS;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !/^\d+\.[0-9a-f]{8}\.tmp$/.test(entry.slice(prefix.length))) continue;
    const p = join(dir, entry);
    try {
      if (statSync(p).mtimeMs < cutoff) unlinkSync(p);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
}

/** One of our own files: 0600 (or mode) in a private directory. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  ensurePrivateDir(dirname(path));
  replaceFileAtomic(path, data, { mode });
}
