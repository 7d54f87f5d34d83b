// Everything but the `auth get-token` fast path: global flags, command lookup, the run,
// and the one place where errors become output and exit codes.
import type { ArgsDef } from "citty";
import type { Env, Runtime } from "./runtime";
import { type EntryMeta } from "./cli/command";
import { afterCriticalSections } from "./critical-section";
import { type FlagDef, parseFlags } from "./cli/flags";
import { liftGlobals, parseGlobals, peekErrorFormat } from "./cli/globals";
import { renderHelp } from "./cli/help";
import { resolveCommand } from "./cli/resolve";
import { DatumctlError, EXIT, type ErrorFormat, formatError, invalidInput, toDatumctlError } from "./errors";
import { type IO, dieOfBrokenPipe, processIO } from "./io";
import { flushDeferredNotice } from "./store/credentials";
import { configDir } from "./store/paths";

export interface MainOptions {
  io?: IO;
  env?: Env;
  /** Install Ctrl-C / SIGTERM handling (the real process only). */
  signals?: boolean;
}

export async function main(argv: readonly string[], opts: MainOptions = {}): Promise<number> {
  const io = opts.io ?? processIO();
  const env = opts.env ?? process.env;
  const { globals: globalTokens, rest } = liftGlobals(argv);
  let format: ErrorFormat = peekErrorFormat(globalTokens);
  let verbosity = 0;
  let errorExitCode: number | undefined;
  if (opts.signals) onInterrupt(io, () => format);
  try {
    const globals = parseGlobals(globalTokens);
    format = globals.errorFormat;
    verbosity = globals.verbosity;
    const rt: Runtime = { io, globals, env, configDir: configDir(env), serverWarnings: 0 };
    if (io.stderrTTY) flushDeferredNotice(rt.configDir, (t) => io.err(`warning: ${t}\n`));
    const { root } = await import("./commands/index");
    const { cmd, path, args } = await resolveCommand(root, rest);
    errorExitCode = (cmd.meta as EntryMeta | undefined)?.errorExitCode;
    const usage = path.join(" ");
    const defs = ((typeof cmd.args === "function" ? await cmd.args() : await cmd.args) ?? {}) as ArgsDef;
    const parsed = parseFlags(args, defs, usage);
    if (parsed.help || !cmd.run) {
      io.out(await renderHelp(cmd, path));
      return EXIT.OK;
    }
    const values: Record<string, unknown> = { ...parsed.values, _: parsed.positionals };
    const positionalDefs = Object.entries(defs).filter(([, d]) => d.type === "positional");
    positionalDefs.forEach(([name], i) => (values[name] = parsed.positionals[i]));
    if (parsed.positionals.length > positionalDefs.length && !positionalDefs.some(([, d]) => (d as FlagDef).variadic)) {
      throw invalidInput(`unexpected argument "${parsed.positionals[positionalDefs.length]}" for "${usage}"`, `See '${usage} --help' for usage.`);
    }
    await cmd.run({ rawArgs: args, args: values as never, cmd, data: rt });
    if (globals.warningsAsErrors && rt.serverWarnings > 0) {
      throw new DatumctlError(`the server sent ${rt.serverWarnings} warning(s) and --warnings-as-errors is set`, { code: "SERVER" });
    }
    return rt.exitCode ?? EXIT.OK;
  } catch (e) {
    const err = toDatumctlError(e, verbosity);
    if (err.exitCode === EXIT.BROKEN_PIPE) {
      // Nobody reads stdout any more: end as kubectl does, killed by SIGPIPE, saying nothing.
      if (opts.signals) dieOfBrokenPipe();
      return EXIT.BROKEN_PIPE;
    }
    try {
      io.err(formatError(err, format, verbosity));
    } catch {
      // stderr is gone too: the exit code is all that is left to say it.
    }
    return errorExitCode ?? err.exitCode;
  }
}

/** Ctrl-C prints "Aborted." (or the INTERRUPTED envelope) and exits 130. Files are never half-written. */
function onInterrupt(io: IO, format: () => ErrorFormat): void {
  const exit = () => {
    const f = format();
    // On a terminal the ^C echo shares the line; start a fresh one.
    io.err(f === "human" ? (io.stderrTTY ? "\nAborted.\n" : "Aborted.\n") : formatError(new DatumctlError("interrupted", { code: "INTERRUPTED" }), f));
    process.exit(EXIT.INTERRUPTED);
  };
  // A refresh being saved finishes first (src/critical-section.ts).
  const stop = () => afterCriticalSections((t) => format() === "human" && io.err(t), exit);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
