// One page's layout: ruled tables, borderless tables, and paragraphs from the
// lines left over, in reading order (top to bottom).
import type { Line, RawPage, Segment, Word } from './types.js';
import { buildRegion, findBorderless, isNumeric } from './borderless.js';
import { chunks, toLines, wordsText } from './words.js';
import { findGrids, gridCells, pruneGrid, toRules, type Grid } from './ruled.js';
import { inside, wordsBox, type Box, type PCell, type PRow, type PTable } from './table-build.js';
import { fillMarks, isCaptionBand } from './shading.js';
import { boxOf, contains, findBoxes } from './boxes.js';
import { isContentsEntry, textMargin } from './paragraph.js';
import { findGutter, splitAtGutter } from './columns.js';

export interface PPara {
  page: number;
  lines: Line[];
  box: Box;
  /** index into the page's boxes (bordered boxes and shaded panels) */
  panel?: number;
}

export type PBlock = { kind: 'table'; table: PTable; top: number; panel?: number } | { kind: 'para'; para: PPara; top: number };

export interface PageLayout {
  blocks: PBlock[];
  /** boxes and shaded panels holding text, top to bottom */
  panels: Box[];
  /** the left edge of most body lines outside boxes, with the number of lines there (undefined on a page without them) */
  margin?: { x: number; n: number };
}

export function layoutPage(page: RawPage, lines: Line[], tagged: PTable[], contentsPage = false): PageLayout {
  const blocks: PBlock[] = [];
  const taken = new Set<Line>();
  // A tagged "table" of one column is a box: its lines become paragraphs inside it.
  const tagPanels: Box[] = [];
  for (const t of tagged) {
    if (oneColumn(t) && !continuesTable(t, lines)) {
      tagPanels.push(t.box);
      continue;
    }
    blocks.push({ kind: 'table', table: t, top: t.box[3] });
    for (const l of lines) if (l.words.some((w) => inside(w, t.box, 1))) taken.add(l);
  }
  const { h, v } = toRules(page.segments, filterFills(page));
  const grids = findGrids(h, v);
  // Frames that hold no table: bordered boxes (a one-column grid is a box, not a table).
  const frames: Grid[] = [];
  for (const g of grids) {
    if (tagged.length) {
      if (!tagged.some((t) => contains(g.box, t.box, 2) || contains(t.box, g.box, 2))) frames.push(g);
      continue;
    }
    if (!g.hasColumns || (g.xs.length < 3 && g.ys.length < 3)) {
      frames.push(g);
      continue;
    }
    const inGrid = lines.filter((l) => !taken.has(l) && l.words.some((w) => inside(w, g.box)));
    if (!inGrid.length) continue;
    let t = ruledTable(g, inGrid.flatMap((l) => l.words), page.page);
    if (!t) {
      frames.push(g);
      continue;
    }
    if (isChart(t, page.art)) continue;
    const plain = ruledTable(g, inGrid.flatMap((l) => l.words), page.page, false)!;
    // Cells holding lines that themselves split into columns: the rules only frame column groups.
    const crowded = plain.rows.reduce((n, r) => n + r.cells.filter((c) => c.words.length && toLines(c.words).filter((l) => chunks(l, 0.9).length >= 2).length >= 4).length, 0);
    if (crowded >= 2) {
      const inside0 = inGrid.map((l) => ({ ...l, words: l.words.filter((w) => inside(w, g.box)) })).filter((l) => l.words.length);
      const region = buildRegion(inside0, page.page, g.xs.slice(1, -1));
      if (region) t = { ...region, method: 'pdf-ruled', box: g.box };
    }
    // Words of a line partly inside the grid stay with the table only if they are inside.
    for (const l of inGrid) {
      l.words = l.words.filter((w) => !inside(w, g.box));
      if (!l.words.length) taken.add(l);
    }
    blocks.push({ kind: 'table', table: t, top: t.box[3] });
  }
  const rest = lines.filter((l) => !taken.has(l) && l.words.length).sort((a, b) => b.base - a.base || a.x0 - b.x0);
  // A contents page's columns (number | title | page) are navigation entries, not a table.
  const border = contentsPage ? [] : findBorderless(rest, page.page, h).filter((t) => !isChart(t, page.art) && !isLabelledList(t));
  for (const t of border) {
    blocks.push({ kind: 'table', table: t, top: t.box[3] });
    // A line may run on beside the table (a page column): only the words inside belong to it.
    for (const l of rest) {
      if (taken.has(l)) continue;
      const out = l.words.filter((w) => !inside(w, t.box, 0.5));
      if (!out.length) taken.add(l);
      else if (out.length < l.words.length) {
        l.words = out;
        l.x0 = out[0].x0;
        l.x1 = out[out.length - 1].x1;
      }
    }
  }
  // Header rows marked by a darker fill; a filled caption band above them is a paragraph (the caption), not a box or a row.
  const bands = new Set<Segment>();
  const captions: PPara[] = [];
  for (const b of blocks) {
    if (b.kind !== 'table' || b.table.method === 'pdf-tagged') continue;
    const marks = fillMarks(b.table, page.fills);
    if (!marks.headerRows) continue;
    let rows = b.table.rows;
    if (marks.captionRow) {
      const words = rows[0].cells.flatMap((c) => c.words);
      captions.push({ page: page.page, lines: toLines(words), box: wordsBox(words)! });
      const below = Math.min(...rows[0].cells.map((c) => c.area[1]));
      rows = rows.slice(1);
      b.table = { ...b.table, rows, box: [b.table.box[0], b.table.box[1], b.table.box[2], Math.min(b.table.box[3], below)] };
      b.top = b.table.box[3];
    }
    for (let k = 0; k < marks.headerRows; k++) rows[k].header = true;
    for (const f of page.fills) if (isCaptionBand(f, marks)) bands.add(f);
  }
  // Two columns of prose beside each other (what no table claimed): each column's lines apart,
  // read after everything above them.
  const unclaimed = rest.filter((l) => !taken.has(l));
  const gutter = contentsPage ? null : findGutter(unclaimed);
  const columns = gutter ? splitAtGutter(unclaimed, gutter) : null;
  const left = columns ? columns.outside : unclaimed;
  const [px0, py0, px1, py1] = page.box;
  const big = (b: Box): boolean => b[2] - b[0] > 0.8 * (px1 - px0) && b[3] - b[1] > 0.5 * (py1 - py0);
  const boxPage = bands.size ? { ...page, fills: page.fills.filter((f) => !bands.has(f)) } : page;
  const panels = findBoxes(boxPage, [...frames.filter((g) => !big(g.box)).map((g) => g.box), ...tagPanels], columns ? [...left, ...columns.left, ...columns.right] : left);
  const columnParas = columns ? [toParagraphs(columns.left, page.page, panels), toParagraphs(columns.right, page.page, panels)] : [];
  const paras = [...captions, ...toParagraphs(left, page.page, panels, contentsPage), ...columnParas.flat()];
  for (const p of paras) blocks.push({ kind: 'para', para: p, top: p.box[3] });
  // A table sits in a box that also holds paragraphs.
  for (const b of blocks) {
    if (b.kind !== 'table') continue;
    const k = panels.findIndex((pb, i) => contains(pb, b.table.box, 2) && paras.some((p) => p.panel === i));
    if (k >= 0) b.panel = k;
  }
  blocks.sort((a, b) => b.top - a.top);
  if (gutter && columnParas.length) {
    // Above the columns, the left column, the right column, then what is below them.
    const inColumn = new Map<PBlock, number>();
    for (const b of blocks) {
      const k = b.kind === 'para' ? columnParas.findIndex((c) => c.includes(b.para)) : -1;
      if (k >= 0) inColumn.set(b, k);
    }
    const above = blocks.filter((b) => !inColumn.has(b) && b.top > gutter.top);
    const below = blocks.filter((b) => !inColumn.has(b) && b.top <= gutter.top);
    blocks.splice(0, blocks.length, ...above, ...blocks.filter((b) => inColumn.get(b) === 0), ...blocks.filter((b) => inColumn.get(b) === 1), ...below);
  }
  const bodyLines = [...left, ...(columns ? [...columns.left, ...columns.right] : [])];
  return { blocks, panels, margin: textMargin(bodyLines.filter((l) => boxOf(l, panels) < 0)) };
}

/** Two columns, the first holding only list labels ("(a)", "(i)", "1."): a list with hanging labels, not a table. */
const LIST_LABEL = /^(\(?\d{1,3}[.)]|\(?[a-z][.)]|\([ivx]{1,5}\)|[ivx]{1,5}[.)]|[•◦▪●■\uf0b7\uf0a7–-])$/;
function isLabelledList(t: PTable): boolean {
  const width = Math.max(...t.rows.map((r) => r.cells.reduce((m, c) => Math.max(m, c.col + c.colSpan), 0)));
  if (width !== 2) return false;
  let labels = 0;
  for (const r of t.rows) {
    const first = r.cells.find((c) => c.col === 0);
    const text = first ? wordsText(first.words).trim() : '';
    if (!text) continue;
    if (!LIST_LABEL.test(text)) return false;
    labels++;
  }
  return labels >= 2;
}

/** Every row holds text in one cell, always the same column: a box, not a table. */
/**
 * A tagged table with several cells to a row but text in one of them, first on
 * its page, is the rest of a row from the page before (a long cell that ran
 * over), not a box: it stays a table so the page stitcher can join it.
 */
function continuesTable(t: PTable, lines: Line[]): boolean {
  if (t.xs.length - 1 < 2) return false;
  return !lines.some((l) => l.y0 > t.box[3] + 1);
}

function oneColumn(t: PTable): boolean {
  const cols = new Set<number>();
  for (const r of t.rows) {
    const filled = r.cells.filter((c) => c.words.length);
    if (filled.length > 1) return false;
    for (const c of filled) cols.add(c.col);
  }
  return cols.size <= 1;
}

function filterFills(page: RawPage): RawPage['fills'] {
  const [px0, py0, px1, py1] = page.box;
  const pw = px1 - px0;
  const ph = py1 - py0;
  // Page backgrounds and big panels are not borders.
  return page.fills.filter((f) => !(f.x1 - f.x0 > 0.8 * pw && f.y1 - f.y0 > 0.5 * ph));
}

function ruledTable(grid: Grid, words: Word[], page: number, textColumns = true): PTable | undefined {
  const pruned = pruneGrid(grid, words.filter((w) => inside(w, grid.box)));
  const g = textColumns ? addTextColumns(pruned, words.filter((w) => inside(w, grid.box))) : pruned;
  if (g.xs.length < 3) return undefined;
  const cells = gridCells(g);
  const R = g.ys.length - 1;
  const rows: PRow[] = Array.from({ length: R }, () => ({ cells: [], page }));
  const byCell = new Map<number, Word[]>();
  for (const w of words) {
    const k = cells.findIndex((c) => inside(w, c.box, 0.5));
    if (k >= 0) {
      let a = byCell.get(k);
      if (!a) byCell.set(k, (a = []));
      a.push(w);
    }
  }
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k];
    const cell: PCell = { col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, words: byCell.get(k) ?? [], area: c.box };
    rows[c.row].cells.push(cell);
  }
  for (const r of rows) r.cells = splitVirtualColumns(r.cells, g.xs);
  // Drop rows that are all empty (thin gaps between double rules).
  let keep = rows.filter((r) => r.cells.some((c) => c.words.length));
  if (!keep.length) return undefined;
  const kept = new Set(keep);
  const rowIndex = new Map<PRow, number>();
  rows.forEach((r, i) => rowIndex.set(r, i));
  for (const r of keep) {
    const i = rowIndex.get(r)!;
    for (const c of r.cells) {
      let span = 0;
      for (let k = i; k < i + c.rowSpan; k++) if (kept.has(rows[k])) span++;
      c.rowSpan = Math.max(1, span);
    }
  }
  keep = keep.flatMap((r) => splitLineRows(r));
  // A frame around text that does not divide into columns is not a table.
  const usedCols = new Set<number>();
  for (const r of keep) for (const c of r.cells) if (c.words.length) usedCols.add(c.col);
  if (usedCols.size < 2) return undefined;
  // Mostly empty grids are charts or diagrams.
  const all = keep.reduce((n, r) => n + r.cells.length, 0);
  const filled = keep.reduce((n, r) => n + r.cells.filter((c) => c.words.length).length, 0);
  if (filled < 0.3 * all) return undefined;
  return { method: 'pdf-ruled', confidence: 0.9, page, box: g.box, rows: keep, xs: g.xs };
}

/**
 * Rules may frame only column groups (e.g. "Male | Female" under one heading):
 * a whitespace gap that runs down a grid column through (almost) every line
 * becomes a column edge without a rule.
 */
const BULLET = /^[•▪●■◦·\uf0b7\uf0a7–-]$/;

export function addTextColumns(g: Grid, words: Word[]): Grid {
  const xs = [...g.xs];
  const h = g.h.map((r) => [...r]);
  const v = g.v.map((c) => [...c]);
  for (let c = xs.length - 2; c >= 0; c--) {
    const a = xs[c];
    const b = xs[c + 1];
    const ws = words.filter((w) => w.x0 >= a - 1 && w.x1 <= b + 1 && !w.sup && !BULLET.test(w.text));
    if (ws.length < 4) continue;
    const lines = new Map<number, Word[]>();
    for (const w of ws) {
      const key = Math.round(w.base / 2);
      let l = lines.get(key) ?? lines.get(key - 1) ?? lines.get(key + 1);
      if (!l) lines.set(key, (l = []));
      l.push(w);
    }
    const n = lines.size;
    if (n < 3) continue;
    const left = Math.floor(a);
    const width = Math.ceil(b) - left + 1;
    const cover = new Int32Array(width);
    for (const l of lines.values()) {
      const seen = new Uint8Array(width);
      for (const w of l) for (let x = Math.max(0, Math.floor(w.x0) - left); x <= Math.min(width - 1, Math.ceil(w.x1) - left); x++) seen[x] = 1;
      for (let x = 0; x < width; x++) cover[x] += seen[x];
    }
    const tol = Math.max(1, Math.floor(n * 0.15));
    const size = ws.reduce((t, w) => t + w.size, 0) / ws.length;
    // Interior gaps only: text must lie on both sides in many lines.
    const cuts: number[] = [];
    let start = -1;
    for (let x = 0; x < width; x++) {
      const empty = cover[x] <= tol;
      if (empty && start < 0) start = x;
      if ((!empty || x === width - 1) && start >= 0) {
        const end = empty ? x : x - 1;
        const gx0 = start + left;
        const gx1 = end + left;
        if (gx1 - gx0 >= 0.45 * size && start > 0 && end < width - 1) {
          const lines2 = [...lines.values()];
          const both = lines2.filter((l) => l.some((w) => w.x1 <= gx0 + 1) && l.some((w) => w.x0 >= gx1 - 1)).length;
          if (both >= Math.max(2, 0.5 * n)) cuts.push((gx0 + gx1) / 2);
        }
        start = -1;
      }
    }
    for (const x of cuts.reverse()) {
      xs.splice(c + 1, 0, x);
      v.splice(c + 1, 0, g.ys.slice(1).map(() => false));
      for (const row of h) row.splice(c, 0, row[c]);
    }
  }
  if (xs.length === g.xs.length) return g;
  return { ...g, xs, h, v };
}

/**
 * A cell that spans grid columns only because a row lacks inner rules: split it
 * at the table's column edges where its words leave a clear gap there.
 */
function splitVirtualColumns(cells: PCell[], xs: number[]): PCell[] {
  const out: PCell[] = [];
  for (const c of cells) {
    if (c.colSpan < 2 || !c.words.length) {
      out.push(c);
      continue;
    }
    const cuts: number[] = [];
    for (let k = c.col + 1; k < c.col + c.colSpan; k++) {
      const x = xs[k];
      const crosses = c.words.some((w) => w.x0 < x - 1 && w.x1 > x + 1);
      if (crosses) continue;
      const leftW = c.words.filter((w) => w.x1 <= x + 1);
      const rightW = c.words.filter((w) => w.x0 >= x - 1);
      if (!leftW.length || !rightW.length) {
        cuts.push(k);
        continue;
      }
      // Words on both sides must be far apart on some shared line (a column gap, not a space).
      const sized = Math.min(...c.words.map((w) => w.size));
      const gapOk = leftW.every((l) => rightW.every((r) => Math.abs(l.base - r.base) > 2 || r.x0 - l.x1 > 0.6 * sized));
      if (gapOk) cuts.push(k);
    }
    if (!cuts.length) {
      out.push(c);
      continue;
    }
    const bounds = [c.col, ...cuts, c.col + c.colSpan];
    const parts: PCell[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k];
      const b = bounds[k + 1];
      const words = c.words.filter((w) => {
        const cx = (w.x0 + w.x1) / 2;
        return cx >= xs[a] && cx < xs[b];
      });
      parts.push({ col: a, rowSpan: c.rowSpan, colSpan: b - a, words, area: [xs[a], c.area[1], xs[b], c.area[3]] });
    }
    // Only split when at least two parts hold text; otherwise the span stands.
    if (parts.filter((p) => p.words.length).length >= 2) out.push(...parts);
    else out.push(c);
  }
  return out;
}

/**
 * A ruled row holding several records without rules between them: the first
 * column has one line per record and another column's lines sit on the same
 * baselines. Split it into one row per first-column line.
 */
function splitLineRows(r: PRow): PRow[] {
  if (r.cells.some((c) => c.rowSpan > 1)) return [r];
  const first = r.cells.find((c) => c.col === 0 && c.words.length);
  if (!first) return [r];
  const bases = (ws: Word[]): number[] => {
    const out: number[] = [];
    for (const w of [...ws].filter((w) => !w.sup).sort((a, b) => b.base - a.base)) if (!out.length || out[out.length - 1] - w.base > 2) out.push(w.base);
    return out;
  };
  const fb = bases(first.words);
  if (fb.length < 2) return [r];
  const others = r.cells.filter((c) => c !== first && c.words.length);
  const aligned = others.filter((c) => {
    const b = bases(c.words);
    return b.length >= 2 && b.every((y) => fb.some((f) => Math.abs(f - y) <= 2));
  });
  // Wrapped text in two columns also shares baselines: records per line carry figures.
  const figures = aligned.some((c) => toLines(c.words).every((l) => isNumeric(l.words.map((w) => w.text).join(' '))));
  if (!aligned.length || aligned.length < others.length / 2 || !figures) return splitParagraphRows(r, first, others, bases);
  const nearest = (y: number): number => {
    let best = 0;
    fb.forEach((f, i) => {
      if (Math.abs(f - y) < Math.abs(fb[best] - y)) best = i;
    });
    return best;
  };
  return fb.map((f, i) => ({
    page: r.page,
    cells: r.cells.map((c) => ({ ...c, words: c.words.filter((w) => nearest(w.base) === i), area: [c.area[0], f - 0.3 * first.words[0].size, c.area[2], f + first.words[0].size] as Box })),
  }));
}

/**
 * The same for records set as paragraphs: the first column's paragraphs
 * ("Major", "Area") start on the same baselines as paragraphs in other
 * columns. Split the row at those starts.
 */
function splitParagraphRows(r: PRow, first: PCell, others: PCell[], bases: (ws: Word[]) => number[]): PRow[] {
  const starts = (ws: Word[]): number[] => {
    const b = bases(ws);
    const size = Math.max(...ws.map((w) => w.size));
    return b.filter((y, i) => i === 0 || b[i - 1] - y > 1.8 * size);
  };
  const fs = starts(first.words);
  if (fs.length < 2) return [r];
  const aligned = others.filter((c) => {
    const s = starts(c.words);
    return s.length >= 2 && s.every((y) => fs.some((f) => Math.abs(f - y) <= 2));
  });
  if (!aligned.length || aligned.length < others.length / 2) return [r];
  // Sub-row k holds the words from start k down to just above start k+1.
  const band = (y: number): number => {
    let k = 0;
    while (k + 1 < fs.length && y <= fs[k + 1] + 2) k++;
    return k;
  };
  const size = first.words[0].size;
  return fs.map((f, k) => ({
    page: r.page,
    cells: r.cells.map((c) => ({
      ...c,
      words: c.words.filter((w) => band(w.base) === k),
      area: [c.area[0], k + 1 < fs.length ? fs[k + 1] + size : c.area[1], c.area[2], f + size] as Box,
    })),
  }));
}

/**
 * Lines → paragraphs: a new paragraph at a wider gap, a size or weight change,
 * a list label, a box edge, and after each contents entry.
 */
export function toParagraphs(lines: Line[], page: number, panels: Box[] = [], contentsPage = false): PPara[] {
  const sorted = [...lines].sort((a, b) => b.base - a.base || a.x0 - b.x0);
  const out: PPara[] = [];
  let cur: Line[] = [];
  let curPanel = -1;
  const flush = (): void => {
    if (!cur.length) return;
    const box: Box = [
      Math.min(...cur.map((l) => l.x0)),
      Math.min(...cur.map((l) => l.y0)),
      Math.max(...cur.map((l) => l.x1)),
      Math.max(...cur.map((l) => l.y1)),
    ];
    out.push({ page, lines: cur, box, ...(curPanel >= 0 ? { panel: curPanel } : {}) });
    cur = [];
  };
  for (const l of sorted) {
    const prev = cur[cur.length - 1];
    const panel = boxOf(l, panels);
    if (prev) {
      const gap = prev.base - l.base;
      const sameSize = Math.abs(prev.size - l.size) < 0.5;
      const overlapX = Math.min(prev.x1, l.x1) - Math.max(prev.x0, l.x0) > 0;
      if (
        !sameSize ||
        !overlapX ||
        gap > 1.45 * Math.max(prev.size, l.size) ||
        gap < 0.5 * l.size ||
        prev.bold !== l.bold ||
        !!prev.italic !== !!l.italic ||
        panel !== curPanel ||
        isContentsEntry(wordsText(prev.words), contentsPage ? prev : undefined) ||
        startsItem(cur, l)
      )
        flush();
    }
    curPanel = panel;
    cur.push(l);
  }
  flush();
  return out;
}

export const ITEM = /^(\(?\d{1,3}[.)]\s|\d{1,3}(\.\d{1,3})+\.?\s|\(?[a-z][.)]\s|\([ivx]+\)\s|[•◦▪●■\uf0b7\uf0a7*–-]\s|(recommendation|rec\.?|r)\s*\d)/i;

/**
 * A line that begins with a list label ("1.", "2)", "(a)", "R1", "•") starts
 * an item unless the line above wraps into it: the line above ends a clause,
 * or stops short of the paragraph's right edge by more than the label's width.
 */
function startsItem(cur: Line[], l: Line): boolean {
  const text = wordsText(l.words);
  if (!ITEM.test(`${text} `) && !tabbedNumber(l)) return false;
  const prev = cur[cur.length - 1];
  if (/[.;:!?]$/.test(wordsText(prev.words))) return true;
  const right = Math.max(...cur.map((x) => x.x1));
  return cur.length >= 2 && prev.x1 + (l.words[0].x1 - l.words[0].x0) + l.size < right;
}

/** "1    There must be…": a bare number followed by a tab-like gap. */
export function tabbedNumber(l: Line): boolean {
  const [a, b] = l.words;
  return !!a && !!b && /^\d{1,3}$/.test(a.text) && b.x0 - a.x1 >= 0.9 * a.size && /^[A-Z‘'"“(]/.test(b.text);
}

/** Text laid out among curves and slanted lines (axis labels, legends) is a chart, not a table. */
function isChart(t: PTable, art: RawPage['art']): boolean {
  const [x0, y0, x1, y1] = t.box;
  const inside = art.filter((a) => a.x1 > x0 && a.x0 < x1 && a.y1 > y0 && a.y0 < y1);
  return inside.length >= 3;
}
