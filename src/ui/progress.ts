// Progress lines on stderr ("Refreshing contexts..."), for a person watching a terminal.
// Scripts and logs get only results and errors: a failure is then the message and its hint
// alone, and with --error-format json|yaml the one envelope.
import type { Env, Runtime } from "../runtime";

type ProgressRuntime = Pick<Runtime, "io" | "globals"> & { env?: Env };

export function progress(rt: Pick<Runtime, "io" | "globals">, text: string): void {
  if (rt.globals.errorFormat === "human" && rt.io.stderrTTY) rt.io.err(text.endsWith("\n") ? text : `${text}\n`);
}

/** A wait that shows how long is left; `say` prints a line without tearing the spinner. */
export interface Countdown {
  say(text: string): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 100;
/** Without a terminal, a plain line this often: enough for a log, never a flood. */
const PLAIN_EVERY_MS = 60_000;
const CLEAR_LINE = "\r\x1b[2K";

/** "4m59s", "59s": what is left, to the second. */
export function timeLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * Shows `text` until stopped, with the time left until `deadline` (epoch ms; none: no limit).
 * On a terminal a spinner redrawn in place; elsewhere plain lines, one now and one a minute,
 * with no control characters. With --error-format json|yaml only what `say` is given.
 */
export function countdown(rt: ProgressRuntime, text: string, deadline: number | undefined): Countdown {
  const line = () => (deadline === undefined ? text : `${text} (${timeLeft(deadline - Date.now())} left)`);
  if (rt.globals.errorFormat !== "human") return { say: (t) => rt.io.err(`${t}\n`), stop() {} };
  if (!rt.io.stderrTTY || rt.env?.TERM === "dumb") {
    rt.io.err(`${line()}...\n`);
    const timer = setInterval(() => rt.io.err(`Still waiting: ${line()}\n`), PLAIN_EVERY_MS);
    timer.unref();
    return { say: (t) => rt.io.err(`${t}\n`), stop: () => clearInterval(timer) };
  }
  let frame = 0;
  let stopped = false;
  const draw = () => rt.io.err(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${line()}`);
  draw();
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  return {
    say(t) {
      rt.io.err(`${CLEAR_LINE}${t}\n`);
      if (!stopped) draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      rt.io.err(CLEAR_LINE);
    },
  };
}
