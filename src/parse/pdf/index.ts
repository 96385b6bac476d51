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
import { loadPdf } from './load.js';
import { findTagged } from './tagged.js';
import { cellText, roundBox, wordsBox, type Box, type PTable } from './table-build.js';
import type { Line, RawDoc, Word } from './types.js';
import { toLines, toWords, wordsText } from './words.js';

export interface ReadPdfOptions {
  maxPages?: number;
  signal?: AbortSignal;
}

export async function readPdf(bytes: Uint8Array, options: ReadPdfOptions = {}): Promise<Result<DocModel>> {
  checkPdfStreams(bytes);
  const raw = await loadPdf(bytes, options);
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
    throw new RectraceError('pdf/no-text-layer', 'the PDF has no text layer on any page (scanned?): it needs OCR first');
  }
  const furniture = findFurniture(pages);
  const bodySize = bodyFontSize(pages.flatMap((p) => p.lines));
  const pageBlocks: PBlock[][] = pages.map((p) => {
    const lines = p.lines.filter((l) => !furniture.has(l));
    const words = lines.flatMap((l) => l.words);
    const tagged = findTagged(p.raw.struct, words, p.raw.page);
    return layoutPage(p.raw, lines, tagged);
  });
  const blocks: ModelBlock[] = [];
  let last: { table: ModelTable; xs: number[]; page: number } | undefined;
  for (let i = 0; i < pageBlocks.length; i++) {
    const pb = pageBlocks[i];
    for (let k = 0; k < pb.length; k++) {
      const b = pb[k];
      if (b.kind === 'para') {
        // Lines at the top of a page inside one column of the table that ended the page before: that table's last row goes on.
        if (last && last.page === b.para.page - 1 && k === 0 && continueRow(last.table, last.xs, b.para.lines, b.para.page, b.para.box, messages, prov)) {
          last = { ...last, page: b.para.page };
          continue;
        }
        blocks.push(toParagraph(b.para.lines, b.para.page, b.para.box, bodySize, prov));
        continue;
      }
      const table = toModelTable(b.table, prov);
      // A table at the top of a page that continues the last table of the page before.
      const before = pb.slice(0, k).filter((x) => x.kind === 'table' || x.para.lines.length > 1 || x.para.lines[0].size > bodySize * 1.1);
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
  }
  const doc: DocModel = {
    format: 'pdf',
    pages: raw.numPages,
    meta: { ...(raw.meta.title ? { title: raw.meta.title } : {}), ...(raw.meta.date ? { date: raw.meta.date } : {}) },
    blocks,
    messages,
  };
  return ok(doc, messages);
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

function toParagraph(lines: Line[], page: number, box: Box, body: number, prov: ProvOf): ModelParagraph {
  const orig = lines.map((l) => wordsText(l.words)).filter(Boolean).join('\n');
  const size = lines[0].size;
  const ratio = size / body;
  // A short standalone line set a little larger than the body, or in bold, is a minor heading.
  const minor = lines.length <= 2 && orig.length < 120 && !/[.:;,]$/.test(orig) && (ratio >= 1.05 || (ratio >= 0.99 && lines.every((l) => l.bold)));
  const headingLevel = ratio >= 1.6 ? 1 : ratio >= 1.3 ? 2 : ratio >= 1.12 ? 3 : minor ? 4 : undefined;
  const p: ModelParagraph = { type: 'paragraph', orig, prov: [prov(page, box)] };
  if (headingLevel && orig.length < 200) p.headingLevel = headingLevel;
  const notes = footnoteMarkers(lines.flatMap((l) => l.words));
  if (notes.length) p.notes = notes;
  return p;
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
