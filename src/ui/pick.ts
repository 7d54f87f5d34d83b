// A numbered picker on stderr, answered on stdin. Only offered when stdin and stderr are terminals.
import type { IO } from "../io";

export async function pick(io: IO, title: string, labels: string[], preselected = 0): Promise<number | undefined> {
  io.err(`${title}\n`);
  labels.forEach((l, i) => io.err(`  ${String(i + 1).padStart(2)}) ${l}\n`));
  for (;;) {
    io.err(`Choose 1-${labels.length} [${preselected + 1}]: `);
    const line = await readLine();
    if (line === undefined) return undefined;
    const answer = line.trim();
    if (answer === "") return preselected;
    const n = Number(answer);
    if (Number.isInteger(n) && n >= 1 && n <= labels.length) return n - 1;
  }
}

export async function readLine(): Promise<string | undefined> {
  for await (const line of console) return line;
  return undefined;
}
