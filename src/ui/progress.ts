// Progress lines on stderr ("Refreshing contexts..."), for a person watching a terminal.
// Scripts and logs get only results and errors: a failure is then the message and its hint
// alone, and with --error-format json|yaml the one envelope.
import type { Runtime } from "../runtime";

export function progress(rt: Pick<Runtime, "io" | "globals">, text: string): void {
  if (rt.globals.errorFormat === "human" && rt.io.stderrTTY) rt.io.err(text.endsWith("\n") ? text : `${text}\n`);
}
