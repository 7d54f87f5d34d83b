// File-system failures on our own files, said as what they are: a full disk, a read-only file
// system, missing permission. They are the user's machine's state, not bugs in datumctl.
import { DatumctlError } from "../errors";

const REASONS: Record<string, { why: string; hint: string }> = {
  ENOSPC: { why: "the disk is full", hint: "Free some space on that disk and try again." },
  EDQUOT: { why: "the disk quota is used up", hint: "Free some space within your quota and try again." },
  EROFS: { why: "the file system is read-only", hint: "Make that file system writable (or, for datumctl's own files, point DATUMCTL_CONFIG_DIR at a writable directory) and try again." },
  EACCES: { why: "permission denied", hint: "Check that you own it and may write there (was datumctl run with sudo?)." },
  ENOTDIR: { why: "part of its path is a file, not a directory", hint: "Point DATUMCTL_CONFIG_DIR at a directory (it is created if missing)." },
  EPERM: { why: "operation not permitted", hint: "Check that you own it and may write there (was datumctl run with sudo?)." },
};

/** A STORAGE error for a file-system errno we expect, else undefined. */
export function storageError(e: unknown, path: string): DatumctlError | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? REASONS[code] : undefined;
  if (!reason) return undefined;
  return new DatumctlError(`cannot write ${path}: ${reason.why} (${code})`, { code: "STORAGE", hint: reason.hint, cause: e });
}

/** Rethrows an expected file-system failure as STORAGE, anything else as it was. */
export function asStorageError(e: unknown, path: string): unknown {
  return storageError(e, path) ?? e;
}
