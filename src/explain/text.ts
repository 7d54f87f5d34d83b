// The small text and value rules `explain` output depends on, as kubectl 1.32's Go code
// applies them: word wrapping (go-wordwrap 1.0.1's algorithm, counted in code points),
// indenting every line, Go template truthiness, and how Go prints a decoded JSON value.

/** Go's unicode.IsSpace, minus the no-break space the wrapper never breaks at. */
function isBreakingSpace(ch: string): boolean {
  switch (ch) {
    case " ":
    case "\t":
    case "\n":
    case "\v":
    case "\f":
    case "\r":
    case "\u0085":
    case "\u1680":
    case "\u2028":
    case "\u2029":
    case "\u202f":
    case "\u205f":
    case "\u3000":
      return true;
  }
  return ch >= "\u2000" && ch <= "\u200a";
}

/**
 * Greedy word wrap at `limit` columns. Breaks only at white space; a word longer than the
 * limit runs past it. The space where a line is broken is dropped; other runs of spaces are
 * kept as they are, and existing newlines start a new line. A limit of 0 leaves the text alone.
 */
export function wordWrap(text: string, limit: number): string {
  if (limit === 0) return text;
  const lim = limit < 0 ? Number.MAX_SAFE_INTEGER : limit; // Go converts a negative int to a huge uint
  let out = "";
  let column = 0;
  let word = "";
  let wordLen = 0;
  let space = "";
  let spaceLen = 0;
  const flush = () => {
    column += spaceLen + wordLen;
    out += space + word;
    space = word = "";
    spaceLen = wordLen = 0;
  };
  for (const ch of text) {
    if (ch === "\n") {
      if (wordLen === 0) {
        // Trailing spaces survive only if they still fit on the line.
        if (column + spaceLen <= lim) out += space;
        space = "";
        spaceLen = 0;
      } else {
        flush();
      }
      out += "\n";
      column = 0;
    } else if (isBreakingSpace(ch)) {
      if (spaceLen === 0 || wordLen > 0) flush();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (column + spaceLen + wordLen > lim && wordLen < lim) {
        out += "\n";
        column = 0;
        space = "";
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (column + spaceLen <= lim) out += space;
  } else {
    out += space + word;
  }
  return out;
}

/** Prefixes the text and every line after a newline (empty ones too) with `amount` spaces. */
export function indent(amount: number, text: string): string {
  const pad = " ".repeat(Math.max(0, amount));
  return pad + text.replaceAll("\n", `\n${pad}`);
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go template truth: false, 0, "", nil and empty maps and lists are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** A map's keys in the order Go ranges over them: sorted by bytes. */
export function goKeys(v: unknown): string[] {
  if (!isObject(v)) return [];
  return Object.keys(v).sort((a, b) => (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))));
}

/** fmt's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e6 on. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const exp = n.toExponential(); // shortest round-trip digits, e.g. "1.234567e+6"
  const [mantissa, e] = exp.split("e") as [string, string];
  const power = Number(e);
  if (power < -4 || power >= 6) {
    const sign = power < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return String(n);
}

/** How fmt's %v prints a value inside a map or list (nil is `<nil>`). */
function goValue(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  return goPrint(v);
}

/** How a Go template prints a decoded JSON value; a missing one is `<no value>`. */
export function goPrint(v: unknown): string {
  if (v === undefined || v === null) return "<no value>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (isObject(v))
    return `map[${goKeys(v)
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(" ")}]`;
  return String(v);
}
