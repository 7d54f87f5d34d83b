// The directories our files live in. One we create is 0700; one that exists is never chmod-ed
// (DATUMCTL_CONFIG_DIR=/tmp must not take /tmp to 0700): if others can write to it we refuse,
// since they could swap what we read; if they can only read it (the Go tool made ~/.datumctl
// 0755) we say so once and carry on.
import { mkdirSync, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { asStorageError, DatumctlError } from "../errors";
import { configRoots } from "./paths";

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, "0");

/** Printed at most once per process: one warning names the problem. */
let warnedLoose = false;

/** The config dir that holds `dir`, if this process resolved one. */
function rootOf(dir: string): string | undefined {
  let best: string | undefined;
  for (const r of configRoots) {
    const root = resolve(r);
    if ((dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`)) && (!best || root.length > best.length)) best = root;
  }
  return best;
}

function statDir(dir: string) {
  try {
    return statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw asStorageError(e, dir);
  }
}

/**
 * Makes sure `dir` exists for our files: what is missing is created 0700; what exists, from
 * the config dir down (or the nearest existing directory when no config dir is known), is
 * checked and left as it is.
 */
export function ensurePrivateDir(dir: string): void {
  const target = resolve(dir);
  if (process.platform !== "win32") {
    const root = rootOf(target);
    for (let d = target; ; d = dirname(d)) {
      const st = statDir(d);
      if (st) judge(d, st.mode, st.isDirectory());
      if (d === root || d === dirname(d) || (!root && st)) break;
    }
  }
  try {
    mkdirSync(target, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw asStorageError(e, target);
  }
}

function judge(dir: string, mode: number, isDir: boolean): void {
  if (!isDir) {
    throw new DatumctlError(`cannot keep datumctl's files in ${dir}: it is not a directory`, {
      code: "STORAGE",
      hint: "Point DATUMCTL_CONFIG_DIR at a directory (it is created if missing).",
    });
  }
  if (mode & 0o022) {
    throw new DatumctlError(`refusing to keep datumctl's files in ${dir}: it is ${octal(mode)}, writable by others, who could replace them`, {
      code: "STORAGE",
      hint: `Point DATUMCTL_CONFIG_DIR at a directory of your own (datumctl creates it 0700), or, if ${dir} is yours alone: chmod go-w ${dir}`,
    });
  }
  if (mode & 0o077 && !warnedLoose) {
    warnedLoose = true;
    // Straight to stderr: this sits below every command's IO, and it is a warning, not data.
    writeSync(
      2,
      `warning: ${dir} is ${octal(mode)}: others can look inside (datumctl leaves modes it did not set alone); chmod 700 ${dir} to keep it private\n`,
    );
  }
}
