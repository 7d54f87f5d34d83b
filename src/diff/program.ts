// Which diff program compares the LIVE and MERGED directories, and how its exit status is
// read. $DATUMCTL_EXTERNAL_DIFF, else $KUBECTL_EXTERNAL_DIFF, names a program and its flags
// (split on spaces; only flags made of letters, digits, '-' and '=' are kept, and they follow
// the two directories, exactly as kubectl passes them). Without either, datumctl prints the
// `diff -u -N` output itself, so no diff binary is needed.
import type { Runtime } from "../runtime";
import { DatumctlError } from "../errors";
import { diffDirectories } from "./unified";

export interface ExternalDiff {
  command: string;
  args: string[];
  /** The variable it came from, for messages. */
  variable: string;
}

const SAFE_ARG = /^[a-zA-Z0-9-=]+$/;

export function externalDiff(env: Runtime["env"]): ExternalDiff | undefined {
  for (const variable of ["DATUMCTL_EXTERNAL_DIFF", "KUBECTL_EXTERNAL_DIFF"]) {
    const value = env[variable];
    if (!value) continue;
    const [command = "", ...rest] = value.split(" ");
    return { command, args: rest.filter((a) => SAFE_ARG.test(a)), variable };
  }
  return undefined;
}

const diffFailed = (d: ExternalDiff, why: string) =>
  new DatumctlError(`failed to run "${d.command}": ${why}`, { code: "INVALID_INPUT", hint: `The program comes from $${d.variable}.` });

async function pump(stream: ReadableStream<Uint8Array>, write: (t: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) write(decoder.decode(chunk, { stream: true }));
  const tail = decoder.decode();
  if (tail) write(tail);
}

/**
 * Compares the two directories; returns 0 when they are the same, 1 when they differ. A
 * program that fails any other way (status above 1, a signal, not found) is an error.
 */
export async function runDiffProgram(rt: Runtime, liveDir: string, mergedDir: string): Promise<0 | 1> {
  const external = externalDiff(rt.env);
  if (!external) {
    const out = await diffDirectories(liveDir, mergedDir);
    rt.io.out(out);
    return out ? 1 : 0;
  }
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    proc = Bun.spawn([external.command, liveDir, mergedDir, ...external.args], {
      env: rt.env as Record<string, string>,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw diffFailed(external, code === "ENOENT" ? `exec: "${external.command}": executable file not found in $PATH` : (e as Error).message);
  }
  await Promise.all([pump(proc.stdout, (t) => rt.io.out(t)), pump(proc.stderr, (t) => rt.io.err(t))]);
  const status = await proc.exited;
  if (status === 0 || status === 1) return status;
  if (proc.signalCode) throw diffFailed(external, `signal: ${signalName(String(proc.signalCode))}`);
  throw diffFailed(external, `exit status ${status}`);
}

/** Go's names for the common signals ("signal: killed"). */
function signalName(signal: string): string {
  const names: Record<string, string> = {
    SIGKILL: "killed",
    SIGTERM: "terminated",
    SIGINT: "interrupt",
    SIGSEGV: "segmentation fault",
    SIGABRT: "aborted",
    SIGPIPE: "broken pipe",
    SIGHUP: "hangup",
  };
  return names[signal] ?? signal;
}
