// Crash-safe writes: a temp file in the same directory, fsync, rename. A reader sees the old
// file or the new one, never half of either. (Bun.write ignores `mode`, so node:fs it is.)
import { closeSync, chmodSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Creates dir (and parents) as 0700; tightens our own directory if it was looser. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32" && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  // Web Crypto, not node:crypto: importing that module costs auth get-token a third of its start-up.
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString("hex");
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${nonce}.tmp`);
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
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
