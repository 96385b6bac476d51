// readPdf: PDF bytes → the format-neutral DocModel. Tables are found per page
// (tagged structure first, then ruled grids, then text alignment), stitched
// across pages, and everything else becomes paragraphs in reading order.
import { checkPdfStreams } from './streams.js';
import { RectraceError } from '../../errors.js';
import { info, ok, warning, type Result } from '../../result.js';
import type { DocModel, Message, ModelBlock, ModelCell, ModelParagraph, ModelRow, ModelTable, Prov } from '../../schema.js';
import { findFurniture } from './furniture.js';
import { framePage } from './frame.js';
import { placeCells } from './grid.js';
import { layoutPage, type PBlock } from './layout.js';
import { emphasisOf, isBulletLine, isContentsEntry, isContentsHeading, splitLabel, stripLeaders } from './paragraph.js';
import { loadPdf } from './load.js';
import { correctOcrLayers, readTextless, textlessPages } from './scan.js';
import { findTagged } from './tagged.js';
import { cellText, roundBox, wordsBox, type Box, type PTable } from './table-build.js';
import type { Line, RawDoc, Word } from './types.js';
import { toLines, toWords, wordsText } from './words.js';

export interface ReadPdfOptions {
  maxPages?: number;
  signal?: AbortSignal;
  /** Read pages without a text layer by OCR (default true); false keeps them empty (a PDF with no text at all fails with pdf/no-text-layer). */
  ocr?: boolean;
  /** Called with the number of pages OCR is about to read. */
  onOcr?: (pages: number) => void;
}

export async function readPdf(bytes: Uint8Array, options: ReadPdfOptions = {}): Promise<Result<DocModel>> {
  checkPdfStreams(bytes);
  const raw = await loadPdf(bytes, options);
  correctOcrLayers(raw);
  if (options.ocr !== false) await readTextless(bytes, raw, options.signal, options.onOcr);
  else raw.unread = textlessPages(raw);
  return analysePdf(raw);
}

/** Layout analysis over already-loaded pages (pure: plain data in, DocModel out). */
export function analysePdf(raw: RawDoc): Result<DocModel> {
  const messages: Message[] = (raw.unreadable ?? []).map((u) =>
    warning('pdf/page-unreadable', `page ${u.page} cannot be read and is left out: ${u.reason}`, { kind: 'pdf', page: u.page }),
  );
  const unframes = new Map<number, (b: Box) => Box>();
  const pages = raw.pages.map((page) => {
    const { page: p, unframe } = framePage(page);
    unframes.set(p.page, unframe);
    const words = toWords(p.items);
    return { raw: p, words, lines: toLines(words), box: p.box };
  });
  // Boxes go back from each page's reading frame to user space when they become provenance.
  const prov: ProvOf = (page, box) => ({ kind: 'pdf', page, bbox: roundBox((unframes.get(page) ?? ((x: Box) => x))(box)) });
  if (!pages.some((p) => p.words.some((w) => w.text.trim()))) {
    throw new RectraceError(
      'pdf/no-text-layer',
      raw.ocr ? 'the PDF has no text layer on any page, and OCR found no text on its pages' : 'the PDF has no text layer on any page (scanned?): it needs OCR (turned off by --no-ocr)',
    );
  }
  if (raw.ocr?.pages.length) {
    const { pages: read, confidence } = raw.ocr;
    messages.push(
      warning('pdf/ocr', `${read.length === 1 ? 'page' : 'pages'} ${pageList(read)} had no text layer and ${read.length === 1 ? 'was' : 'were'} read by OCR (mean word confidence ${confidence}%): the text is machine-read, so check names and numbers against the page`),
    );
  }
  // Each correction is said, with its page, so a reader can check it against the scan.
  for (const page of [...new Set((raw.ocrCorrected ?? []).map((c) => c.page))]) {
    const words = raw.ocrCorrected!.filter((c) => c.page === page).map((c) => `"${c.read}" as "${c.word}"`);
    messages.push(info('pdf/ocr-corrected', `page ${page}: OCR misreadings put right by one glyph confusion each: ${words.join(', ')}`, { kind: 'pdf', page }));
  }
  if (raw.unread?.length) {
    const n = raw.unread.length;
    messages.push(info('pdf/ocr-off', `${n === 1 ? 'page' : 'pages'} ${pageList(raw.unread)} ${n === 1 ? 'has' : 'have'} no text layer and ${n === 1 ? 'was' : 'were'} not read: OCR is off (--no-ocr)`));
  }
  const bodySize = bodyFontSize(pages.flatMap((p) => p.lines));
  const furniture = findFurniture(pages, bodySize);
  // A contents page: a "Contents" heading, or the page after one whose lines mostly end in page numbers.
  let contentsBefore = false;
  const layouts = pages.map((p) => {
    const lines = p.lines.filter((l) => !furniture.has(l));
    const texts = lines.map((l) => wordsText(l.words));
    const entries = texts.filter((t, i) => isContentsEntry(t, lines[i])).length;
    const contentsPage = texts.some((t, i) => isContentsHeading(t) && lines[i].size >= bodySize * 0.95) || (contentsBefore && entries >= 0.4 * lines.length && entries >= 3);
    contentsBefore = contentsPage;
    const words = lines.flatMap((l) => l.words);
    const tagged = findTagged(p.raw.struct, words, p.raw.page);
    const layout = layoutPage(p.raw, lines, tagged, contentsPage);
    const ys = lines.map((l) => l).filter((l) => l.words.length);
    return { ...layout, contentsPage, top: Math.max(...ys.map((l) => l.y1)), bottom: Math.min(...ys.map((l) => l.y0)) };
  });
  const panelIds = boxIds(layouts);
  // A page with few lines takes the margin most pages share.
  const docMargin = mostCommon(layouts.flatMap((l) => (l.margin && l.margin.n >= 5 ? [l.margin.x] : [])));
  const marginOf = (i: number): number => {
    const m = layouts[i].margin;
    return m && (m.n >= 5 || docMargin === undefined) ? m.x : (docMargin ?? 0);
  };
  const blocks: ModelBlock[] = [];
  const style = new Map<ModelParagraph, { size: number; bold: boolean; italic: boolean; label: boolean }>();
  let last: { table: ModelTable; xs: number[]; page: number } | undefined;
  let lastPara: { para: ModelParagraph; page: number } | undefined;
  for (let i = 0; i < layouts.length; i++) {
    const pb = layouts[i].blocks;
    for (let k = 0; k < pb.length; k++) {
      const b = pb[k];
      const box = b.kind === 'para' ? b.para.panel : b.panel;
      const boxId = box === undefined ? undefined : panelIds[i][box];
      if (b.kind === 'para') {
        const para = toParagraph(b.para.lines, b.para.page, b.para.box, bodySize, marginOf(i), layouts[i].contentsPage, prov);
        // Lines at the top of a page inside one column of the table that ended the page before: that table's last row goes on (a heading does not).
        if (last && last.page === b.para.page - 1 && k === 0 && !para.headingLevel && continueRow(last.table, last.xs, b.para.lines, b.para.page, b.para.box, messages, prov)) {
          last = { ...last, page: b.para.page };
          continue;
        }
        if (boxId) para.box = boxId;
        const lines = b.para.lines;
        const st = { size: lines[0].size, bold: lines.every((l) => l.bold), italic: lines.every((l) => !!l.italic), label: para.numberLabel !== undefined || isBulletLine(lines[0]) };
        // A paragraph that ended the page before without a full stop goes on at the top of this one.
        if (k === 0 && lastPara && lastPara.page === b.para.page - 1 && continuesParagraph(lastPara.para, style.get(lastPara.para)!, para, st)) {
          lastPara.para.orig += `\n${para.orig}`;
          lastPara.para.prov.push(...para.prov);
          if (para.notes) lastPara.para.notes = [...(lastPara.para.notes ?? []), ...para.notes];
          messages.push(info('pdf/paragraph-continued', 'a paragraph continues at the top of the next page; its parts were joined', para.prov[0]));
          lastPara = { para: lastPara.para, page: b.para.page };
          last = undefined;
          continue;
        }
        style.set(para, st);
        blocks.push(para);
        // Footnotes (smaller text) below the paragraph do not end it.
        const bodyText = (x: PBlock): boolean => x.kind === 'para' && x.para.lines.some((l) => l.size >= bodySize * 0.9);
        const below = pb.slice(k + 1).filter((x) => x.kind === 'table' || bodyText(x));
        const small = !bodyText(b);
        // Text set smaller than the body below the page's last body-size block, under
        // body text of the same page and outside any box, is the page's foot: notes.
        if (small && below.length === 0 && pb.slice(0, k).some(bodyText) && !boxId && !para.headingLevel) para.footnote = true;
        // Small text after a paragraph of its page does not end that paragraph.
        if (!(small && lastPara?.page === b.para.page)) lastPara = below.length === 0 ? { para, page: b.para.page } : undefined;
        continue;
      }
      lastPara = undefined;
      const table = toModelTable(b.table, prov);
      if (boxId) table.box = boxId;
      // A table at the top of a page that continues the last table of the page before.
      // A bold line above it is a heading unless it repeats the table's header row.
      const squash = (t: string): string => t.replace(/\s+/g, '');
      const headerText = last ? squash(last.table.rows.filter((r) => r.header).flatMap((r) => r.cells.map((c) => c.orig)).join('')) : '';
      const heading = (x: PBlock): boolean => x.kind === 'para' && x.para.lines.every((l) => l.bold) && squash(x.para.lines.map((l) => wordsText(l.words)).join('')) !== headerText;
      const before = pb.slice(0, k).filter((x) => x.kind === 'table' || x.para.lines.length > 1 || x.para.lines[0].size > bodySize * 1.1 || heading(x));
      if (last && last.page === b.table.page - 1 && before.length === 0 && sameColumns(last.xs, b.table.xs, last.table, table)) {
        stitch(last.table, table, messages);
        last = { table: last.table, xs: last.xs, page: b.table.page };
        continue;
      }
      blocks.push(table);
      // Only a table that ends its page can continue on the next.
      const after = pb.slice(k + 1).filter((x) => x.kind === 'table' || x.para.lines.some((l) => l.size >= bodySize * 0.95));
      last = after.length === 0 ? { table, xs: b.table.xs, page: b.table.page } : undefined;
    }
    if (pb.length === 0) lastPara = undefined;
  }
  setListLevels(blocks);
  const printedTitle = titleOf(layouts.map((l) => l.blocks));
  const doc: DocModel = {
    format: 'pdf',
    pages: raw.numPages,
    pageSizes: raw.pages.map(({ page, box: [x0, y0, x1, y1], rotate }) => ({
      page,
      width: round2(x1 - x0),
      height: round2(y1 - y0),
      rotation: ((rotate % 360) + 360) % 360,
      ...(x0 !== 0 || y0 !== 0 ? { origin: [round2(x0), round2(y0)] as [number, number] } : {}),
    })),
    meta: { ...(raw.meta.title ? { title: raw.meta.title } : {}), ...(raw.meta.date ? { date: raw.meta.date } : {}) },
    ...(printedTitle ? { printedTitle } : {}),
    blocks,
    messages,
  };
  return ok(doc, messages);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** "1–3, 5, 7–9" */
function pageList(pages: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1) j++;
    parts.push(j > i ? `${pages[i]}–${pages[j]}` : `${pages[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function bodyFontSize(lines: Line[]): number {
  const count = new Map<number, number>();
  for (const l of lines) {
    const k = Math.round(l.size * 2) / 2;
    count.set(k, (count.get(k) ?? 0) + l.words.reduce((t, w) => t + w.text.length, 0));
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
}

type ProvOf = (page: number, box: Box) => Prov;

/** Superscript footnote markers, kept out of the text but not thrown away. */
function footnoteMarkers(words: Word[]): string[] {
  return words.filter((w) => w.sup).map((w) => w.text);
}

function toParagraph(lines: Line[], page: number, box: Box, body: number, margin: number, contentsPage: boolean, prov: ProvOf): ModelParagraph {
  const split = splitLabel(lines[0]);
  const rest = split ? [{ ...lines[0], words: lines[0].words.slice(split.take) }, ...lines.slice(1)] : lines;
  const texts = rest.map((l) => wordsText(l.words)).filter(Boolean);
  const entry = rest.some((l) => isContentsEntry(wordsText(l.words), contentsPage ? l : undefined)) && !isContentsHeading(texts.join(' '));
  const restOrig = texts.map((t, i) => stripLeaders(t, entry && i === texts.length - 1)).filter(Boolean).join('\n');
  const whole = lines.map((l) => wordsText(l.words)).filter(Boolean).map((t, i, a) => stripLeaders(t, entry && i === a.length - 1)).filter(Boolean).join('\n');
  // A label alone is no item: it stays the text.
  const item = split && restOrig ? split.label : undefined;
  const text = item ? restOrig : whole;
  const size = lines[0].size;
  const ratio = size / body;
  // A short standalone line set a little larger than the body, or in bold, is a minor heading; so is a numbered line in capitals.
  const minor = lines.length <= 2 && text.length < 120 && !/[.:;,-]$/.test(text) && (ratio >= 1.05 || (ratio >= 0.99 && lines.every((l) => l.bold)));
  const numbered = !!item && lines.length === 1 && text.length < 80 && /[A-Z]{2}/.test(text) && text === text.toUpperCase() && !/[.:;,]$/.test(text);
  const level = ratio >= 1.6 ? 1 : ratio >= 1.3 ? 2 : ratio >= 1.12 ? 3 : minor || numbered ? 4 : undefined;
  const headingLevel = level && text.length < 200 && !entry ? level : undefined;
  // A heading keeps its number in the text ("3.4 Student recommendations"); a list item's label goes apart.
  const label = headingLevel ? undefined : item;
  const orig = label ? restOrig : whole;
  const p: ModelParagraph = { type: 'paragraph', orig, prov: [prov(page, box)] };
  if (headingLevel) p.headingLevel = headingLevel;
  if (label) p.numberLabel = label;
  const x = split ? split.x0 : (lines[0].words.find((w) => !w.sup)?.x0 ?? lines[0].x0);
  const indent = Math.round((x - margin) * 10) / 10;
  if (label || isBulletLine(lines[0]) || Math.abs(indent) >= 3) p.indent = indent;
  if (entry) p.contents = true;
  const emphasis = emphasisOf(lines);
  if (emphasis) p.emphasis = emphasis;
  const notes = footnoteMarkers(lines.flatMap((l) => l.words));
  if (notes.length) p.notes = notes;
  return p;
}

interface ParaStyle {
  size: number;
  bold: boolean;
  italic: boolean;
  label: boolean;
}

/** Body text that ends a page without a full stop and goes on, in the same style and box, at the top of the next page. */
function continuesParagraph(prev: ModelParagraph, ps: ParaStyle, next: ModelParagraph, ns: ParaStyle): boolean {
  if (prev.headingLevel || next.headingLevel || prev.contents || next.contents || ns.label) return false;
  if (Math.abs(ps.size - ns.size) > 0.5 || ps.bold !== ns.bold || ps.italic !== ns.italic) return false;
  if (prev.box !== next.box) return false;
  return !/[.!?:;)\]]["”’)]*$/.test(prev.orig.trim());
}

/**
 * Box ids for each page's panels. A box that reaches the bottom of its page's
 * content and a box that opens the next page are one box broken by the page.
 */
function boxIds(layouts: Array<{ panels: Box[]; top: number; bottom: number }>): string[][] {
  let n = 0;
  let open: string | undefined;
  return layouts.map((l) => {
    const ids = l.panels.map((b, k) => (k === 0 && open && b[3] >= l.top - 2 ? open : `b${++n}`));
    const lowest = l.panels.reduce<number>((best, b, k) => (best < 0 || b[1] < l.panels[best][1] ? k : best), -1);
    open = lowest >= 0 && l.panels[lowest][1] <= l.bottom + 2 ? ids[lowest] : undefined;
    return ids;
  });
}

function mostCommon(xs: number[]): number | undefined {
  const count = new Map<number, number>();
  for (const x of xs) count.set(Math.round(x), (count.get(Math.round(x)) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

/** List levels from the order of indents within a list; a heading, or going into or out of a box, ends the list. */
function setListLevels(blocks: ModelBlock[]): void {
  let stack: number[] = [];
  let box: string | undefined;
  for (const b of blocks) {
    if (b.type !== 'paragraph') continue;
    if (b.headingLevel || b.box !== box) {
      stack = [];
      box = b.box;
      if (b.headingLevel) continue;
    }
    const item = b.numberLabel !== undefined || /^\s*([•●▪■◦·○\uf0b7\uf0a7\uf0d8\uf0fc✓✔☑√➢►▶]|[-–])\s/.test(b.orig);
    if (!item || b.indent === undefined) continue;
    while (stack.length && stack[stack.length - 1] > b.indent + 3) stack.pop();
    if (!stack.length || b.indent > stack[stack.length - 1] + 3) stack.push(b.indent);
    b.listLevel = stack.length - 1;
  }
}

/** The largest text of the first page with text: not "Contents", not a one-word logo. */
function titleOf(pages: PBlock[][]): string | undefined {
  const first = pages.find((pb) => pb.some((b) => b.kind === 'para'));
  if (!first) return undefined;
  const paras = first.flatMap((b) => (b.kind === 'para' ? [b.para] : []));
  const cands = paras
    .map((p) => ({ text: p.lines.map((l) => wordsText(l.words)).join(' ').replace(/\s+/g, ' ').trim(), size: Math.max(...p.lines.map((l) => l.size)) }))
    .filter((c) => c.text && !isContentsHeading(c.text) && !isContentsEntry(c.text) && (c.text.split(' ').length >= 2 || c.text.length >= 12))
    .sort((a, b) => b.size - a.size);
  return cands[0]?.text;
}

function toModelTable(t: PTable, prov: ProvOf): ModelTable {
  const rows: ModelRow[] = t.rows.map((r) => {
    const cells: ModelCell[] = r.cells.map((c) => {
      const notes = footnoteMarkers(c.words);
      return {
        orig: cellText(c.words),
        rowSpan: c.rowSpan,
        colSpan: c.colSpan,
        ...(notes.length ? { notes } : {}),
        prov: [prov(t.page, wordsBox(c.words) ?? c.area)],
      };
    });
    const rb = r.cells.reduce<Box | undefined>((b, c) => {
      const cb = wordsBox(c.words) ?? c.area;
      return b ? [Math.min(b[0], cb[0]), Math.min(b[1], cb[1]), Math.max(b[2], cb[2]), Math.max(b[3], cb[3])] : cb;
    }, undefined);
    const row: ModelRow = { cells, prov: rb ? [prov(t.page, rb)] : [] };
    if (r.header) row.header = true;
    return row;
  });
  // A first row set in bold over a body that is not is a header row.
  if (t.method !== 'pdf-tagged' && t.rows.length > 1) {
    const bold = (k: number): boolean => t.rows[k].cells.some((c) => c.words.length) && t.rows[k].cells.every((c) => c.words.every((w) => w.bold));
    if (bold(0) && !bold(t.rows.length - 1)) rows[0].header = true;
  }
  return { type: 'table', method: t.method, confidence: t.confidence, rows, prov: [prov(t.page, t.box)] };
}

function sameColumns(xa: number[], xb: number[], a: ModelTable, b: ModelTable): boolean {
  const width = (t: ModelTable): number => placeCells(t.rows).reduce((w, r) => r.reduce((m, c) => Math.max(m, c.col + c.colSpan), w), 0);
  if (width(a) !== width(b) || xa.length !== xb.length) return false;
  return xa.every((x, i) => !Number.isFinite(x) || !Number.isFinite(xb[i]) || Math.abs(x - xb[i]) < 12);
}

const rowKey = (r: ModelRow): string => r.cells.map((c) => c.orig.replace(/\s+/g, ' ').trim()).join('|');

/** Appends `next` (on the following page) to `into`, dropping repeated headers and joining a row split by the page break. */
function stitch(into: ModelTable, next: ModelTable, messages: Message[]): void {
  const headerKeys = new Set<string>();
  for (const r of into.rows) {
    if (r.header) headerKeys.add(rowKey(r));
    else break;
  }
  if (!headerKeys.size && into.rows.length) headerKeys.add(rowKey(into.rows[0]));
  let rows = next.rows;
  let dropped = 0;
  while (rows.length && headerKeys.has(rowKey(rows[0]))) {
    rows = rows.slice(1);
    dropped++;
  }
  if (dropped && !into.rows[0].header) into.rows[0].header = true;
  const lastRow = into.rows[into.rows.length - 1];
  const first = rows[0];
  if (first && lastRow && first.cells.length === lastRow.cells.length && !first.cells[0].orig.trim() && lastRow.cells[0].orig.trim()) {
    // The number column is empty: the row above broke across the page.
    first.cells.forEach((c, i) => {
      const target = lastRow.cells[i];
      if (c.orig) target.orig = target.orig ? `${target.orig}\n${c.orig}` : c.orig;
      if (c.notes) target.notes = [...(target.notes ?? []), ...c.notes];
      target.prov.push(...c.prov);
    });
    lastRow.prov.push(...first.prov);
    messages.push(info('pdf/row-continued', 'a table row continues across a page break; its parts were joined', first.prov[0]));
    rows = rows.slice(1);
  }
  into.rows.push(...rows);
  into.prov.push(...next.prov);
  into.confidence = Math.min(into.confidence, next.confidence);
  messages.push(info('pdf/table-stitched', `a table continues on page ${next.prov[0]?.page}; joined${dropped ? `, ${dropped} repeated header row(s) dropped` : ''}`, next.prov[0]));
}

function continueRow(table: ModelTable, xs: number[], lines: Line[], page: number, box: Box, messages: Message[], prov: ProvOf): boolean {
  const lastRow = table.rows[table.rows.length - 1];
  if (!lastRow || xs.length < 3) return false;
  const placed = placeCells(table.rows)[table.rows.length - 1];
  for (let i = 1; i < placed.length; i++) {
    const p = placed[i];
    const left = xs[p.col];
    const right = xs[p.col + p.colSpan];
    if (!Number.isFinite(left) || !Number.isFinite(right)) continue;
    if (box[0] >= left - 4 && box[2] <= right + 4) {
      const cell = lastRow.cells[i];
      const text = lines.map((l) => wordsText(l.words)).join('\n');
      cell.orig = cell.orig ? `${cell.orig}\n${text}` : text;
      const pr = prov(page, box);
      cell.prov.push(pr);
      lastRow.prov.push(pr);
      table.prov.push(pr);
      messages.push(info('pdf/row-continued', 'a table row continues at the top of the next page; its parts were joined', pr));
      return true;
    }
  }
  return false;
}
