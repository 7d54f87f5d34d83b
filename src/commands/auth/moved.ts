import { defineCommand } from "../../cli/command";
import { DatumctlError } from "../../errors";

// `datumctl auth login|logout` were the old spellings: say where they went.
export default defineCommand({
  args: { rest: { type: "positional", required: false, variadic: true } },
  run(ctx) {
    const verb = ctx.rawArgs.includes("logout") ? "logout" : "login";
    throw new DatumctlError(`'datumctl auth ${verb}' is now 'datumctl ${verb}'`, { code: "UNKNOWN_COMMAND", hint: `Run 'datumctl ${verb} --help'.` });
  },
});
