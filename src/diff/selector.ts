// Label selectors applied on the client, to manifests read with -f (kubectl filters files
// this way: `diff -f dir/ -l app=web`). Forms: k=v, k==v, k!=v, k in (a,b), k notin (a,b),
// k (exists), !k (does not exist); terms joined by commas.
import { invalidInput } from "../errors";

type Term = (labels: Record<string, string>) => boolean;

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string, whole: string): Term {
  const bad = () => invalidInput(`the provided selector "${whole}" is not valid: unable to parse requirement: ${term}`);
  let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(",").map((v) => v.trim()));
    return op === "in" ? (l) => Object.hasOwn(l, key) && values.has(l[key]!) : (l) => !Object.hasOwn(l, key) || !values.has(l[key]!);
  }
  m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === "!=" ? (l) => l[key] !== value : (l) => Object.hasOwn(l, key) && l[key] === value;
  }
  m = /^(!?)([^\s!=(),]+)$/.exec(term);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
  }
  throw bad();
}

/** A predicate over an object's labels; throws INVALID_INPUT for a malformed selector. */
export function labelMatcher(selector: string): (labels: Record<string, string> | undefined) => boolean {
  const terms = splitTerms(selector).map((t) => parseTerm(t, selector));
  return (labels) => terms.every((t) => t(labels ?? {}));
}
