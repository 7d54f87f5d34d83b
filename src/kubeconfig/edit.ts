// Editing one kubeconfig file in place.
//
// Edits are made on a clone of the parsed Document: an entry we own is replaced whole (no field
// of an older entry survives to contradict the new ones), and the new text is produced by
// splicing only the edited nodes into the original text: comments, key order, quoting,
// indentation, extensions and every other cluster, user and context stay byte-for-byte as they
// were. The spliced text is parsed again and must mean exactly what the edited Document means;
// if it does not (an exotic layout the splicer did not foresee), the whole Document is written
// out instead, which is still correct and still keeps comments.
//
// Anchors and aliases: an alias we replace is simply gone (its anchor stays where it is). A
// node we change or drop that an alias elsewhere points at first gives that alias a plain copy
// of what it meant, so no other entry changes meaning; a section that is itself an alias gets a
// plain copy of its own before it is edited.
import { type Alias, Document, isAlias, isCollection, isMap, isNode, isScalar, isSeq, type Node, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from "yaml";
import { bug } from "../errors";
import { ENTRY_KEY, entryName, type KubeconfigFile, PARSE_OPTIONS, rootMap, type Section } from "./document";

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

interface Style {
  eol: string;
  /** Column of the top-level keys (0 in any kubeconfig seen in the wild). */
  rootCol: number;
  /** Offset of a top-level list's `-` from its key (0 as kubectl writes, 2 for indented lists). */
  seqOffset: number;
  indent: number;
}

interface Splice {
  start: number;
  end: number;
  text: string;
  /** Tie-break for inserts at the same offset: earlier edits first. */
  order: number;
}

class CannotSplice extends Error {}

const column = (text: string, offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);

function rangeOf(node: unknown): [number, number, number] {
  const r = (node as Node | undefined)?.range;
  if (!r) throw new CannotSplice("node without a source range");
  return r;
}

const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** Where a node starts in the text, its anchor (`&a`) and tag (`!t`) included: its range leaves them out. */
function startWithProps(text: string, node: Node): number {
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
function dashColumn(text: string, start: number): number {
  let i = start - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  if (text[i] !== "-") throw new CannotSplice("item content does not follow its dash");
  return column(text, i);
}

function detectStyle(file: KubeconfigFile): Style {
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
function renderLines(node: Node, style: Style): string[] {
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
function continued(lines: string[], col: number, eol: string): string {
  const pad = " ".repeat(col);
  return [lines[0]!, ...lines.slice(1).map((l) => (l === "" ? l : pad + l))].join(eol);
}

/** A block sequence item: `-` at dashCol, content at contentCol. */
function itemText(lines: string[], dashCol: number, contentCol: number, eol: string): string {
  return " ".repeat(dashCol) + "-" + " ".repeat(contentCol - dashCol - 1) + continued(lines, contentCol, eol);
}

/** A copy of what `node` means in `doc`, aliases expanded and anchors dropped, keeping scalar styles. */
function plainCopy(node: Node, doc: Document): Node {
  if (isAlias(node)) {
    const source = node.resolve(doc);
    if (!source) throw bug(`alias *${node.source} has no anchor`, "This is a bug in datumctl; the file was left unchanged. Please report it.");
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
function nodesOf(node: unknown): Set<Node> {
  const found = new Set<Node>();
  if (isNode(node)) {
    found.add(node);
    visit(node, { Node: (_, n) => void found.add(n) });
  }
  return found;
}

/** Pending edits to one file. */
export class KubeconfigEdit {
  readonly file: KubeconfigFile;
  private readonly expected: Document;
  private readonly style: Style;
  private readonly splices: Splice[] = [];
  /** The file was empty: write the whole (new) document. */
  private readonly whole: boolean;
  private changed = false;
  /** Some edit could not be spliced: write the whole edited Document instead. */
  private failedSplice = false;

  constructor(file: KubeconfigFile) {
    this.file = file;
    this.expected = file.doc.clone();
    this.style = detectStyle(file);
    this.whole = !isMap(this.expected.contents);
    if (this.whole) {
      const root = new YAMLMap();
      root.items.push(new Pair(scalar("apiVersion"), scalar("v1")), new Pair(scalar("kind"), scalar("Config")));
      this.expected.contents = root;
    }
  }

  private get root(): YAMLMap {
    return this.expected.contents as YAMLMap;
  }

  private splice(start: number, end: number, text: string): void {
    this.splices.push({ start, end, text, order: this.splices.length });
  }

  /** Offset of the start of the line after `offset`'s line, when only blanks or a comment remain on it. */
  private lineEnd(offset: number): number {
    const text = this.file.text;
    if (offset > 0 && text[offset - 1] === "\n") return offset;
    const nl = text.indexOf("\n", offset);
    const rest = text.slice(offset, nl === -1 ? text.length : nl);
    if (!/^[ \t]*(?:#.*)?\r?$/.test(rest)) throw new CannotSplice("content after the node on its last line");
    return nl === -1 ? text.length : nl + 1;
  }

  /** Replaces [start, end) by `text`, ending with a newline where the original did. */
  private replaceLines(start: number, end: number, text: string): void {
    const stop = this.lineEnd(end);
    this.splice(start, stop, this.file.text[stop - 1] === "\n" ? text + this.style.eol : text);
  }

  /** Adds top-level lines after the last top-level entry. */
  private appendToRoot(lines: string[]): void {
    const text = this.file.text;
    const at = this.lineEnd(rangeOf(this.file.doc.contents)[2]);
    const pad = " ".repeat(this.style.rootCol);
    const block = lines.map((l) => (l === "" ? l : pad + l)).join(this.style.eol);
    this.splice(at, at, at > 0 && text[at - 1] !== "\n" ? this.style.eol + block : block + this.style.eol);
  }

  /** `key:` followed by a block sequence, as top-level lines. */
  private sectionLines(key: string, seq: YAMLSeq): string[] {
    const dash = this.style.seqOffset;
    const items = seq.items.map((it) => itemText(renderLines(it as Node, this.style), dash, dash + 2, "\n"));
    return [`${key}:`, ...items.join("\n").split("\n")];
  }

  /** The name of a section's item (an alias or a map with merge keys reads as what it means). */
  private nameOf(item: unknown): string | undefined {
    return isNode(item) ? entryName(item.toJS(this.expected)) : undefined;
  }

  /**
   * Before `changing` nodes change (and the `dropped` ones leave the file): every alias outside
   * `dropped` that points at one of them is replaced by a plain copy of what it means now.
   */
  private keepAliasMeanings(changing: Set<Node>, dropped: Set<Node>): void {
    const affected: Alias[] = [];
    visit(this.expected, {
      Alias: (_, a) => {
        if (dropped.has(a)) return;
        const source = a.resolve(this.expected);
        if (source && changing.has(source)) affected.push(a);
      },
    });
    if (affected.length === 0) return;
    const copies = new Map(affected.map((a) => [a as Node, plainCopy(a, this.expected)]));
    visit(this.expected, { Alias: (_, a) => copies.get(a) });
    for (const [alias, copy] of copies) this.trySplice(() => this.splice(rangeOf(alias)[0], rangeOf(alias)[1], flowText(copy)));
  }

  /** Creates the entry `name` of a section, or replaces the one there with exactly `body`. */
  upsert(section: Section, name: string, body: YAMLMap): void {
    this.changed = true;
    const item = new YAMLMap();
    item.items.push(new Pair(scalar("name"), scalar(name)), new Pair(scalar(ENTRY_KEY[section]), body));
    const root = this.root;
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === section);
    // A section that is an alias of a list elsewhere: this file gets its own plain copy to edit.
    const ownCopy = pair !== undefined && isAlias(pair.value);
    if (ownCopy) pair.value = plainCopy(pair.value as Alias, this.expected);
    const list = pair?.value;
    if (isSeq(list)) {
      const index = list.items.findIndex((it) => this.nameOf(it) === name);
      const old = index >= 0 ? (list.items[index] as Node) : undefined;
      const dropped = nodesOf(old);
      this.keepAliasMeanings(new Set([list, ...dropped]), dropped);
      if (old) {
        // A comment on the entry's name line describes the entry; it stays with it.
        const oldName = isMap(old) ? old.get("name", true) : undefined;
        if (isScalar(oldName) && oldName.comment) (item.items[0]!.value as Scalar).comment = oldName.comment;
        list.items[index] = item;
      } else list.items.push(item);
      if (this.whole) return;
      if (ownCopy) this.trySplice(() => this.spliceSectionValue(pair!, list));
      else if (old) this.trySplice(() => this.spliceItem(list, old, item, pair!));
      else this.trySplice(() => this.spliceAppend(list, pair!));
      return;
    }
    const seq = new YAMLSeq();
    seq.items.push(item);
    if (pair) {
      const dropped = nodesOf(pair.value);
      this.keepAliasMeanings(dropped, dropped);
      pair.value = seq;
      if (!this.whole) this.trySplice(() => this.spliceSectionValue(pair, seq));
    } else {
      root.items.push(new Pair(scalar(section), seq));
      if (!this.whole) this.trySplice(() => this.appendToRoot(this.sectionLines(section, seq)));
    }
  }

  setCurrentContext(name: string): void {
    this.changed = true;
    const pair = this.root.items.find((p) => isScalar(p.key) && p.key.value === "current-context");
    if (pair) {
      const old = pair.value;
      const dropped = nodesOf(old);
      this.keepAliasMeanings(dropped, dropped);
      pair.value = scalar(name);
      if (this.whole) return;
      this.trySplice(() => {
        const start = startWithProps(this.file.text, old as Node);
        const end = rangeOf(old)[1];
        const rendered = renderLines(pair.value as Node, this.style)[0]!;
        this.splice(start, end, start === end ? ` ${rendered}` : rendered);
      });
      return;
    }
    const added = new Pair(scalar("current-context"), scalar(name));
    this.root.items.push(added);
    if (this.whole) return;
    const alone = new YAMLMap();
    alone.items.push(added);
    this.trySplice(() => this.appendToRoot(renderLines(alone, this.style)));
  }

  private trySplice(f: () => void): void {
    if (this.failedSplice) return;
    try {
      f();
    } catch (e) {
      if (!(e instanceof CannotSplice)) throw e;
      this.failedSplice = true;
    }
  }

  /** `old`'s lines in the file become `item`'s. */
  private spliceItem(list: YAMLSeq, old: Node, item: YAMLMap, pair: Pair): void {
    if (list.flow) return this.spliceSectionValue(pair, list);
    const start = startWithProps(this.file.text, old);
    const end = rangeOf(old)[1];
    dashColumn(this.file.text, start);
    this.replaceLines(start, end, continued(renderLines(item, this.style), column(this.file.text, start), this.style.eol));
  }

  private spliceAppend(list: YAMLSeq, pair: Pair): void {
    const previous = list.items[list.items.length - 2];
    if (list.flow || !previous) return this.spliceSectionValue(pair, list);
    const [start, end] = rangeOf(previous);
    const dash = dashColumn(this.file.text, start);
    const at = this.lineEnd(end);
    const text = itemText(renderLines(list.items[list.items.length - 1] as Node, this.style), dash, column(this.file.text, start), this.style.eol);
    this.splice(at, at, at > 0 && this.file.text[at - 1] !== "\n" ? this.style.eol + text : text + this.style.eol);
  }

  /** `users: []`, `users: null`, `users:` or a flow list → a block list after the key. */
  private spliceSectionValue(pair: Pair, seq: YAMLSeq): void {
    seq.flow = false;
    const keyEnd = rangeOf(pair.key)[1];
    const oldEnd = this.originalValueEnd(pair);
    const [, ...rest] = this.sectionLines(String((pair.key as Scalar).value), seq);
    const pad = " ".repeat(this.style.rootCol);
    this.replaceLines(keyEnd, oldEnd, ":" + this.style.eol + rest.map((l) => (l === "" ? l : pad + l)).join(this.style.eol));
  }

  /** End of the value the pair had in the file as read. */
  private originalValueEnd(pair: Pair): number {
    const key = (pair.key as Scalar).value;
    const original = rootMap(this.file.doc)!.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!original) throw new CannotSplice("no such key in the original");
    const v = original.value;
    return v && (v as Node).range ? rangeOf(v)[1] : rangeOf(original.key)[1] + 1;
  }

  /** The new text of the file, or the old one when nothing changed. */
  render(): string {
    if (!this.changed) return this.file.text;
    const want = this.expected.toJS();
    let out: string | undefined;
    if (isJSONText(this.file.text)) {
      out = JSON.stringify(want, null, jsonIndent(this.file.text)) + "\n";
    } else if (!this.whole && !this.failedSplice) {
      out = this.applySplices();
      if (out !== undefined && !sameMeaning(out, want)) out = undefined;
    }
    if (out === undefined) {
      out = this.expected.toString({ indent: this.style.indent, indentSeq: this.style.seqOffset > 0, lineWidth: 0 });
      if (this.style.eol !== "\n") out = out.replace(/\n/g, this.style.eol);
      if (!sameMeaning(out, want)) {
        throw bug(`could not write an equivalent of ${this.file.path}`, "This is a bug in datumctl; the file was left unchanged. Please report it.");
      }
    }
    return out;
  }

  /** The spliced text; undefined when two edits overlap (never expected, but then: whole). */
  private applySplices(): string | undefined {
    let text = this.file.text;
    const ordered = [...this.splices].sort((a, b) => b.start - a.start || b.order - a.order);
    let limit = Infinity;
    for (const s of ordered) {
      if (s.end > limit) return undefined;
      text = text.slice(0, s.start) + s.text + text.slice(s.end);
      limit = s.start;
    }
    return text;
  }
}

/** A node on one line, to stand where an alias stood. */
function flowText(node: Node): string {
  visit(node, { Collection: (_, c) => void (c.flow = true) });
  if (isCollection(node)) node.flow = true;
  const d = new Document();
  d.contents = node;
  return d.toString({ lineWidth: 0, verifyAliasOrder: false }).replace(/\n$/, "");
}

function sameMeaning(text: string, want: unknown): boolean {
  const doc = parseDocument(text, PARSE_OPTIONS);
  return doc.errors.length === 0 && Bun.deepEquals(doc.toJS(), want);
}

function isJSONText(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function jsonIndent(text: string): number | string {
  const m = text.match(/\n([ \t]+)"/);
  return m ? (m[1]!.startsWith("\t") ? "\t" : m[1]!.length) : 2;
}
