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
import { type Alias, Document, isAlias, isMap, isNode, isScalar, isSeq, type Node, Pair, Scalar, visit, YAMLMap, YAMLSeq } from "yaml";
import { bug } from "../errors";
import { ENTRY_KEY, entryName, type KubeconfigFile, rootMap, type Section } from "./document";
import {
  CannotSplice,
  column,
  continued,
  dashColumn,
  detectStyle,
  flowText,
  isJSONText,
  itemText,
  jsonIndent,
  nodesOf,
  plainCopy,
  rangeOf,
  renderLines,
  sameMeaning,
  scalar,
  type Splice,
  startWithProps,
  type Style,
} from "./yaml-text";

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

  /** Drops the entry `name` of a section, when there is one; the other entries keep their lines. */
  remove(section: Section, name: string): void {
    const pair = this.root.items.find((p) => isScalar(p.key) && p.key.value === section);
    if (!pair || (!isSeq(pair.value) && !isAlias(pair.value))) return;
    const ownCopy = isAlias(pair.value);
    const list = ownCopy ? plainCopy(pair.value as Alias, this.expected) : pair.value;
    if (!isSeq(list)) return;
    const index = list.items.findIndex((it) => this.nameOf(it) === name);
    if (index < 0) return;
    this.changed = true;
    pair.value = list;
    const old = list.items[index] as Node;
    const dropped = nodesOf(old);
    this.keepAliasMeanings(new Set([list, ...dropped]), dropped);
    list.items.splice(index, 1);
    if (this.whole) return;
    // The last one gone: `users: []`, as kubectl writes an empty section.
    if (list.items.length === 0) this.trySplice(() => this.replaceLines(rangeOf(pair.key)[1], this.originalValueEnd(pair), ": []"));
    else if (ownCopy || list.flow) this.trySplice(() => this.spliceSectionValue(pair, list));
    else this.trySplice(() => this.spliceRemoval(old));
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

  /** `old`'s lines leave the file, from its dash to the end of its last line. */
  private spliceRemoval(old: Node): void {
    const text = this.file.text;
    const start = startWithProps(text, old);
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    const dash = lineStart + dashColumn(text, start);
    if (text.slice(lineStart, dash).trim() !== "") throw new CannotSplice("the item's dash is not first on its line");
    this.splice(lineStart, this.lineEnd(rangeOf(old)[1]), "");
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
        throw bug(`could not write an equivalent of ${this.file.path}`, { fileUnchanged: true });
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
