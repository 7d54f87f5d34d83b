// A yes/no question on stderr, answered on stdin. Only asked when stdin and stderr are terminals.
import type { IO } from "../io";
import { readLine } from "./pick";

/** Anything but y or yes (or no answer at all) is no. */
export async function confirm(io: IO, question: string): Promise<boolean> {
  io.err(`${question} [y/N]: `);
  const answer = (await readLine())?.trim().toLowerCase();
  return answer === "y" || answer === "yes";
}
