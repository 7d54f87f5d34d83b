// Output streams, injected so library code can be run in-process by tests.
// Writes are synchronous on the raw file descriptors: ordering between stdout and stderr
// is kept, nothing is lost when the process exits, and no Node stream is created
// (touching process.stdout alone costs as much as the whole runtime start).
import { writeSync } from "node:fs";

export interface IO {
  /** Data: the only thing that goes to stdout. */
  out(text: string): void;
  /** Everything for humans: prompts, progress, warnings, errors. */
  err(text: string): void;
  readonly stdoutTTY: boolean;
  readonly stderrTTY: boolean;
  readonly stdinTTY: boolean;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      // A non-blocking pipe that is full: wait a moment for the reader.
      const code = (e as NodeJS.ErrnoException).code;
      // Which stream lost its reader, for errors.ts to end quietly as kubectl does.
      if (code === "EPIPE") throw Object.assign(e as Error, { fd });
      if (code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * Ends the process by SIGPIPE, as a Go program (kubectl) ends when its stdout's reader has gone:
 * shells then see 141 and stay quiet. The runtime ignores SIGPIPE (that is how the write failed
 * with EPIPE instead); adding and removing a listener puts the default action back. Returns only
 * if the signal did not end the process, and the caller exits 141 itself.
 */
export function dieOfBrokenPipe(): void {
  const ignore = () => {};
  process.on("SIGPIPE", ignore);
  process.off("SIGPIPE", ignore);
  process.kill(process.pid, "SIGPIPE");
}

// node:tty is loaded only when a command asks about terminals: its import alone costs
// `auth get-token` (which never asks) half again its start-up time.
const isatty = (fd: number): boolean => (require("node:tty") as typeof import("node:tty")).isatty(fd);

export function processIO(): IO {
  return {
    out: (t) => writeAll(1, t),
    err: (t) => writeAll(2, t),
    get stdoutTTY() {
      return isatty(1);
    },
    get stderrTTY() {
      return isatty(2);
    },
    get stdinTTY() {
      return isatty(0);
    },
  };
}

export interface CapturedIO extends IO {
  stdout: string;
  stderr: string;
}

/** An IO that records what a command printed, for in-process tests. */
export function captureIO(tty = false): CapturedIO {
  const io: CapturedIO = {
    stdout: "",
    stderr: "",
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
    stdoutTTY: tty,
    stderrTTY: tty,
    stdinTTY: tty,
  };
  return io;
}
