// The text the editor shows: kubectl's header comment (with the reasons a save failed, after a
// failure), then the objects as YAML or JSON. And the ways an edited text is read back:
// comments dropped by hand, or compared by meaning (parsed, keys sorted) when it parses.
import { goJson } from "../printers/go-json";

export interface Reason {
  head: string;
  /** Bullet points under the head: one per field the server complained about. */
  other: string[];
}

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** A line break inside a reason keeps the comment going. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?=[^#])/g, "\n# ");
}

export function header(reasons: Reason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLineBreak(r.head)}${r.other.length ? ":" : ""}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += "#\n";
  }
  return out;
}

/** Every line whose first non-blank character is '#' (but not '#!') goes. */
export function manualStrip(text: string): string {
  return text
    .split("\n")
    .filter((line) => {
      const t = line.trim();
      return !(t.startsWith("#") && !t.startsWith("#!"));
    })
    .join("\n");
}

/**
 * The text without comments, for "did anything change": the parsed documents as sorted
 * JSON when the text parses (so re-indenting or re-quoting is no change), else the text with
 * comment lines dropped.
 */
export async function stripComments(text: string): Promise<string> {
  const YAML = await import("yaml");
  try {
    const docs = YAML.parseAllDocuments(text, { version: "1.1" });
    const all = Array.isArray(docs) ? docs : [docs];
    if (all.some((d) => d.errors.length)) return manualStrip(text);
    return goJson(all.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown));
  } catch {
    return manualStrip(text);
  }
}

/** True when some line holds more than blanks and comments. */
export function hasLines(text: string): boolean {
  return text.split("\n").some((line) => {
    const t = line.trim();
    return t.length > 0 && !t.startsWith("#");
  });
}
