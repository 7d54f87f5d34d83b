// Writing a kubeconfig we may not own. A regular file is replaced the way a careful editor does:
// atomically, keeping the old file's mode and owner. Unlike our own files this leaves the
// directory's mode alone (it is the user's, not ours); only a directory we have to create is
// made private. What is not ours to replace is written through, as kubectl writes every
// kubeconfig (open, truncate, write): a character device (KUBECONFIG=/dev/null), a file whose
// owner a rename would change, a file with other hard links. A symlinked kubeconfig (say, into a
// dotfiles repo) is followed: its target is written, the link stays the same link.
import { closeSync, constants, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readlinkSync, type Stats, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { asStorageError, DatumctlError } from "../errors";
import { replaceFileAtomic } from "../store/atomic";
import { notAFileError, unwritableKind } from "./document";

/** Mode for a kubeconfig we create: it holds no secret, but nobody else needs to read it. */
export const NEW_KUBECONFIG_MODE = 0o600;

/** Creates a missing directory (and parents) as 0700; an existing one is not touched. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Linux's limit on symlinks followed in one lookup. */
const MAX_LINKS = 40;

/** The path a write to `path` lands on: symlinks followed, even to a target that does not exist yet. */
function target(path: string): string {
  let p = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new DatumctlError(`too many levels of symbolic links at ${path}`, { code: "INVALID_INPUT" });
}

/** Writes data[from, to) at `position` (null: a device's current position). */
function writeRange(fd: number, data: Buffer, from: number, to: number, position: number | null): void {
  for (let done = from; done < to; ) done += writeSync(fd, data, done, to - done, position === null ? null : position + done - from);
}

/**
 * kubectl's way: open what is there and write into it; nothing is created, renamed or chmod-ed.
 * A regular file first grows by what the new text needs beyond the old one (when the disk is
 * full, it is cut back and the old text is intact), then the old bytes are overwritten.
 */
function writeThrough(file: string, text: string, st: Stats): void {
  const data = Buffer.from(text);
  const fd = openSync(file, constants.O_WRONLY);
  try {
    if (!st.isFile()) return writeRange(fd, data, 0, data.length, null);
    const old = st.size;
    try {
      writeRange(fd, data, old, data.length, old);
    } catch (e) {
      ftruncateSync(fd, old);
      throw e;
    }
    writeRange(fd, data, 0, Math.min(old, data.length), 0);
    ftruncateSync(fd, data.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether a replaced file keeps its owner: the new one is ours, and only root can give it away. */
function renameKeepsOwner(st: Stats): boolean {
  return process.getuid === undefined || process.getuid() === 0 || (st.uid === process.getuid() && st.gid === process.getgid?.());
}

export function writeKubeconfig(path: string, text: string): void {
  const file = target(path);
  let st: Stats | undefined;
  try {
    st = statSync(file);
  } catch {
    st = undefined;
  }
  try {
    if (!st) {
      ensureDir(dirname(file));
      return replaceFileAtomic(file, text, { mode: NEW_KUBECONFIG_MODE });
    }
    const kind = unwritableKind(st);
    // readKubeconfig refused these already; this guards the write itself.
    if (kind) throw notAFileError(path, kind);
    // What is left that is not a file is a character device.
    if (!st.isFile() || st.nlink > 1 || !renameKeepsOwner(st)) return writeThrough(file, text, st);
    replaceFileAtomic(file, text, { mode: st.mode & 0o7777, owner: { uid: st.uid, gid: st.gid } });
  } catch (e) {
    throw asStorageError(e, path);
  }
}
