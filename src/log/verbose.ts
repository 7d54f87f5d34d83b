// -v N logging on stderr. Level 6: one line per request; 8: headers; 9: bodies. Every line is
// scrubbed of secrets here, whatever its caller already did.
import type { Runtime } from "../runtime";
import { redactText } from "./redact";

export function vlog(rt: Pick<Runtime, "io" | "globals">, level: number, text: string): void {
  if (rt.globals.verbosity < level) return;
  const shown = redactText(text);
  rt.io.err(shown.endsWith("\n") ? shown : shown + "\n");
}
