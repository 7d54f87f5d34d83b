import { defineCommand } from "citty";
import { DatumctlError } from "../../errors";

// Placeholder until this command lands.
export default defineCommand({
  run() {
    throw new DatumctlError("'datumctl auth whoami' is not available yet", { code: "UNKNOWN_COMMAND" });
  },
});
