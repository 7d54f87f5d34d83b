// Executing a parsed kubectl JSONPath template against JSON, with kubectl's semantics:
// results grouped per top-level node, the range/end state machine over the flat node list
// (so a {range} without {end} still prints, and nested ranges resume after the last {end}),
// slices and negative indexes resolved per array, filters compared with Go's rules (int vs
// float is an error), missing keys skipped or reported. Our own code.
import { goString } from "../go-fmt";
import { type GoAny, type GoMap, GoNum, goKind, goTypeName, isGoInt, numberOf, sortedKeys } from "../go-value";
import type { ListNode, Node, Param } from "./parser";

/** Go's zero reflect.Value: what a nil element becomes once it is range's current object. */
export const INVALID: unique symbol = Symbol("invalid reflect.Value");
export type Value = GoAny | typeof INVALID;

export class JsonPathExecError extends Error {
  override name = "JsonPathExecError";
  /** What the failing step returned along with its error (an exists-filter counts it). */
  constructor(
    message: string,
    readonly partial: Value[] = [],
  ) {
    super(message);
  }
}

const isMap = (v: Value): v is GoMap => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof GoNum);

/** The concrete Go type name of a non-nil value, as reflect.Value.Type() prints it. */
function typeName(v: Value): string {
  if (v === INVALID) throw new JsonPathExecError("reflect: call of reflect.Value.Type on zero Value");
  return goTypeName(v);
}

/** fmt's %v of a reflect.Value. */
const formatV = (v: Value): string => (v === INVALID ? "<invalid reflect.Value>" : goString(v));

/** reflect.ValueOf(v.Interface()): a nil interface element becomes the zero Value. */
const reValue = (v: Value): Value => (v === null || v === undefined ? INVALID : v);

/** A string indexed like a Go string: its UTF-8 bytes, as uint8. */
const stringBytes = (s: string): Value[] => [...new TextEncoder().encode(s)].map((b) => new GoNum(b, "int"));

/** The children of a value for `*` and `..`: struct fields, map values, slice elements, string bytes. */
function children(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]!);
  if (typeof v === "string") return stringBytes(v);
  return [];
}

const isNilish = (v: Value) => v === null || v === undefined;

// Comparison as client-go's forked text/template does it (Equal, Less, …).
type BasicKind = "bool" | "int" | "uint" | "float" | "string";

function basicKind(v: Value): BasicKind {
  if (v === INVALID || v === null || v === undefined) throw new JsonPathExecError("invalid type for comparison");
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number" || v instanceof GoNum) return goKind(v) === "int" ? "int" : "float";
  throw new JsonPathExecError("invalid type for comparison");
}

const INCOMPATIBLE = "incompatible types for comparison";

function equal(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathExecError(INCOMPATIBLE);
  if (k1 === "int" || k1 === "float") return numberOf(a as GoAny) === numberOf(b as GoAny);
  return a === b;
}

/** Go compares strings by bytes; JS by UTF-16 units. Only astral characters differ. */
function compareStrings(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

function compare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case "<":
      return lessStr(a, b);
    case ">": {
      const le = lessStr(a, b) || equal(a, b);
      return !le;
    }
    case "==":
      return equal(a, b);
    case "!=":
      return !equal(a, b);
    case "<=":
      return lessStr(a, b) || equal(a, b);
    case ">=":
      return !lessStr(a, b);
    default:
      throw new JsonPathExecError(`unrecognized filter operator ${op}`);
  }
}

function lessStr(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathExecError(INCOMPATIBLE);
  if (k1 === "bool") throw new JsonPathExecError("invalid type for comparison");
  if (k1 === "string") return compareStrings(a as string, b as string);
  return numberOf(a as GoAny) < numberOf(b as GoAny);
}

export class JsonPathEngine {
  private rootStart = 0;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode = -1;

  constructor(
    private readonly root: ListNode,
    private readonly allowMissingKeys: boolean,
  ) {}

  /** One group of results per top-level node (text or action), range bodies once per element. */
  findResults(data: Value): Value[][] {
    const cur: Value[] = [data];
    const nodes = this.root.nodes;
    const full: Value[][] = [];
    for (let i = this.rootStart; i < nodes.length; i++) {
      const results = this.walk(cur, nodes[i]!);
      // An {end}: this block is over.
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = i;
        break;
      }
      // A {range}: run the rest of the template once per result.
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) {
            this.rootStart = i + 1;
            full.push(...this.findResults(reValue(value)));
          }
        } else {
          // Walk the body once anyway so the position reaches its {end}.
          this.rootStart = i + 1;
          this.findResults(INVALID);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (k === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case "list":
        return this.evalList(input, node);
      case "text":
        return [node.text];
      case "field":
        return this.evalField(input, node.value);
      case "array":
        return this.evalArray(input, node.params);
      case "filter":
        return this.evalFilter(input, node);
      case "int":
        return input.map(() => new GoNum(node.value, "int"));
      case "float":
        return input.map(() => new GoNum(node.value, "float64"));
      case "bool":
        return input.map(() => node.value);
      case "wildcard":
        return this.evalWildcard(input);
      case "recursive":
        return this.evalRecursive(input);
      case "union":
        return this.evalUnion(input, node.nodes);
      case "identifier":
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: Value[], node: ListNode): Value[] {
    let cur = input;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalUnion(input: Value[], lists: ListNode[]): Value[] {
    const result: Value[] = [];
    for (const list of lists) {
      try {
        result.push(...this.evalList(input, list));
      } catch (e) {
        if (e instanceof JsonPathExecError) throw new JsonPathExecError(e.message, input);
        throw e;
      }
    }
    return result;
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === "range") {
      this.beginRange++;
      return input;
    }
    if (name === "end") {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JsonPathExecError("not in range, nothing to end");
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`, input);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const results: Value[] = [];
    for (const v of input) {
      if (isNilish(v)) continue;
      if (isMap(v) && Object.hasOwn(v, name)) results.push(v[name] ?? null);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecError(`${name} is not found`);
    return results;
  }

  private evalArray(input: Value[], template: readonly [Param, Param, Param]): Value[] {
    const result: Value[] = [];
    // client-go's int arithmetic: 64 bits, wrapping.
    const int = (x: bigint) => BigInt.asIntN(64, x);
    for (const v of input) {
      if (isNilish(v)) continue;
      if (!Array.isArray(v)) throw new JsonPathExecError(`${typeName(v)} is not array or slice`, input);
      const [start, end, step] = template.map((p) => ({ ...p })) as [Param, Param, Param];
      const len = BigInt(v.length);
      if (!start.known) start.value = 0n;
      if (start.value < 0n) start.value = int(start.value + len);
      if (!end.known) end.value = len;
      if (end.value < 0n || (end.value === 0n && end.derived)) end.value = int(end.value + len);
      if (end.value === start.value) return result;
      if (start.value >= len || start.value < 0n) throw new JsonPathExecError(`array index out of bounds: index ${start.value}, length ${len}`, input);
      if (end.value > len || end.value < 0n) throw new JsonPathExecError(`array index out of bounds: index ${int(end.value - 1n)}, length ${len}`, input);
      if (start.value > end.value) throw new JsonPathExecError(`starting index ${start.value} is greater than ending index ${end.value}`, input);
      // Both ends are within the array now.
      const slice = v.slice(Number(start.value), Number(end.value));
      let by = 1;
      if (step.known) {
        if (step.value <= 0n) throw new JsonPathExecError("step must be > 0", input);
        by = Number(step.value);
      }
      for (let i = 0; i < slice.length; i += by) result.push(slice[i] ?? null);
    }
    return result;
  }

  private evalWildcard(input: Value[]): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (isNilish(v)) continue;
      results.push(...children(v));
    }
    return results;
  }

  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (isNilish(v)) continue;
      const kids = children(v);
      if (kids.length !== 0) {
        result.push(v);
        result.push(...this.evalRecursive(kids));
      }
    }
    return result;
  }

  /** Run fn; an error from it is returned by this step with `input` as its value. */
  private rethrow<T>(fn: () => T, input: Value[]): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof JsonPathExecError) throw new JsonPathExecError(e.message, input);
      throw e;
    }
  }

  private evalFilter(input: Value[], node: Extract<Node, { type: "filter" }>): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JsonPathExecError(`${isNilish(v) ? "<nil>" : formatV(v)} is not array or slice and cannot be filtered`, input);
      for (const item of v) {
        const temp: Value[] = [item ?? null];
        if (node.operator === "exists") {
          let lefts: Value[];
          try {
            lefts = this.evalList(temp, node.left);
          } catch (e) {
            if (!(e instanceof JsonPathExecError)) throw e;
            lefts = e.partial;
          }
          if (lefts.length > 0) results.push(item ?? null);
          continue;
        }
        const lefts = this.rethrow(() => this.evalList(temp, node.left), input);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecError("can only compare one element at a time", input);
        const rights = this.rethrow(() => this.evalList(temp, node.right), input);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecError("can only compare one element at a time", input);
        let pass: boolean;
        try {
          pass = compare(node.operator, reValue(lefts[0]!), reValue(rights[0]!));
        } catch (e) {
          if (e instanceof JsonPathExecError) throw new JsonPathExecError(e.message, results);
          throw e;
        }
        if (pass) results.push(item ?? null);
      }
    }
    return results;
  }
}

/** Is this result printed as JSON (maps and slices) rather than with %v? */
export const isComposite = (v: Value) => Array.isArray(v) || isMap(v);

export { isGoInt };
