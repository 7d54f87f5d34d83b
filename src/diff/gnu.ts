// Line differences chosen exactly as GNU diffutils' `diff -u` chooses them, so the hunks
// datumctl prints are the ones kubectl (which runs GNU diff) prints. A generic LCS diff (jsdiff's)
// finds an equally short script but often aligns repeated lines differently: a YAML list of
// conditions with identical `status: "True"` lines is enough. Written from the algorithms' public
// descriptions and checked against GNU diff 3.8 on thousands of random inputs (tests/diff.test.ts):
//
//   1. The identical head and tail of the two texts are set aside, keeping 3 lines of each
//      ("horizon") in play, so later steps can move changes into them.
//   2. Lines are grouped into equivalence classes. Lines with no equal in the other text are
//      certainly changes and are left out of the search; lines with very many equals may be
//      left out when they sit in a run of such lines.
//   3. Myers' O(ND) search, meeting in the middle from both ends and recursing on the halves
//      (forward snake first, ties to the diagonal above).
//   4. Runs of changes are slid along repeated lines: back to merge with earlier runs, then as far
//      forward as possible, then back again to line up with a run of changes in the other text.
// One algorithm (GNU diff's line matching), kept whole; tests/architecture/sizes.test.ts allows its size.

export interface Change {
  /** First line deleted (or the line before which lines are inserted) in the old text, 0-based. */
  line0: number;
  /** First line inserted (or the line before which lines are deleted) in the new text, 0-based. */
  line1: number;
  deleted: number;
  inserted: number;
}

const NL = 10;
const HORIZON = 3;

/** The texts' identical head and tail, in GNU diff's terms: byte offsets where the compared part starts and ends. */
function identicalEnds(a: Uint8Array, b: Uint8Array, missing0: boolean, missing1: boolean): { prefixEnd: number; suffix0: number; suffix1: number } {
  const n0 = a.length;
  const n1 = b.length;
  let p = 0;
  while (p < n0 && p < n1 && a[p] === b[p]) p++;
  // An added final newline is not part of the identical head.
  if (n0 - (missing0 ? 1 : 0) < p !== n1 - (missing1 ? 1 : 0) < p) p--;
  // Back to the start of the line, then HORIZON lines more.
  let horizon = HORIZON;
  while (p !== 0 && (a[p - 1] !== NL || horizon-- !== 0)) p--;
  const prefixEnd = p;

  let q0 = n0;
  let q1 = n1;
  if (missing0 === missing1) {
    let stop = prefixEnd + (n0 < n1 ? 0 : n0 - n1);
    while (q0 !== stop) {
      q0--;
      q1--;
      if (a[q0] !== b[q1]) {
        q0++;
        q1++;
        stop = q0;
        break;
      }
    }
    // Into the tail: the rest of a partly matching line, then HORIZON lines.
    const atLineStart = (q0 === 0 || a[q0 - 1] === NL) && (q1 === 0 || b[q1 - 1] === NL);
    let keep = HORIZON + (atLineStart ? 0 : 1);
    while (keep-- !== 0 && q0 !== n0) while (a[q0++] !== NL) {}
    q1 += q0 - stop;
  }
  return { prefixEnd, suffix0: q0, suffix1: q1 };
}

/** The lines of bytes [from, to), each with its newline; an unterminated last line is marked. */
function linesOf(buf: Uint8Array, from: number, to: number, missingNewline: boolean, total: number): string[] {
  const out: string[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (buf[i] === NL) {
      const line = Buffer.from(buf.subarray(start, i)).toString("latin1");
      // The incomplete last line equals only the other text's incomplete last line.
      out.push(missingNewline && i === total - 1 ? `\u0000${line}` : `\n${line}`);
      start = i + 1;
    }
  }
  return out;
}

/** Which lines go straight to "changed" without being searched (GNU's discard_confusing_lines). */
function discards(equivs: Int32Array[], counts: Int32Array[]): Uint8Array[] {
  const result = equivs.map((e) => new Uint8Array(e.length));
  for (let f = 0; f < 2; f++) {
    const eq = equivs[f]!;
    const other = counts[1 - f]!;
    const d = result[f]!;
    let many = 5;
    for (let tem = Math.floor(eq.length / 64); (tem >>= 2) > 0; ) many *= 2;
    for (let i = 0; i < eq.length; i++) {
      const matches = other[eq[i]!]!;
      if (matches === 0) d[i] = 1;
      else if (matches > many) d[i] = 2;
    }
  }
  for (const d of result) {
    const end = d.length;
    for (let i = 0; i < end; i++) {
      if (d[i] === 2) {
        d[i] = 0;
        continue;
      }
      if (d[i] === 0) continue;
      // A run of discardable lines that starts with a certain one.
      let j = i;
      let provisional = 0;
      for (; j < end && d[j] !== 0; j++) if (d[j] === 2) provisional++;
      while (j > i && d[j - 1] === 2) {
        d[--j] = 0;
        provisional--;
      }
      const length = j - i;
      if (provisional * 4 > length) {
        while (j > i) if (d[--j] === 2) d[j] = 0;
        continue;
      }
      let minimum = 1;
      for (let tem = length >> 2; (tem >>= 2) > 0; ) minimum <<= 1;
      minimum++;
      // Long stretches of provisional lines inside the run stay in the search.
      for (let k = 0, consec = 0; k < length; k++) {
        if (d[i + k] !== 2) consec = 0;
        else if (minimum === ++consec) k -= consec;
        else if (minimum < consec) d[i + k] = 0;
      }
      // So do provisional lines near either end of the run.
      for (let k = 0, consec = 0; k < length; k++) {
        if (k >= 8 && d[i + k] === 1) break;
        if (d[i + k] === 2) {
          consec = 0;
          d[i + k] = 0;
        } else if (d[i + k] === 0) consec = 0;
        else consec++;
        if (consec === 3) break;
      }
      i += length - 1;
      for (let k = 0, consec = 0; k < length; k++) {
        if (k >= 8 && d[i - k] === 1) break;
        if (d[i - k] === 2) {
          consec = 0;
          d[i - k] = 0;
        } else if (d[i - k] === 0) consec = 0;
        else consec++;
        if (consec === 3) break;
      }
    }
  }
  return result;
}

interface Search {
  xv: Int32Array;
  yv: Int32Array;
  fd: Int32Array;
  bd: Int32Array;
  /** Index of diagonal 0 in fd/bd. */
  zero: number;
  tooExpensive: number;
  mark0: (x: number) => void;
  mark1: (y: number) => void;
}

const FAR = 0x7fffffff;

/** Myers' middle snake for xv[xoff, xlim) against yv[yoff, ylim); both ends are known to differ. */
function middle(
  s: Search,
  xoff: number,
  xlim: number,
  yoff: number,
  ylim: number,
  minimal: boolean,
): { xmid: number; ymid: number; loMinimal: boolean; hiMinimal: boolean } {
  const { xv, yv, fd, bd, zero: z } = s;
  const dmin = xoff - ylim;
  const dmax = xlim - yoff;
  const fmid = xoff - yoff;
  const bmid = xlim - ylim;
  let fmin = fmid;
  let fmax = fmid;
  let bmin = bmid;
  let bmax = bmid;
  const odd = ((fmid - bmid) & 1) !== 0;
  fd[z + fmid] = xoff;
  bd[z + bmid] = xlim;
  for (let c = 1; ; c++) {
    if (fmin > dmin) fd[z + --fmin - 1] = -1;
    else fmin++;
    if (fmax < dmax) fd[z + ++fmax + 1] = -1;
    else fmax--;
    for (let d = fmax; d >= fmin; d -= 2) {
      const lo = fd[z + d - 1]!;
      const hi = fd[z + d + 1]!;
      let x = lo >= hi ? lo + 1 : hi;
      let y = x - d;
      while (x < xlim && y < ylim && xv[x] === yv[y]) {
        x++;
        y++;
      }
      fd[z + d] = x;
      if (odd && bmin <= d && d <= bmax && bd[z + d]! <= x) return { xmid: x, ymid: y, loMinimal: true, hiMinimal: true };
    }
    if (bmin > dmin) bd[z + --bmin - 1] = FAR;
    else bmin++;
    if (bmax < dmax) bd[z + ++bmax + 1] = FAR;
    else bmax--;
    for (let d = bmax; d >= bmin; d -= 2) {
      const lo = bd[z + d - 1]!;
      const hi = bd[z + d + 1]!;
      let x = lo < hi ? lo : hi - 1;
      let y = x - d;
      while (x > xoff && y > yoff && xv[x - 1] === yv[y - 1]) {
        x--;
        y--;
      }
      bd[z + d] = x;
      if (!odd && fmin <= d && d <= fmax && x <= fd[z + d]!) return { xmid: x, ymid: y, loMinimal: true, hiMinimal: true };
    }
    if (minimal || c < s.tooExpensive) continue;
    // Far too costly: settle for the furthest-reaching diagonal of either search.
    let fxybest = -1;
    let fxbest = 0;
    for (let d = fmax; d >= fmin; d -= 2) {
      let x = Math.min(fd[z + d]!, xlim);
      let y = x - d;
      if (ylim < y) {
        x = ylim + d;
        y = ylim;
      }
      if (fxybest < x + y) {
        fxybest = x + y;
        fxbest = x;
      }
    }
    let bxybest = FAR;
    let bxbest = 0;
    for (let d = bmax; d >= bmin; d -= 2) {
      let x = Math.max(xoff, bd[z + d]!);
      let y = x - d;
      if (y < yoff) {
        x = yoff + d;
        y = yoff;
      }
      if (x + y < bxybest) {
        bxybest = x + y;
        bxbest = x;
      }
    }
    if (xlim + ylim - bxybest < fxybest - (xoff + yoff)) return { xmid: fxbest, ymid: fxybest - fxbest, loMinimal: true, hiMinimal: false };
    return { xmid: bxbest, ymid: bxybest - bxbest, loMinimal: false, hiMinimal: true };
  }
}

function compare(s: Search, xoff: number, xlim: number, yoff: number, ylim: number, minimal: boolean): void {
  const { xv, yv } = s;
  while (xoff < xlim && yoff < ylim && xv[xoff] === yv[yoff]) {
    xoff++;
    yoff++;
  }
  while (xlim > xoff && ylim > yoff && xv[xlim - 1] === yv[ylim - 1]) {
    xlim--;
    ylim--;
  }
  if (xoff === xlim) {
    while (yoff < ylim) s.mark1(yoff++);
  } else if (yoff === ylim) {
    while (xoff < xlim) s.mark0(xoff++);
  } else {
    const part = middle(s, xoff, xlim, yoff, ylim, minimal);
    compare(s, xoff, part.xmid, yoff, part.ymid, part.loMinimal);
    compare(s, part.xmid, xlim, part.ymid, ylim, part.hiMinimal);
  }
}

/**
 * Slides each run of changed lines along equal lines (GNU's shift_boundaries). `changed[k + 1]`
 * is line k's flag; index 0 and the last index are always-clear sentinels.
 */
function shiftBoundaries(changed: Uint8Array[], equivs: Int32Array[]): void {
  for (let f = 0; f < 2; f++) {
    const ch = changed[f]!;
    const other = changed[1 - f]!;
    const eq = equivs[f]!;
    const at = (k: number) => ch[k + 1]!;
    const set = (k: number, v: number) => void (ch[k + 1] = v);
    const oth = (k: number) => other[k + 1]!;
    const end = eq.length;
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < end && !at(i)) {
        while (oth(j++)) {}
        i++;
      }
      if (i === end) break;
      let start = i;
      while (at(++i)) {}
      while (oth(j)) j++;
      let runlength: number;
      let corresponding: number;
      do {
        runlength = i - start;
        // Back, while the line before the run equals its last line: merges with earlier runs.
        while (start && eq[start - 1] === eq[i - 1]) {
          set(--start, 1);
          set(--i, 0);
          while (at(start - 1)) start--;
          while (oth(--j)) {}
        }
        corresponding = oth(j - 1) ? i : end;
        // Forward, while the run's first line equals the line after it: merges with later runs.
        while (i !== end && eq[start] === eq[i]) {
          set(start++, 0);
          set(i++, 1);
          while (at(i)) i++;
          while (oth(++j)) corresponding = i;
        }
      } while (runlength !== i - start);
      // Back to where it lines up with a run of changes in the other text, if it can.
      while (corresponding < i) {
        set(--start, 1);
        set(--i, 0);
        while (oth(--j)) {}
      }
    }
  }
}

/** The changes that turn text `a` into text `b`, as GNU diff finds them. */
export function diffLines(a: Uint8Array, b: Uint8Array): Change[] {
  if (Buffer.compare(a, b) === 0) return [];
  // Texts end with a newline for the comparison; remember which had none.
  const missing0 = a.length > 0 && a[a.length - 1] !== NL;
  const missing1 = b.length > 0 && b[b.length - 1] !== NL;
  const A = missing0 ? Buffer.concat([a, Buffer.from("\n")]) : a;
  const B = missing1 ? Buffer.concat([b, Buffer.from("\n")]) : b;
  const { prefixEnd, suffix0, suffix1 } = identicalEnds(A, B, missing0, missing1);
  let skipped = 0;
  for (let i = 0; i < prefixEnd; i++) if (A[i] === NL) skipped++;
  const lines = [linesOf(A, prefixEnd, suffix0, missing0, A.length), linesOf(B, prefixEnd, suffix1, missing1, B.length)];

  const classes = new Map<string, number>();
  const equivs = lines.map((ls) => Int32Array.from(ls, (l) => classes.get(l) ?? (classes.set(l, classes.size + 1), classes.size)));
  const counts = equivs.map((eq) => {
    const c = new Int32Array(classes.size + 1);
    for (const e of eq) c[e]!++;
    return c;
  });
  const dropped = discards(equivs, counts);
  const changed = equivs.map((eq) => new Uint8Array(eq.length + 2));
  const kept = equivs.map((eq, f) => {
    const real: number[] = [];
    for (let i = 0; i < eq.length; i++) {
      if (dropped[f]![i] === 0) real.push(i);
      else changed[f]![i + 1] = 1;
    }
    return real;
  });
  const xv = Int32Array.from(kept[0]!, (i) => equivs[0]![i]!);
  const yv = Int32Array.from(kept[1]!, (i) => equivs[1]![i]!);
  let tooExpensive = 1;
  for (let diags = xv.length + yv.length + 3; diags !== 0; diags >>= 2) tooExpensive <<= 1;
  const size = xv.length + yv.length + 3;
  compare(
    {
      xv,
      yv,
      fd: new Int32Array(size),
      bd: new Int32Array(size),
      zero: yv.length + 1,
      tooExpensive: Math.max(4096, tooExpensive),
      mark0: (x) => void (changed[0]![kept[0]![x]! + 1] = 1),
      mark1: (y) => void (changed[1]![kept[1]![y]! + 1] = 1),
    },
    0,
    xv.length,
    0,
    yv.length,
    false,
  );
  shiftBoundaries(changed, equivs);

  // The flags as a forward list of changes, in whole-text line numbers.
  const [c0, c1] = changed as [Uint8Array, Uint8Array];
  const out: Change[] = [];
  let i0 = 0;
  let i1 = 0;
  const n0 = equivs[0]!.length;
  const n1 = equivs[1]!.length;
  while (i0 < n0 || i1 < n1) {
    if (c0[i0 + 1] || c1[i1 + 1]) {
      const line0 = i0;
      const line1 = i1;
      while (c0[i0 + 1]) i0++;
      while (c1[i1 + 1]) i1++;
      out.push({ line0: line0 + skipped, line1: line1 + skipped, deleted: i0 - line0, inserted: i1 - line1 });
    }
    i0++;
    i1++;
  }
  return out;
}

/** A hunk range as GNU prints it: `start,count`, `start` alone for one line, `before,0` for none. */
function range(first: number, count: number): string {
  if (count === 0) return `${first},0`;
  return count === 1 ? `${first + 1}` : `${first + 1},${count}`;
}

/** The hunks of `diff -u` (three lines of context), without the file labels; "" when equal. */
export function unifiedHunks(a: string, b: string, context = 3): string {
  const A = Buffer.from(a);
  const B = Buffer.from(b);
  const changes = diffLines(A, B);
  if (changes.length === 0) return "";
  const split = (t: string) => {
    const ls = t.split("\n");
    const missing = ls.at(-1) !== "";
    if (!missing) ls.pop();
    return { ls, missing };
  };
  const old = split(a);
  const neu = split(b);
  let out = "";
  const emit = (mark: string, text: { ls: string[]; missing: boolean }, k: number) => {
    out += `${mark}${text.ls[k]}\n`;
    if (text.missing && k === text.ls.length - 1) out += "\\ No newline at end of file\n";
  };
  for (let h = 0; h < changes.length; ) {
    // Changes closer than 2 * context + 1 unchanged lines share a hunk.
    let last = h;
    while (last + 1 < changes.length && changes[last + 1]!.line0 - (changes[last]!.line0 + changes[last]!.deleted) < 2 * context + 1) last++;
    const first = changes[h]!;
    const end = changes[last]!;
    const first0 = Math.max(0, first.line0 - context);
    const first1 = first0 + (first.line1 - first.line0);
    const last0 = Math.min(old.ls.length, end.line0 + end.deleted + context);
    const last1 = Math.min(neu.ls.length, end.line1 + end.inserted + context);
    out += `@@ -${range(first0, last0 - first0)} +${range(first1, last1 - first1)} @@\n`;
    let i = first0;
    let j = first1;
    let next = h;
    while (i < last0 || j < last1) {
      const c = next <= last ? changes[next]! : undefined;
      if (!c || i < c.line0) {
        emit(" ", old, i);
        i++;
        j++;
      } else {
        for (let k = 0; k < c.deleted; k++) emit("-", old, i++);
        for (let k = 0; k < c.inserted; k++) emit("+", neu, j++);
        next++;
      }
    }
    h = last + 1;
  }
  return out;
}
