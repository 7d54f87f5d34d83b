// Replacing a kubeconfig the way a careful editor does: atomically, keeping the old file's
// mode (and owner, when we may). Unlike our own files this leaves the directory's mode alone (it is the user's, not
// ours); only a directory we have to create is made private. A symlinked kubeconfig (say,
// into a dotfiles repo) is written through: its target is replaced, the link stays a link.
import { mkdirSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { replaceFileAtomic } from "../store/atomic";

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
  let mode = NEW_KUBECONFIG_MODE;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = statSync(file);
    mode = st.mode & 0o7777;
    owner = st.uid !== 0 || st.gid !== 0 ? { uid: st.uid, gid: st.gid } : undefined;
  } catch {
    ensureDir(dirname(file));
  }
  replaceFileAtomic(file, text, { mode, owner });
}
