// The user's editor: $KUBE_EDITOR, else $EDITOR, else vi (notepad on Windows). A value with
// spaces is split into words; one with quotes or backslashes is handed to $SHELL -c (cmd /C on
// Windows) with the file appended, quoted. The editor gets the terminal; we wait for it.
import { randomInt } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";

export interface Editor {
  /** The words to run, the file's path going last (or into the shell command). */
  args: string[];
  /** True when args are `<shell> -c <command line>`. */
  shell: boolean;
}

export function chooseEditor(env: Runtime["env"], platform: NodeJS.Platform = process.platform): Editor {
  const windows = platform === "win32";
  const editor = env.KUBE_EDITOR || env.EDITOR || (windows ? "notepad" : "vi");
  if (!editor.includes(" ")) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(" "), shell: false };
  const shell = env.SHELL || (windows ? "cmd" : "/bin/bash");
  return { args: [shell, shell === "cmd" ? "/C" : "-c", editor], shell: true };
}

/** The command for one file: appended as a word, or quoted onto the shell's command line. */
export function editorCommand(editor: Editor, path: string): string[] {
  const args = [...editor.args];
  if (editor.shell) args[args.length - 1] = `${args.at(-1)} ${JSON.stringify(path)}`;
  else args.push(path);
  return args;
}

/** A new private file in the temp directory, e.g. /tmp/datumctl-edit-1234567.yaml. */
export function createTempFile(prefix: string, suffix: string, content: string): string {
  for (let attempt = 0; ; attempt++) {
    const path = join(tmpdir(), `${prefix}${randomInt(1e9, 1e10)}${suffix}`);
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && attempt < 100) continue;
      throw e;
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return path;
  }
}

/** Runs the editor on `path` and waits; errors name the editor as the user configured it. */
export async function launch(rt: Runtime, editor: Editor, path: string): Promise<void> {
  const shown = editor.args.join(" ");
  let proc: Bun.Subprocess;
  try {
    proc = Bun.spawn(editorCommand(editor, resolve(path)), {
      env: rt.env as Record<string, string>,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    });
  } catch {
    throw new DatumctlError(`unable to launch the editor "${shown}"`, {
      code: "INVALID_INPUT",
      hint: "Set $KUBE_EDITOR or $EDITOR to an editor on your PATH, e.g. EDITOR=nano.",
    });
  }
  const status = await proc.exited;
  if (status !== 0) throw new DatumctlError(`there was a problem with the editor "${shown}"`, { code: "INVALID_INPUT" });
}

/**
 * Writes `content` to a new temp file, lets the user edit it, and reads it back. When the
 * editor fails the file goes (it holds nothing the caller does not have).
 */
export async function editTempFile(rt: Runtime, editor: Editor, prefix: string, suffix: string, content: string): Promise<{ text: string; path: string }> {
  const path = createTempFile(prefix, suffix, content);
  try {
    await launch(rt, editor, path);
    return { text: readFileSync(path, "utf8"), path };
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
}
