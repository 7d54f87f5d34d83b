// The built binary on a pseudo-terminal, as a person at a keyboard runs it: the screen as it is
// drawn, a wait for a prompt that fails if the program ends first, and typing.
import { BINARY } from "./cli";

export interface OnTerminal {
  proc: Bun.Subprocess;
  /** Everything drawn on the terminal so far. */
  readonly screen: string;
  /** Resolves once the screen matches; rejects, with the screen, if the program ends before. */
  shows(pattern: RegExp): Promise<void>;
  type(text: string): void;
  /** Kills the program if it still runs and closes the terminal. */
  close(): void;
}

export function onTerminal(args: string[], opts: { env: Record<string, string>; cwd: string }): OnTerminal {
  let screen = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const decoder = new TextDecoder();
  const proc = Bun.spawn([BINARY, ...args], {
    env: opts.env,
    cwd: opts.cwd,
    terminal: {
      cols: 200,
      rows: 50,
      data(_t, bytes) {
        screen += decoder.decode(bytes, { stream: true });
        for (const w of [...waiters]) {
          if (!w.pattern.test(screen)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      },
    },
  });
  return {
    proc,
    get screen() {
      return screen;
    },
    shows(pattern) {
      const seen = new Promise<void>((resolve) => (pattern.test(screen) ? resolve() : waiters.push({ pattern, resolve })));
      const ended = proc.exited.then(() => {
        if (!pattern.test(screen)) throw new Error(`${args[0]} ended before showing ${pattern}:\n${screen}`);
      });
      return Promise.race([seen, ended]);
    },
    type(text) {
      proc.terminal!.write(text);
    },
    close() {
      proc.kill();
      proc.terminal?.close();
    },
  };
}
