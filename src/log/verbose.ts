// -v N logging on stderr. Level 6: one line per request; 8: headers; 9: bodies.
import type { Runtime } from "../cli/command";

export function vlog(rt: Pick<Runtime, "io" | "globals">, level: number, text: string): void {
  if (rt.globals.verbosity >= level) rt.io.err(text.endsWith("\n") ? text : text + "\n");
}
