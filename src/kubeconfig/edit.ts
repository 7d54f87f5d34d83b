// Editing one kubeconfig file in place.
//
// Edits are made on a clone of the parsed Document (setIn-style, so unknown fields of the
// edited entries survive), and the new text is produced by splicing only the edited nodes
// into the original text: comments, key order, quoting, indentation, extensions and every
// other cluster, user and context stay byte-for-byte as they were. The spliced text is
// parsed again and must mean exactly what the edited Document means; if it does not (an
// exotic layout the splicer did not foresee), the whole Document is written out instead,
// which is still correct and still keeps comments.
import { Document, isMap, isScalar, isSeq, type Node, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { bug } from "../errors";
import { ENTRY_KEY, entryName, type KubeconfigFile, rootMap, type Section } from "./document";

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
  return d
    .toString({ indent: style.indent, indentSeq: style.seqOffset > 0, lineWidth: 0 })
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

  /**
   * Creates or updates the entry `name` of a section. `fill` edits the entry's body map
   * (an existing body keeps the fields `fill` does not touch).
   */
  upsert(section: Section, name: string, fill: (body: YAMLMap) => void): void {
    this.changed = true;
    const key = ENTRY_KEY[section];
    const root = this.root;
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === section);
    const list = pair?.value;
    const existing = isSeq(list) ? list.items.find((it) => entryName(it) === name) : undefined;
    if (isMap(existing)) {
      const found: unknown = existing.get(key, true);
      let body: YAMLMap;
      if (isMap(found)) {
        body = found;
        // Ours to rewrite: block style, so a long certificate is not one endless flow line.
        body.flow = false;
      } else {
        body = new YAMLMap();
        existing.set(key, body);
      }
      fill(body);
      if (!this.whole) this.trySplice(() => this.spliceItem(list as YAMLSeq, existing, pair!));
      return;
    }
    const item = new YAMLMap();
    const body = new YAMLMap();
    fill(body);
    item.items.push(new Pair(scalar("name"), scalar(name)), new Pair(scalar(key), body));
    if (isSeq(list)) {
      list.items.push(item);
      if (!this.whole) this.trySplice(() => this.spliceAppend(list, pair!));
    } else if (pair) {
      const seq = new YAMLSeq();
      seq.items.push(item);
      pair.value = seq;
      if (!this.whole) this.trySplice(() => this.spliceSectionValue(pair, seq));
    } else {
      const seq = new YAMLSeq();
      seq.items.push(item);
      root.items.push(new Pair(scalar(section), seq));
      if (!this.whole) this.trySplice(() => this.appendToRoot(this.sectionLines(section, seq)));
    }
  }

  setCurrentContext(name: string): void {
    this.changed = true;
    const pair = this.root.items.find((p) => isScalar(p.key) && p.key.value === "current-context");
    if (pair) {
      const old = pair.value;
      pair.value = scalar(name);
      if (this.whole) return;
      this.trySplice(() => {
        const [start, end] = rangeOf(old);
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

  private spliceItem(list: YAMLSeq, item: YAMLMap, pair: Pair): void {
    if (list.flow) return this.spliceSectionValue(pair, list);
    const [start, end] = rangeOf(item);
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

function sameMeaning(text: string, want: unknown): boolean {
  const doc = parseDocument(text);
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
