// What every command and library function is handed instead of reaching for globals: the
// streams, the parsed global flags, the environment and the config directory. Types only, at the
// bottom of the layers, so any module may name them.
import type { ErrorFormat } from "./errors";
import type { IO } from "./io";

export type Env = Record<string, string | undefined>;

/** The flags every command accepts (src/cli/globals.ts parses them). */
export interface Globals {
  errorFormat: ErrorFormat;
  project?: string;
  organization?: string;
  platformWide: boolean;
  namespace?: string;
  verbosity: number;
  /** 0 means no limit. */
  requestTimeoutMs: number;
  warningsAsErrors: boolean;
}

/** What every command receives besides its flags: injected so tests can run it in-process. */
export interface Runtime {
  io: IO;
  globals: Globals;
  env: Env;
  /** `~/.datumctl`, or $DATUMCTL_CONFIG_DIR. */
  configDir: string;
  /** Set by a command to choose the exit code without raising an error (e.g. `diff` found changes). */
  exitCode?: number;
  /** Count of `Warning:` headers the server sent; with --warnings-as-errors any makes the command fail. */
  serverWarnings: number;
}
