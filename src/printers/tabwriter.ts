// Go's text/tabwriter, so our tables line up byte for byte with kubectl's. Text is cells
// separated by tabs; a cell followed by a tab is padded to the widest cell of its column
// block (consecutive lines that have that column), the last cell of a line never is.
// Widths count code points, as Go counts runes.

export interface TabOptions {
  minWidth: number;
  padding: number;
}

/** `kubectl get` tables (printers.GetNewTabWriter). */
export const KUBECTL_TABLE: TabOptions = { minWidth: 6, padding: 3 };
/** `kubectl describe` (its prefix writer). */
export const KUBECTL_DESCRIBE: TabOptions = { minWidth: 0, padding: 2 };

const width = (s: string) => [...s].length;

/**
 * `remembered` makes column widths only grow from one call to the next (kubectl's writer is
 * built with RememberWidths): pass the same array for every write of one output, e.g. a watch.
 */
export function formatTabs(text: string, opts: TabOptions, remembered?: number[]): string {
  const trailingNewline = text.endsWith("\n");
  const lines = (trailingNewline ? text.slice(0, -1) : text).split("\n").map((l) => l.split("\t"));
  const widths: number[][] = lines.map(() => []);

  const format = (from: number, to: number, col: number) => {
    for (let i = from; i < to; ) {
      if (col >= lines[i]!.length - 1) {
        i++;
        continue;
      }
      let j = i;
      let w = opts.minWidth;
      while (j < to && col < lines[j]!.length - 1) {
        w = Math.max(w, width(lines[j]![col]!) + opts.padding);
        j++;
      }
      if (remembered) w = remembered[col] = Math.max(w, remembered[col] ?? 0);
      for (let k = i; k < j; k++) widths[k]![col] = w;
      format(i, j, col + 1);
      i = j;
    }
  };
  format(0, lines.length, 0);

  const out = lines.map((cells, i) => cells.map((c, k) => (k < cells.length - 1 ? c + " ".repeat(widths[i]![k]! - width(c)) : c)).join(""));
  return out.join("\n") + (trailingNewline ? "\n" : "");
}

/** Rows of cells → a kubectl table, each line newline-terminated; `remembered` as in formatTabs. */
export function tabwrite(rows: string[][], opts: TabOptions = KUBECTL_TABLE, remembered?: number[]): string {
  if (rows.length === 0) return "";
  return formatTabs(rows.map((r) => r.join("\t")).join("\n") + "\n", opts, remembered);
}
