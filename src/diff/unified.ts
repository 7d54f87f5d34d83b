// What `diff -u -N LIVE MERGED` prints for two directories, in-process: for each file name
// (byte order) whose contents differ, GNU diff's `diff -u -N a b` line, the `---`/`+++` labels
// with modification times, and the hunks with three lines of context (chosen as GNU diff
// chooses them: ./gnu.ts). A file missing on one side counts as empty (-N) and is labelled
// with the epoch, as GNU diff labels it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, "0");

/** GNU diff's label time: local time with nanoseconds and the numeric zone. */
export function diffTimestamp(mtimeNs: bigint): string {
  const ms = Number(mtimeNs / 1_000_000n);
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const nanos = pad(((mtimeNs % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n, 9);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${nanos} ${zone}`;
}

interface Side {
  path: string;
  text: string;
  label: string;
}

function side(dir: string, name: string): Side {
  const path = join(dir, name);
  if (!existsSync(path)) return { path, text: "", label: `${path}\t${diffTimestamp(0n)}` };
  return { path, text: readFileSync(path, "utf8"), label: `${path}\t${diffTimestamp(statSync(path, { bigint: true }).mtimeNs)}` };
}

/** The unified diff of two texts: hunk lines only (no file labels), empty when they are equal. */
export async function hunks(from: string, to: string): Promise<string> {
  if (from === to) return "";
  const { unifiedHunks } = await import("./gnu");
  return unifiedHunks(from, to);
}

/** `diff -u -N fromDir toDir` as GNU diffutils prints it; "" when nothing differs. */
export async function diffDirectories(fromDir: string, toDir: string): Promise<string> {
  const names = [...new Set([...readdirSync(fromDir), ...readdirSync(toDir)])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let out = "";
  for (const name of names) {
    const a = side(fromDir, name);
    const b = side(toDir, name);
    const body = await hunks(a.text, b.text);
    if (!body) continue;
    out += `diff -u -N ${a.path} ${b.path}\n--- ${a.label}\n+++ ${b.label}\n${body}`;
  }
  return out;
}
