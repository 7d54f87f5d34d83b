// The slice of kubectl JSONPath that printer columns use: fields (with `\.` escapes), ['quoted']
// keys, [n] / [*] indexes, and filters such as [?(@.type=='Ready')] (==, !=, existence).
import { isMap } from "./types";

type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number | "*" }
  | { kind: "filter"; path: string[]; op?: "==" | "!="; value?: string | number | boolean };

/** Parse "a.b\.c" into ["a", "b.c"] (no leading dot). */
function splitFields(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && s[i + 1] === ".") {
      cur += ".";
      i++;
    } else if (c === ".") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.filter((f) => f !== "");
}

function literal(raw: string): string | number | boolean {
  const t = raw.trim();
  if (/^'.*'$|^".*"$/.test(t)) return t.slice(1, -1);
  if (t === "true" || t === "false") return t === "true";
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new Error(`unrecognized identifier ${t}`);
}

export function parse(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (s.startsWith("$")) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === "[") {
      const end = s.indexOf("]", s[i + 1] === "?" ? s.indexOf(")", i) : i);
      if (end < 0) throw new Error(`unterminated array index in ${expr}`);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner.startsWith("?(")) {
        const body = inner.slice(2, -1).trim();
        const m = /^@((?:\.[^=!\s]+)+)\s*(==|!=)?\s*(.*)$/.exec(body);
        if (!m) throw new Error(`unsupported filter ${inner}`);
        const step: Step = { kind: "filter", path: splitFields(m[1]!) };
        if (m[2]) Object.assign(step, { op: m[2], value: literal(m[3]!) });
        steps.push(step);
      } else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: "field", name: inner.slice(1, -1) });
      else if (inner === "*") steps.push({ kind: "index", index: "*" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else throw new Error(`invalid array index ${inner}`);
      continue;
    }
    // a run of dotted fields up to the next unescaped '['
    let j = i;
    while (j < s.length && !(s[j] === "[" && s[j - 1] !== "\\")) j++;
    for (const name of splitFields(s.slice(i, j))) steps.push({ kind: "field", name });
    i = j;
  }
  return steps;
}

function walk(v: unknown, path: string[]): unknown[] {
  let cur: unknown = v;
  for (const f of path) {
    if (!isMap(cur) || !(f in cur)) return [];
    cur = cur[f];
  }
  return [cur];
}

/** All values the expression selects in `root`, in document order. */
export function evaluate(expr: string, root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of parse(expr)) {
    const next: unknown[] = [];
    for (const v of values) {
      if (step.kind === "field") {
        if (isMap(v) && step.name in v) next.push(v[step.name]);
      } else if (step.kind === "index") {
        if (!Array.isArray(v)) continue;
        if (step.index === "*") next.push(...v);
        else {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else {
        const items = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [];
        for (const item of items) {
          const found = walk(item, step.path);
          if (!step.op) {
            if (found.length) next.push(item);
          } else if (found.length) {
            const equal = found[0] === step.value;
            if ((step.op === "==") === equal) next.push(item);
          }
        }
      }
    }
    values = next;
  }
  return values;
}

/** Go %v-style text of one value, as kubectl's JSONPath printer shows it. */
export function printValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return v === null ? "null" : "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
