import { defineCommand } from "citty";
import { DatumctlError } from "../../errors";

// Placeholder until this command lands.
export default defineCommand({
  run() {
    throw new DatumctlError("'datumctl auth doctor' is not available yet", { code: "UNKNOWN_COMMAND" });
  },
});
