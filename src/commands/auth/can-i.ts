import { defineCommand } from "citty";
import { DatumctlError } from "../../errors";

// Placeholder until this command lands.
export default defineCommand({
  run() {
    throw new DatumctlError("'datumctl auth can-i' is not available yet", { code: "UNKNOWN_COMMAND" });
  },
});
