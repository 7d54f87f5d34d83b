// Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, spaces), so our tables
// line up exactly like kubectl's. Widths count code points, as Go counts runes.

const MIN_WIDTH = 6;
const PADDING = 3;

const width = (s: string) => [...s].length;

/**
 * Rows of cells → aligned text, each line newline-terminated. Every cell but the last of a row
 * is padded, so an empty last cell leaves the padding of the one before it: kubectl prints
 * those trailing spaces too, and byte-for-byte output is the point.
 */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell) + PADDING, MIN_WIDTH)));
  }
  return rows
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + " ".repeat(widths[i]! - width(cell)) : cell)).join("") + "\n")
    .join("");
}
