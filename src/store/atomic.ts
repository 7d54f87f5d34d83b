// Crash-safe writes: a temp file in the same directory, fsync, rename, fsync the directory.
// A reader sees the old file or the new one, never half of either; temp files of writers that
// were killed are removed by a later write of the same file. (Bun.write ignores `mode`, so
// node:fs it is.)
import { chmodSync, closeSync, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Creates dir (and parents) as 0700; tightens our own directory if it was looser. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32" && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export interface ReplaceOptions {
  /** The new file's mode, exactly (the umask does not apply). */
  mode: number;
  /** Give the file to this owner (root editing a user's file must not take it over). */
  owner?: { uid: number; gid: number };
}

/** Replaces (or creates) path atomically in its existing directory. */
export function replaceFileAtomic(path: string, data: string | Uint8Array, opts: ReplaceOptions): void {
  const dir = dirname(path);
  // Web Crypto, not node:crypto: importing that module costs auth get-token a third of its start-up.
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString("hex");
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${nonce}.tmp`);
  const fd = openSync(tmp, "wx", opts.mode);
  try {
    if (process.platform !== "win32") {
      fchmodSync(fd, opts.mode);
      if (opts.owner && process.getuid?.() === 0) fchownSync(fd, opts.owner.uid, opts.owner.gid);
    }
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
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
  removeOrphanedTemps(dir, basename(path));
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
