// Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=) as
// list and watch requests use them. Parse errors are 400s with apimachinery's wording.
import { badRequest } from "./status";
import { isMap, type Obj } from "./types";

type Requirement =
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] };

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of s) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;

export function parseLabelSelector(s: string | null): Requirement[] {
  if (!s) return [];
  return splitTop(s).map((part) => {
    let m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(part);
    if (m)
      return {
        key: m[1]!,
        op: m[3] as "in" | "notin",
        values: m[4]!
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      };
    m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(part);
    if (m) return { key: m[1]!, op: m[3] === "!=" ? "!=" : "=", value: m[4]! };
    m = new RegExp(`^(!?)\\s*(${KEY})$`).exec(part);
    if (m) return { key: m[2]!, op: m[1] ? "!exists" : "exists" };
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "=":
        return has && l[r.key] === r.value;
      case "!=":
        return !has || l[r.key] !== r.value;
      case "in":
        return has && r.values.includes(l[r.key]!);
      case "notin":
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export function parseFieldSelector(s: string | null, allowed: string[]): FieldRequirement[] {
  if (!s) return [];
  return s
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
      const field = m[1]!;
      if (!allowed.includes(field)) {
        throw badRequest(`"${field}" is not a known field selector: only ${allowed.map((a) => `"${a}"`).join(", ")}`);
      }
      return { field, op: m[2] === "!=" ? "!=" : "=", value: m[3]! };
    });
}

function fieldValue(o: Obj, path: string): string {
  let cur: unknown = o;
  for (const p of path.split(".")) cur = isMap(cur) ? cur[p] : undefined;
  return cur === undefined || cur === null ? "" : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], o: Obj): boolean {
  return reqs.every((r) => (fieldValue(o, r.field) === r.value) === (r.op === "="));
}
