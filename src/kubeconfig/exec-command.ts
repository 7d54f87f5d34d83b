// The `command` kubectl runs for the exec credential plugin: a path that keeps working.
//
// Measured in a compiled Bun binary (bun 1.4.5, Linux), started as a symlink, through PATH
// and by a relative path:
//   process.argv0    what the caller passed as argv[0], verbatim: "/home/u/bin/datumctl",
//                    "./bin/datumctl", or the bare "datumctl" when found on PATH;
//   process.argv[0]  always the literal "bun" (useless); process.argv[1] is "/$bunfs/root/…";
//   process.execPath the resolved real file (symlinks followed), e.g. a versioned
//                    /opt/homebrew/Cellar/datumctl/0.19.0/bin/datumctl that `brew upgrade`
//                    deletes;
//   Bun.main         "/$bunfs/root/<name>" (B:/~BUN/root/… on Windows) in a compiled binary,
//                    the script's path when run as `bun src/entry.ts`.
// So the path comes from argv0: made absolute without resolving symlinks, or looked up on
// PATH when bare. It is used only when it is the very binary that is running; otherwise we
// fall back to execPath and say so. Run from source, the running executable is Bun itself,
// which must never end up in a kubeconfig: --exec-command is then required.
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import type { Env } from "../runtime";
import { invalidInput } from "../errors";

export interface Invocation {
  argv0: string;
  execPath: string;
  main: string;
  cwd: string;
}

export function currentInvocation(): Invocation {
  return { argv0: process.argv0, execPath: process.execPath, main: Bun.main, cwd: process.cwd() };
}

export interface ExecCommand {
  command: string;
  /** Something the user should know about the path chosen (stderr). */
  warning?: string;
}

const isCompiled = (main: string) => main.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(main);
const isBun = (execPath: string) => /^bun(?:\.exe)?$/i.test(basename(execPath));
export const hasSeparator = (p: string) => p.includes("/") || (process.platform === "win32" && p.includes("\\"));
/** Homebrew's versioned keg path, gone after the next `brew upgrade`. */
export const isVersionedKeg = (p: string) => /[\\/]Cellar[\\/][^\\/]+[\\/][^\\/]+[\\/]/.test(p);

export function realpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** An absolute path for `name` as the user would reach it: never with symlinks resolved. */
function locate(name: string, env: Env, cwd: string): string | undefined {
  if (hasSeparator(name) || isAbsolute(name)) return resolve(cwd, name);
  const found = Bun.which(name, { PATH: env.PATH ?? env.Path ?? "", cwd });
  return found ? resolve(cwd, found) : undefined;
}

export function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== "win32") accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path to write, from --exec-command or from how this datumctl was started. */
export function execCommand(env: Env, inv: Invocation, explicit?: string): ExecCommand {
  if (explicit !== undefined) {
    const path = locate(explicit, env, inv.cwd);
    if (!path || !isExecutableFile(path)) {
      throw invalidInput(`--exec-command ${explicit}: no such executable file`, "Give the path of the datumctl binary kubectl should run.");
    }
    return { command: path };
  }
  if (!isCompiled(inv.main) || isBun(inv.execPath)) {
    throw invalidInput(
      "datumctl is running from source under Bun, and Bun cannot be kubectl's credential plugin",
      "Pass --exec-command with the path of a datumctl binary (for example dist/datumctl after 'bun run build').",
    );
  }
  const running = realpath(inv.execPath) ?? inv.execPath;
  const same = (p: string | undefined): p is string => !!p && isExecutableFile(p) && realpath(p) === running;

  let command = locate(inv.argv0, env, inv.cwd);
  if (!same(command)) command = undefined;
  // A versioned Homebrew path, typed or reached through a symlink: prefer the PATH entry.
  if (!command || isVersionedKeg(command)) {
    const onPath = locate(basename(inv.execPath), env, inv.cwd);
    if (same(onPath) && !isVersionedKeg(onPath)) command = onPath;
  }
  if (command && !isVersionedKeg(command)) return { command };
  command ??= inv.execPath;
  return {
    command,
    warning: isVersionedKeg(command)
      ? `${command} is a versioned Homebrew path that the next 'brew upgrade' removes; pass --exec-command "$(brew --prefix)/bin/datumctl" to write a stable one`
      : `could not tell which path started datumctl (argv[0] is "${inv.argv0}"); writing ${command}. Pass --exec-command to choose another`,
  };
}
