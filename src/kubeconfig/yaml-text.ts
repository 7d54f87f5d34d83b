// YAML at the level of text, for edit.ts's splicer: the layout a file uses (line ends,
// indentation, list offsets), where a node's source begins, nodes rendered to fit that layout,
// and scalars written so that YAML 1.1 (kubectl) and 1.2 read them alike.
import { Document, isAlias, isCollection, isMap, isNode, isSeq, type Node, Pair, parseDocument, Scalar, visit, type YAMLMap, YAMLSeq } from "yaml";
import { bug } from "../errors";
import { type KubeconfigFile, PARSE_OPTIONS, rootMap } from "./document";

// Go's YAML (1.1) reads these plain scalars as booleans, nulls or numbers; quote them.
const YAML11_NOT_STRING =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN))$/;

/** A scalar node that reads back as the same value under YAML 1.1 (kubectl) and 1.2. */
export function scalar(value: string | number | boolean): Scalar {
  const s = new Scalar(value);
  if (typeof value === "string") {
    if (value.includes("\n")) s.type = Scalar.BLOCK_LITERAL;
    else if (value === "" || YAML11_NOT_STRING.test(value)) s.type = Scalar.QUOTE_DOUBLE;
  }
  return s;
}

export function stringSeq(values: string[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const v of values) seq.items.push(scalar(v));
  return seq;
}

export interface Style {
  eol: string;
  /** Column of the top-level keys (0 in any kubeconfig seen in the wild). */
  rootCol: number;
  /** Offset of a top-level list's `-` from its key (0 as kubectl writes, 2 for indented lists). */
  seqOffset: number;
  indent: number;
}

export interface Splice {
  start: number;
  end: number;
  text: string;
  /** Tie-break for inserts at the same offset: earlier edits first. */
  order: number;
}

export class CannotSplice extends Error {}

export const column = (text: string, offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);

export function rangeOf(node: unknown): [number, number, number] {
  const r = (node as Node | undefined)?.range;
  if (!r) throw new CannotSplice("node without a source range");
  return r;
}

const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** Where a node starts in the text, its anchor (`&a`) and tag (`!t`) included: its range leaves them out. */
export function startWithProps(text: string, node: Node): number {
  let start = rangeOf(node)[0];
  if (!node.anchor && !node.tag) return start;
  for (;;) {
    let end = start;
    while (end > 0 && isBlank(text[end - 1])) end--;
    let begin = end;
    while (begin > 0 && !isBlank(text[begin - 1])) begin--;
    if (begin === end || (text[begin] !== "&" && text[begin] !== "!")) return start;
    start = begin;
  }
}

/** Column of the `-` introducing a block sequence item whose content starts at `start`. */
export function dashColumn(text: string, start: number): number {
  let i = start - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  if (text[i] !== "-") throw new CannotSplice("item content does not follow its dash");
  return column(text, i);
}

export function detectStyle(file: KubeconfigFile): Style {
  const text = file.text;
  const style: Style = { eol: text.includes("\r\n") ? "\r\n" : "\n", rootCol: 0, seqOffset: 0, indent: 2 };
  const root = rootMap(file.doc);
  if (!root?.range) return style;
  style.rootCol = column(text, root.range[0]);
  for (const pair of root.items) {
    const list = pair.value;
    if (!isSeq(list) || list.flow || list.items.length === 0) continue;
    const first = list.items[0];
    if (!isMap(first) || !first.range) continue;
    try {
      style.seqOffset = Math.max(0, dashColumn(text, first.range[0]) - style.rootCol);
    } catch {
      continue;
    }
    for (const p of first.items) {
      if (isMap(p.value) && !p.value.flow && p.value.range) {
        const step = column(text, p.value.range[0]) - column(text, first.range[0]);
        if (step >= 1 && step <= 8) style.indent = step;
        break;
      }
    }
    break;
  }
  return style;
}

/** A node's block rendering as lines, without comments or blank lines before it. */
export function renderLines(node: Node, style: Style): string[] {
  const copy = node.clone() as Node;
  copy.commentBefore = undefined;
  copy.spaceBefore = false;
  const d = new Document();
  d.contents = copy;
  // An alias here points at an anchor earlier in the file, outside this node.
  return d
    .toString({ indent: style.indent, indentSeq: style.seqOffset > 0, lineWidth: 0, verifyAliasOrder: false })
    .replace(/\n$/, "")
    .split("\n");
}

/** Lines after the first indented to `col` (the first goes where the caller already is). */
export function continued(lines: string[], col: number, eol: string): string {
  const pad = " ".repeat(col);
  return [lines[0]!, ...lines.slice(1).map((l) => (l === "" ? l : pad + l))].join(eol);
}

/** A block sequence item: `-` at dashCol, content at contentCol. */
export function itemText(lines: string[], dashCol: number, contentCol: number, eol: string): string {
  return " ".repeat(dashCol) + "-" + " ".repeat(contentCol - dashCol - 1) + continued(lines, contentCol, eol);
}

/** A copy of what `node` means in `doc`, aliases expanded and anchors dropped, keeping scalar styles. */
export function plainCopy(node: Node, doc: Document): Node {
  if (isAlias(node)) {
    const source = node.resolve(doc);
    if (!source) throw bug(`alias *${node.source} has no anchor`, { fileUnchanged: true });
    return plainCopy(source, doc);
  }
  const copy = node.clone() as Node;
  copy.anchor = undefined;
  if (isCollection(node)) {
    (copy as YAMLMap | YAMLSeq).items = node.items.map((it) => {
      if (!(it instanceof Pair)) return plainCopy(it as Node, doc);
      const key = isNode(it.key) ? plainCopy(it.key, doc) : it.key;
      const value = isNode(it.value) ? plainCopy(it.value, doc) : it.value;
      return new Pair(key, value);
    }) as never;
  }
  return copy;
}

/** Every node of a tree, itself included. */
export function nodesOf(node: unknown): Set<Node> {
  const found = new Set<Node>();
  if (isNode(node)) {
    found.add(node);
    visit(node, { Node: (_, n) => void found.add(n) });
  }
  return found;
}

/** A node on one line, to stand where an alias stood. */
export function flowText(node: Node): string {
  visit(node, { Collection: (_, c) => void (c.flow = true) });
  if (isCollection(node)) node.flow = true;
  const d = new Document();
  d.contents = node;
  return d.toString({ lineWidth: 0, verifyAliasOrder: false }).replace(/\n$/, "");
}

export function sameMeaning(text: string, want: unknown): boolean {
  const doc = parseDocument(text, PARSE_OPTIONS);
  return doc.errors.length === 0 && Bun.deepEquals(doc.toJS(), want);
}

export function isJSONText(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function jsonIndent(text: string): number | string {
  const m = text.match(/\n([ \t]+)"/);
  return m ? (m[1]!.startsWith("\t") ? "\t" : m[1]!.length) : 2;
}
