// Borderless tables from text positions (after Tabula's "stream" and
// pdfplumber's text strategy): lines that break into several chunks at wide
// gaps, stacked so that the gaps line up, make a table; columns are the
// x-ranges that whitespace separates in (almost) every line.
import type { Line, Word } from './types.js';
import { chunks, wordsText } from './words.js';
import type { Box, PCell, PRow, PTable } from './table-build.js';
import type { Rule } from './ruled.js';

const GAP = 0.9; // column gap, in font sizes

interface LineInfo {
  line: Line;
  parts: Word[][];
  /** parts split further at narrower gaps (numbers in adjacent columns) */
  fine?: Word[][];
  /** a band of several lines read as one (a row with vertically centred cells): its first line's baseline */
  top?: number;
  /** a short line at the table's left edge between records (a section heading row): one cell across all columns */
  section?: boolean;
}

/** Baseline distance from one (band of) line(s) to the next: from the lower's first line to the upper's last. */
const gapOf = (a: LineInfo, b: LineInfo): number => a.line.base - (b.top ?? b.line.base);

export const isNumeric = (s: string): boolean => /^[(\-–—+$€£]*[\d.,%\s]+[)%*a-z]?$/i.test(s.trim()) || /^[-–—]$/.test(s.trim());

/** Finds borderless table regions among lines (top to bottom) and builds them. */
export function findBorderless(lines: Line[], page: number, hRules: Rule[], banded = true): PTable[] {
  const plain: LineInfo[] = lines.map((line) => ({ line, parts: chunks(line, GAP) }));
  const info = banded ? toBands(plain) : plain;
  const found: { i: number; j: number; t: PTable }[] = [];
  let i = 0;
  while (i < info.length) {
    if (info[i].parts.length < 2) {
      i++;
      continue;
    }
    // Grow a block downwards: multi-chunk lines, and single-chunk lines that sit inside one column.
    let j = i;
    let lastMulti = i;
    while (j + 1 < info.length) {
      const prev = info[j].line;
      const next = info[j + 1];
      const gap = gapOf(info[j], next);
      const size = Math.max(prev.size, next.line.size);
      if (gap < 0) break;
      if (next.parts.length >= 2) {
        if (gap > 3.2 * size) break;
        j++;
        lastMulti = j;
        continue;
      }
      const cols = findColumns(info.slice(i, j + 1));
      if (gap <= 2 * size && cols.length >= 2 && overlapCols(next.parts[0], cols).length === 1) {
        j++;
        continue;
      }
      // A section heading row: the records after it go on in the same columns.
      if (j + 2 < info.length && sectionRow(info.slice(i, j + 1), next, info[j + 2], cols)) {
        next.section = true;
        j += 2;
        lastMulti = j;
        continue;
      }
      break;
    }
    // Trailing single lines stay only when they read on closely (a cell's last lines).
    while (j > lastMulti && gapOf(info[j - 1], info[j]) > 1.6 * info[j].line.size) j--;
    for (let k = lastMulti + 1; k <= j; k++) if (gapOf(info[k - 1], info[k]) > 1.6 * info[k].line.size) { j = k - 1; break; }
    const block = info.slice(i, j + 1);
    let t = buildBlock(block, page);
    if (t) {
      // A bold line just above whose words fall into the table's columns is its header row.
      const head = i > 0 && (found.length === 0 || found[found.length - 1].j < i - 1) ? headerLine(info[i - 1], info[i], t) : undefined;
      const withHead = head && buildBlock([head, ...block], page, true, 1);
      if (withHead && withHead.xs.length === t.xs.length && withHead.rows.length === t.rows.length + 1) {
        t = withHead;
        i--;
      }
      found.push({ i, j, t });
      i = j + 1;
    } else {
      for (let k = i; k <= j; k++) info[k].section = undefined;
      i++;
    }
  }
  // Tables split by a short heading line (a section row) or a wider gap, with the same columns, are one table.
  const merged: { i: number; j: number; t: PTable }[] = [];
  for (const f of found) {
    const prev = merged[merged.length - 1];
    if (prev && f.i - prev.j - 1 <= 2) {
      const between = info.slice(prev.j + 1, f.i);
      const gap = gapOf(info[prev.j], info[f.i]);
      const size = info[f.i].line.size;
      // A heading set larger than the table's text starts a new section, not a section row.
      const short = between.every((b) => b.parts.length === 1 && b.line.words.length <= 12 && b.line.x0 >= prev.t.box[0] - 4 * size && b.line.x1 <= prev.t.box[2] + size && b.line.size < 1.3 * size);
      const same = sameCols(prev.t.xs, f.t.xs, size);
      if (short && gap < (between.length + 1) * 3.5 * size) {
        // Same columns: one table split by section rows. Otherwise the block above may be the
        // body's header (its lines span and stack differently): keep it when the body's columns survive.
        const t = same
          ? buildBlock(info.slice(prev.i, f.j + 1), page, true)
          : buildBlock(info.slice(prev.i, f.j + 1), page, true, f.i - prev.i);
        if (t && (same || t.xs.length === f.t.xs.length)) {
          merged[merged.length - 1] = { i: prev.i, j: f.j, t };
          continue;
        }
      }
    }
    merged.push(f);
  }
  return merged.map((m) => m.t);
}

/**
 * A short line starting at the block's left edge, between records that split
 * into the block's columns (the line below puts each part in one column of
 * its own, left to right), reaching into the second column, at no more than
 * a row gap either side.
 */
function sectionRow(blk: LineInfo[], s: LineInfo, below: LineInfo, cols: [number, number][]): boolean {
  const last = blk[blk.length - 1];
  const size = Math.max(last.line.size, below.line.size);
  if (s.parts.length !== 1 || s.top !== undefined || s.line.words.length > 12 || s.line.size >= 1.3 * below.line.size || below.parts.length < 2) return false;
  const left = Math.min(...blk.map((b) => b.line.x0));
  if (Math.abs(s.line.x0 - left) > size || s.line.x1 > Math.max(...blk.map((b) => b.line.x1))) return false;
  const up = gapOf(last, s);
  const down = gapOf(s, below);
  if (up <= 0 || down <= 0 || up > 3.2 * size || down > 3.2 * size) return false;
  if (cols.length < 2) return false;
  // It runs into the second column (a row label that fits its column stays a row label).
  const second = [...blk, below].filter((b) => !b.section).map((b) => starts(b)[1]).filter((x) => x !== undefined);
  second.sort((x, y) => x - y);
  if (!second.length || s.line.x1 <= second[Math.floor((second.length - 1) / 2)]) return false;
  let end = -1;
  for (const p of below.parts) {
    // A band's part holds several lines: its extent is over all of them.
    const ext = [{ x0: Math.min(...p.map((w) => w.x0)) }, { x1: Math.max(...p.map((w) => w.x1)) }] as unknown as Word[];
    const oc = overlapCols(ext, cols);
    // Each part in a column of its own (prose in page columns runs across the table's columns).
    if (oc[0] <= end || oc.length > 1) return false;
    end = oc[oc.length - 1];
  }
  return true;
}

/** Where a line's pieces start, left to right: its parts split at narrow gaps, line by line within a band. */
function starts(b: LineInfo): number[] {
  const out: number[] = [];
  for (const p of b.parts) {
    const byBase = new Map<number, Word[]>();
    for (const w of p) byBase.set(Math.round(w.base), [...(byBase.get(Math.round(w.base)) ?? []), w]);
    for (const ws of byBase.values()) for (const c of chunks({ words: ws.sort((x, y) => x.x0 - y.x0) } as Line, FINE)) out.push(c[0].x0);
  }
  return [...new Set(out.map((x) => Math.round(x)))].sort((x, y) => x - y);
}

function isHeaderBlock(t: PTable): boolean {
  const cells = t.rows.flatMap((r) => r.cells.filter((c) => c.words.length));
  const numeric = cells.filter((c) => isNumeric(wordsText(c.words))).length;
  return t.rows.length <= 8 && numeric <= 0.1 * cells.length;
}

function sameCols(a: number[], b: number[], size: number): boolean {
  if (a.length !== b.length) return false;
  // Inner edges (column starts) within a couple of characters.
  for (let k = 1; k < a.length - 1; k++) if (Math.abs(a[k] - b[k]) > 3 * size) return false;
  return true;
}


/** A region known to be a table (inside a ruled frame): columns from text gaps and the given rule positions. */
export function buildRegion(lines: Line[], page: number, cuts: number[]): PTable | undefined {
  const sorted = [...lines].sort((a, b) => b.base - a.base || a.x0 - b.x0);
  const info: LineInfo[] = sorted.map((line) => ({ line, parts: splitAt(chunks(line, GAP), cuts) }));
  return buildBlock(info, page, true);
}

function splitAt(parts: Word[][], cuts: number[]): Word[][] {
  const out: Word[][] = [];
  for (const p of parts) {
    let cur: Word[] = [];
    for (const w of p) {
      const prev = cur[cur.length - 1];
      if (prev && cuts.some((x) => prev.x1 <= x + 1 && w.x0 >= x - 1)) {
        out.push(cur);
        cur = [];
      }
      cur.push(w);
    }
    if (cur.length) out.push(cur);
  }
  return out;
}

/** A long rule spanning both lines' extent separates two tables only when `strong`. */
function ruleBetween(h: Rule[], a: Line, b: Line, strong: boolean): boolean {
  if (!strong) return false;
  void h;
  void a;
  void b;
  return false;
}

const FINE = 0.6;

function buildBlock(block0: LineInfo[], page: number, merging = false, headerLines?: number): PTable | undefined {
  const block = block0.map((b) => ({ ...b, fine: b.parts.flatMap((p) => chunks({ words: p } as Line, FINE)) }));
  const multi = block.filter((b) => b.parts.length >= 2);
  if (multi.length < 2) return undefined;
  // Prose in two page columns also splits into chunks: reject long chunks.
  const wordsPer = multi.flatMap((b) => b.parts.map((p) => p.length)).sort((a, b) => a - b);
  const midWords = wordsPer[Math.floor(wordsPer.length / 2)];
  if (midWords > 6 && findColumns(block).length <= 2) return undefined;
  const cols = findColumns(block, headerLines);
  if (cols.length < 2) return undefined;
  // Running text set in page columns: every column holds long runs of words.
  const colWords = cols.map(() => [] as number[]);
  for (const b of block) for (const p of b.fine) colWords[overlapCols(p, cols)[0]].push(p.length);
  if (!merging && colWords.every((a) => a.length === 0 || median(a) > 4)) return undefined;
  // Running text in a page column beside a numeric table is not the table's last column.
  if (!merging && cols.length >= 3) {
    const last = cols.length - 1;
    const med = colWords.map((a) => (a.length ? median(a) : 0));
    const inner = block.flatMap((b) => b.fine.filter((p) => { const c = overlapCols(p, cols)[0]; return c > 0 && c < last; }));
    const numeric = inner.filter((p) => isNumeric(wordsText(p))).length;
    if (med[last] >= 5 && med.slice(0, last).every((m) => m <= 4) && numeric >= 0.5 * inner.length) {
      const cut = cols[last][0] - 1;
      const lines = block0
        .map((b) => b.line.words.filter((w) => w.x1 < cut))
        .filter((ws) => ws.length)
        .map((ws) => ({ ...block0[0].line, words: ws, x0: ws[0].x0, x1: ws[ws.length - 1].x1, y0: Math.min(...ws.map((w) => w.y0)), y1: Math.max(...ws.map((w) => w.y1)), base: ws[0].base, size: Math.max(...ws.map((w) => w.size)) }));
      const sub = findBorderless(lines, page, [], false);
      return sub.sort((a, b) => b.rows.length - a.rows.length)[0];
    }
  }
  // Each column must be used by at least two lines.
  const used = cols.map(() => 0);
  for (const b of block) for (const p of b.fine) for (const c of overlapCols(p, cols)) used[c]++;
  if (used.some((u) => u < 2) && cols.length === 2) return undefined;
  if (multi.length < 3 && cols.length < 3) return undefined;

  // One row per line, then continuation lines merged into their row.
  type LRow = { lines: LineInfo[]; cells: Map<number, { span: number; words: Word[]; rowSpan?: number }>; section?: boolean };
  const rows: LRow[] = [];
  for (const b of block) {
    if (b.section) {
      rows.push({ lines: [b], cells: new Map([[0, { span: cols.length, words: [...b.line.words] }]]), section: true });
      continue;
    }
    const cells = new Map<number, { span: number; words: Word[] }>();
    for (const p of b.fine) {
      const oc = overlapCols(p, cols);
      const c = oc[0];
      const span = oc[oc.length - 1] - c + 1;
      const existing = cells.get(c);
      if (existing) {
        existing.words.push(...p);
        existing.span = Math.max(existing.span, span);
      } else cells.set(c, { span, words: [...p] });
    }
    // Two parts in one column (or a span over a filled column) are one cell.
    const keys = [...cells.keys()].sort((a, b) => a - b);
    for (let k = 0; k + 1 < keys.length; k++) {
      const a = cells.get(keys[k])!;
      if (keys[k] + a.span > keys[k + 1]) {
        const b = cells.get(keys[k + 1])!;
        a.words.push(...b.words);
        a.span = Math.max(a.span, keys[k + 1] + b.span - keys[k]);
        cells.delete(keys[k + 1]);
        keys.splice(k + 1, 1);
        k--;
      }
    }
    const row: LRow = { lines: [b], cells };
    const prev = rows[rows.length - 1];
    if (prev && !prev.section && continues(prev, row)) {
      for (const [c, v] of row.cells) {
        const pc = prev.cells.get(c);
        if (pc) pc.words.push(...v.words);
        else prev.cells.set(c, v);
      }
      prev.lines.push(b);
    } else rows.push(row);
  }
  collapseHeader(rows, cols.length);
  if (rows.length < 2) return undefined;

  const left = Math.min(...block.map((b) => b.line.x0));
  const right = Math.max(...block.map((b) => b.line.x1));
  const xs = [left, ...cols.slice(1).map((c) => c[0]), right];
  const coveredBelow = new Set<number>();
  const pRows: PRow[] = rows.map((r) => {
    const top = Math.max(...r.lines.map((l) => l.line.y1));
    const bottom = Math.min(...r.lines.map((l) => l.line.y0));
    const cells: PCell[] = [];
    const covered = new Set(coveredBelow);
    coveredBelow.clear();
    const empty = (c: number): void => {
      if (!covered.has(c)) cells.push({ col: c, rowSpan: 1, colSpan: 1, words: [], area: [cols[c][0], bottom, cols[c][1], top] });
    };
    let c = 0;
    const keys = [...r.cells.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      for (; c < k; c++) empty(c);
      const v = r.cells.get(k)!;
      cells.push({ col: k, rowSpan: v.rowSpan ?? 1, colSpan: v.span, words: v.words, area: [cols[k][0], bottom, cols[k + v.span - 1][1], top] });
      if ((v.rowSpan ?? 1) > 1) for (let x = k; x < k + v.span; x++) coveredBelow.add(x);
      c = k + v.span;
    }
    for (; c < cols.length; c++) empty(c);
    return { cells, page };
  });
  const box: Box = [left, Math.min(...block.map((b) => b.line.y0)), right, Math.max(...block.map((b) => b.line.y1))];
  // Section rows are full by design: the density is the records'.
  const records = pRows.filter((_, k) => !rows[k].section);
  const filled = records.reduce((t, r) => t + r.cells.filter((c) => c.words.length).length, 0);
  const density = filled / (Math.max(1, records.length) * cols.length);
  // Sparse grids are charts (axis labels, legends) or scattered text, not tables.
  if (density < 0.5) return undefined;
  void merging;
  return { method: 'pdf-borderless', confidence: Math.round(Math.min(0.9, 0.4 + 0.5 * density) * 100) / 100, page, box, rows: pRows, xs };
}

/**
 * Stacked header lines above the first data row: the words of each column make
 * one cell; a heading that spans columns sits on a row of its own above the
 * columns it spans, and the column headings beside it span both rows.
 */
function collapseHeader(rows: { lines: LineInfo[]; cells: Map<number, { span: number; words: Word[]; rowSpan?: number }>; section?: boolean }[], n: number): void {
  const isData = (r: (typeof rows)[number]): boolean => [...r.cells.entries()].some(([c, v]) => c > 0 && isNumeric(wordsText(v.words)));
  const data = rows.findIndex(isData);
  // The header ends at the first section row.
  const section = rows.findIndex((r) => r.section);
  const h = section >= 0 && section < data ? section : data;
  if (h < 2 || h > 8) return;
  const head = rows.slice(0, h);
  const spans: { col: number; span: number; words: Word[] }[] = [];
  const perCol = new Map<number, Word[]>();
  for (const r of head) {
    for (const [c, v] of r.cells) {
      if (v.span > 1) spans.push({ col: c, span: v.span, words: v.words });
      else perCol.set(c, [...(perCol.get(c) ?? []), ...v.words]);
    }
  }
  // Spanning headings must not overlap each other (one level only).
  const spanned = new Set<number>();
  for (const s of spans) for (let c = s.col; c < s.col + s.span; c++) {
    if (spanned.has(c)) return;
    spanned.add(c);
  }
  const lines = head.flatMap((r) => r.lines);
  if (!spans.length) {
    rows.splice(0, h, { lines, cells: new Map([...perCol.entries()].map(([c, w]) => [c, { span: 1, words: w }])) });
    return;
  }
  const top = new Map<number, { span: number; words: Word[]; rowSpan?: number }>();
  const below = new Map<number, { span: number; words: Word[] }>();
  for (const s of spans) top.set(s.col, { span: s.span, words: s.words });
  for (let c = 0; c < n; c++) {
    const w = perCol.get(c);
    if (spanned.has(c)) {
      if (w) below.set(c, { span: 1, words: w });
    } else if (w) top.set(c, { span: 1, words: w, rowSpan: 2 });
  }
  rows.splice(0, h, { lines, cells: top }, { lines, cells: below });
}

/** Column x-ranges: where whitespace separates (almost) every line of the block. */
export function findColumns(block: LineInfo[], headerLines?: number): [number, number][] {
  const left = Math.floor(Math.min(...block.map((b) => b.line.x0)));
  const right = Math.ceil(Math.max(...block.map((b) => b.line.x1)));
  const width = right - left + 1;
  const cover = new Int32Array(width);
  // Header lines at the top often span several columns: they count only in small tables.
  // Lines above a section row are the header.
  const firstSection = block.findIndex((b) => b.section);
  const skipTop = headerLines ?? (firstSection > 0 ? firstSection : block.length >= 6 ? 2 : 0);
  let counted = 0;
  for (let k = skipTop; k < block.length; k++) {
    // Section rows span the columns by design.
    if (block[k].section) continue;
    counted++;
    for (const p of block[k].fine ?? block[k].parts) {
      const a = Math.floor(p[0].x0) - left;
      const b = Math.ceil(p[p.length - 1].x1) - left;
      for (let x = Math.max(0, a); x <= Math.min(width - 1, b); x++) cover[x]++;
    }
  }
  const tol = Math.floor(counted * 0.1);
  const cols: [number, number][] = [];
  let start = -1;
  for (let x = 0; x < width; x++) {
    const on = cover[x] > tol;
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      cols.push([start + left, x - 1 + left]);
      start = -1;
    }
  }
  if (start >= 0) cols.push([start + left, width - 1 + left]);
  // Merge columns separated by a gap narrower than a typical space.
  const size = median(block.map((b) => b.line.size));
  const out: [number, number][] = [];
  // Bands (rows of centred cells) keep their columns apart however narrow the gap: a part on each side, none across.
  const apart = (x0: number, x1: number): boolean => {
    let seen = false;
    for (const b of block) {
      const left = b.parts.findIndex((p) => p[0].x0 <= x0 && p.some((w) => w.x1 <= x0 + 1));
      const right = b.parts.findIndex((p) => p.some((w) => w.x0 >= x1 - 1) && p.some((w) => w.x1 <= x0 + 1));
      if (right >= 0) return false;
      if (b.top !== undefined && left >= 0 && b.parts.some((p) => p[0].x0 >= x1 - 1)) seen = true;
    }
    return seen;
  };
  for (const c of cols) {
    const last = out[out.length - 1];
    if (last && c[0] - last[1] < 0.5 * size && !apart(last[1], c[0])) last[1] = c[1];
    else out.push([c[0], c[1]]);
  }
  return out;
}

/** The median of a list of numbers (the upper one of an even count; 0 for none). */
export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function overlapCols(p: Word[], cols: [number, number][]): number[] {
  const a = p[0].x0;
  const b = p[p.length - 1].x1;
  const out: number[] = [];
  cols.forEach((c, i) => {
    if (Math.min(b, c[1]) - Math.max(a, c[0]) > 0) out.push(i);
  });
  if (!out.length) {
    // In a gap (a header narrower than its column): the nearest column.
    let best = 0;
    let bd = Infinity;
    cols.forEach((c, i) => {
      const d = Math.abs((a + b) / 2 - (c[0] + c[1]) / 2);
      if (d < bd) {
        bd = d;
        best = i;
      }
    });
    out.push(best);
  }
  return out;
}

/** Does `row` (one line) continue the previous row's cells rather than start a row? */
function continues(
  prev: { lines: LineInfo[]; cells: Map<number, { span: number; words: Word[] }> },
  row: { lines: LineInfo[]; cells: Map<number, { span: number; words: Word[] }> },
): boolean {
  const pl = prev.lines[prev.lines.length - 1].line;
  const gap = gapOf(prev.lines[prev.lines.length - 1], row.lines[0]);
  if (gap > 1.6 * Math.max(pl.size, row.lines[0].line.size)) return false;
  // Lines closer than a line height interleave: a label set beside figures that sit between its lines.
  if (gap < 0.75 * Math.min(pl.size, row.lines[0].line.size) && [...row.cells.keys()].every((c) => !prev.cells.has(c))) return true;
  const first = Math.min(...row.cells.keys());
  const prevFirst = Math.min(...prev.cells.keys());
  let bothNumeric = false;
  for (const [c, v] of row.cells) {
    const pc = prev.cells.get(c);
    if (pc && isNumeric(wordsText(v.words)) && isNumeric(wordsText(pc.words))) bothNumeric = true;
  }
  if (bothNumeric) return false;
  const text = wordsText([...row.cells.values()][0].words);
  // The row-label column is empty here but not above: wrapped text of the row above.
  if (first > 0 && prevFirst === 0) {
    return [...row.cells.values()].every((v) => !isNumeric(wordsText(v.words)));
  }
  // A label that wraps: the second line has only the first column and reads on.
  if (row.cells.size === 1 && first === 0 && prev.cells.has(0)) {
    const prevText = wordsText(prev.cells.get(0)!.words);
    return /^[a-z(]/.test(text) || /[-,/&(]$|\b(and|or|of|the|to|for|in|with)$/i.test(prevText);
  }
  // Multi-line headers: both lines without a label and the same columns.
  if (first > 0 && prevFirst > 0) {
    const keys = [...row.cells.keys()];
    return keys.every((k) => prev.cells.has(k)) && [...row.cells.values()].every((v) => !isNumeric(wordsText(v.words)));
  }
  return false;
}

/**
 * Rows whose short cells are centred against a cell of several lines: the
 * short cells' baselines fall between the long cell's lines (closer than a
 * line height, without sharing any x-range). Such lines, with the lines that
 * read on at the cell's own line spacing, make one band, read as one line
 * whose parts are the columns; bands are separated by wider gaps than the
 * line spacing inside them (otherwise the rows are ambiguous and left alone).
 */
function toBands(info: LineInfo[]): LineInfo[] {
  const n = info.length;
  const gap = (k: number): number => info[k].line.base - info[k + 1].line.base;
  const size = (k: number): number => Math.min(info[k].line.size, info[k + 1].line.size);
  const interleaved = (k: number): boolean =>
    gap(k) > 0 && gap(k) < 0.75 * size(k) && !info[k].parts.some((p) => info[k + 1].parts.some((q) => Math.min(p[p.length - 1].x1, q[q.length - 1].x1) > Math.max(p[0].x0, q[0].x0)));
  const out: LineInfo[] = [];
  let i = 0;
  while (i < n) {
    let k = i;
    while (k + 1 < n && !interleaved(k)) k++;
    if (k + 1 >= n) break;
    // Grow the band around the interleaved pair: lines at a cell's line spacing.
    let a = k;
    let b = k + 1;
    const reads = (x: number): boolean => gap(x) > 0 && gap(x) <= 1.35 * size(x) && Math.abs(info[x].line.size - info[x + 1].line.size) < 0.5;
    while (a - 1 >= i && reads(a - 1)) a--;
    while (b + 1 < n && reads(b)) b++;
    const inner = Math.max(...Array.from({ length: b - a }, (_, x) => gap(a + x)));
    const apart = (a === 0 || gap(a - 1) > 1.4 * inner || gap(a - 1) < 0) && (b === n - 1 || gap(b) > 1.4 * inner || gap(b) < 0);
    const band = apart ? toBand(info.slice(a, b + 1)) : undefined;
    for (let x = i; x < (band ? a : b + 1); x++) out.push(info[x]);
    if (band) out.push(band);
    i = b + 1;
  }
  for (let x = i; x < n; x++) out.push(info[x]);
  return out;
}

/** Lines of one band → one line whose parts are the band's columns (x-ranges its chunks overlap in). */
function toBand(lines: LineInfo[]): LineInfo | undefined {
  const starts = lines.flatMap((l) => l.parts.map((p) => p[0].x0));
  // A chunk that runs into the next column (a gap narrower than the column gap) splits where another line's chunk starts.
  const pieces = lines.flatMap((l, li) =>
    l.parts.flatMap((p) => {
      const out: Word[][] = [[]];
      for (const w of p) {
        const prev = out[out.length - 1][out[out.length - 1].length - 1];
        if (prev && w.x0 - prev.x1 > 0.3 * w.size && starts.some((x) => Math.abs(x - w.x0) < 1.5)) out.push([]);
        out[out.length - 1].push(w);
      }
      return out.map((ws) => ({ li, ws, x0: ws[0].x0, x1: ws[ws.length - 1].x1 }));
    }),
  );
  pieces.sort((a, b) => a.x0 - b.x0);
  const groups: (typeof pieces)[] = [];
  let right = -Infinity;
  for (const p of pieces) {
    if (groups.length && p.x0 < right) groups[groups.length - 1].push(p);
    else groups.push([p]);
    right = Math.max(right, p.x1);
  }
  if (groups.length < 2) return undefined;
  const parts = groups.map((g) => g.sort((a, b) => a.li - b.li || a.x0 - b.x0).flatMap((p) => p.ws));
  const words = lines.flatMap((l) => l.line.words);
  const last = lines[lines.length - 1].line;
  const line: Line = {
    words,
    x0: Math.min(...lines.map((l) => l.line.x0)),
    x1: Math.max(...lines.map((l) => l.line.x1)),
    y0: Math.min(...lines.map((l) => l.line.y0)),
    y1: Math.max(...lines.map((l) => l.line.y1)),
    base: last.base,
    size: Math.max(...lines.map((l) => l.line.size)),
    bold: lines.every((l) => l.line.bold),
  };
  return { line, parts, top: lines[0].line.base };
}

/**
 * A bold line just above a table whose words fall into the table's columns
 * (no word across a column's start, every column but at most one named) is the
 * table's header, even when its headings sit too close to chunk apart.
 */
function headerLine(above: LineInfo, first: LineInfo, t: PTable): LineInfo | undefined {
  const l = above.line;
  const size = Math.max(l.size, first.line.size);
  if (!l.bold || above.top !== undefined || first.line.bold || gapOf(above, first) > 3.2 * size || gapOf(above, first) <= 0) return undefined;
  const starts = t.xs.slice(1, -1);
  if (l.x0 < t.xs[0] - size || l.x1 > t.xs[t.xs.length - 1] + 8 * size) return undefined;
  if (l.words.some((w) => starts.some((x) => w.x0 < x - 1 && w.x1 > x + 1))) return undefined;
  const col = (w: Word): number => starts.filter((x) => w.x0 >= x - 1).length;
  const parts: Word[][] = [];
  for (const w of l.words) {
    const c = col(w);
    if (parts.length && col(parts[parts.length - 1][0]) === c) parts[parts.length - 1].push(w);
    else parts.push([w]);
  }
  if (parts.length < Math.max(2, t.xs.length - 2) || parts.some((p) => isNumeric(wordsText(p)))) return undefined;
  return { line: l, parts };
}
