// The path kubectl takes on every command: `datumctl auth get-token …`, served without the
// command tree, citty or the YAML parser. Anything unusual (help, a parse error) falls back to
// the full CLI so the user sees the same help and errors as everywhere else.
import { getToken, GET_TOKEN_ARGS } from "./auth/get-token";
import { parseFlags } from "./cli/flags";
import { liftGlobals, parseGlobals } from "./cli/globals";
import { EXIT, formatError, toDatumctlError } from "./errors";
import type { IO } from "./io";
import { configDir } from "./store/paths";

export async function fastGetToken(argv: readonly string[]): Promise<number | undefined> {
  let parsed;
  let globals;
  try {
    const lifted = liftGlobals(argv);
    globals = parseGlobals(lifted.globals);
    parsed = parseFlags(lifted.rest, GET_TOKEN_ARGS, "datumctl auth get-token");
  } catch {
    return undefined;
  }
  if (parsed.help || parsed.positionals.length > 0) return undefined;
  const io = leanIO();
  const env = process.env;
  const rt = { io, env, globals, configDir: configDir(env), serverWarnings: 0 };
  try {
    io.out(
      await getToken(rt, {
        output: parsed.values.output as string,
        session: parsed.values.session as string | undefined,
        execInfo: env.KUBERNETES_EXEC_INFO,
      }),
    );
    return EXIT.OK;
  } catch (e) {
    const err = toDatumctlError(e, globals.verbosity);
    io.err(formatError(err, globals.errorFormat, globals.verbosity));
    return err.exitCode;
  } finally {
    await io.flushed();
  }
}

/**
 * Output through Bun's own writers: node:fs (what processIO uses) and process.stdout are
 * each a measurable part of this path's start-up. Writes are chained so they keep their order.
 */
function leanIO(): IO & { flushed(): Promise<void> } {
  let pending: Promise<unknown> = Promise.resolve();
  const write = (sink: typeof Bun.stdout, text: string) => void (pending = pending.then(() => Bun.write(sink, text)));
  return {
    out: (t) => write(Bun.stdout, t),
    err: (t) => write(Bun.stderr, t),
    // Never asked on this path: get-token does not prompt.
    stdoutTTY: false,
    stderrTTY: false,
    stdinTTY: false,
    flushed: async () => void (await pending),
  };
}
