// Replacing a kubeconfig the way a careful editor does: a temp file in the same directory
// with the old file's mode (and owner, when we may), fsync, rename, fsync the directory.
// Unlike src/store/atomic.ts this leaves the directory's mode alone (it is the user's, not
// ours); only a directory we have to create is made private. A symlinked kubeconfig (say,
// into a dotfiles repo) is written through: its target is replaced, the link stays a link.
import { closeSync, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Mode for a kubeconfig we create: it holds no secret, but nobody else needs to read it. */
export const NEW_KUBECONFIG_MODE = 0o600;

/** Creates a missing directory (and parents) as 0700; an existing one is not touched. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function target(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function writeKubeconfig(path: string, text: string): void {
  const file = target(path);
  const dir = dirname(file);
  let mode = NEW_KUBECONFIG_MODE;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = statSync(file);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    ensureDir(dir);
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString("hex");
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${nonce}.tmp`);
  const fd = openSync(tmp, "wx", mode);
  try {
    if (process.platform !== "win32") {
      // open()'s mode is filtered by the umask; the old file's mode is what we keep.
      fchmodSync(fd, mode);
      // Root editing someone's kubeconfig (sudo) must not hand it over to root.
      if (owner && process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0)) fchownSync(fd, owner.uid, owner.gid);
    }
    writeSync(fd, Buffer.from(text));
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {}
    unlinkSync(tmp);
    throw e;
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  if (process.platform !== "win32") {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
