// mammoth's document model + numbering/styles → the format-neutral DocModel.
//
// Choices inside table cells (a cell's `orig` is one string):
// - paragraphs are separated by "\n\n"; empty paragraphs are left out;
// - a bullet item is a plain paragraph: the bullet Word draws is not text, and
//   the paragraph break already separates the items;
// - the first paragraph of a cell, when Word numbers it, gives the cell's
//   `numberLabel` (the number column, "Recommendation 3"); later numbered
//   paragraphs in the same cell get their label written in front ("a) item");
// - a nested table is flattened into the cell in reading order: row by row on
//   separate lines, cells separated by a tab, a nested cell's paragraphs by " ".
//   It yields no block of its own.
import type { DocModel, ModelBlock, ModelCell, ModelParagraph, ModelRow, ModelTable, Prov, Message } from '../../schema.js';
import { info, warning } from '../../result.js';
import { boundedInt, LIMITS } from '../../limits.js';
import type { MNode } from './load.js';
import type { NumberedLabel, NumberingCounter } from './numbering.js';
import type { Styles } from './styles.js';

interface Ctx {
  messages: Message[];
  counter: NumberingCounter;
  styles: Styles;
  headings: { level: number; text: string }[];
  tableIndex: number;
}

/** A superscript run of digits/symbols only is a footnote marker typed by hand. */
const FOOTNOTE_MARK = /^\s*[\d*†‡§¶,\s]+\s*$/;

export function nodeText(node: MNode): string {
  switch (node.type) {
    case 'text':
      return node.value ?? '';
    case 'tab':
      return '\t';
    case 'break':
      return node.breakType === 'page' ? '' : '\n';
    case 'checkbox':
      return node.checked ? '☒' : '☐';
    case 'noteReference':
    case 'commentReference':
    case 'comment':
    case 'image':
    case 'bookmarkStart':
      return '';
    case 'run': {
      const t = (node.children ?? []).map(nodeText).join('');
      return node.verticalAlignment === 'superscript' && FOOTNOTE_MARK.test(t) ? '' : t;
    }
    case 'paragraph': // a text box's paragraphs inside a run
      return '\n' + (node.children ?? []).map(nodeText).join('');
    default:
      return (node.children ?? []).map(nodeText).join('');
  }
}

function hasPageBreak(node: MNode): boolean {
  if (node.type === 'break' && node.breakType === 'page') return true;
  return (node.children ?? []).some(hasPageBreak);
}

interface ParaInfo {
  text: string;
  label?: NumberedLabel;
  headingLevel?: number;
  emphasis?: 'bold' | 'italic';
}

/** 'bold' or 'italic' when every run with text is set so (a quoted recommendation in a response). */
function runEmphasis(p: MNode): 'bold' | 'italic' | undefined {
  const runs: MNode[] = [];
  const visit = (n: MNode): void => {
    if (n.type === 'run') {
      if ((n.children ?? []).map(nodeText).join('').trim()) runs.push(n);
      return;
    }
    for (const c of n.children ?? []) visit(c);
  };
  visit(p);
  if (!runs.length) return undefined;
  return runs.every((r) => r.isBold) ? 'bold' : runs.every((r) => r.isItalic) ? 'italic' : undefined;
}

function readParagraph(p: MNode, ctx: Ctx): ParaInfo {
  const text = (p.children ?? []).map(nodeText).join('');
  const styleId = p.styleId ?? undefined;
  const style = ctx.styles.paragraph(styleId);
  let label: NumberedLabel | undefined;
  if (p.numbering?.numId !== undefined) {
    label = ctx.counter.next(p.numbering.numId, boundedInt(p.numbering.ilvl ?? '0', 0, LIMITS.wordLevels - 1, 0));
  } else if (style?.numPr?.numId !== undefined) {
    label = ctx.counter.next(style.numPr.numId, style.numPr.ilvl ?? 0);
  } else if (p.numbering && styleId) {
    // mammoth found the list through a w:lvl/w:pStyle link; find which list that is.
    const ref = ctx.counter.numRefForStyle(styleId);
    if (ref) label = ctx.counter.next(ref.numId, ref.ilvl);
  }
  let headingLevel: number | undefined;
  const m = /^heading\s*([1-9])$/i.exec((p.styleName ?? style?.name ?? '').trim());
  if (m) headingLevel = parseInt(m[1], 10);
  else if (style?.outlineLvl !== undefined && style.outlineLvl >= 0 && style.outlineLvl <= 8) headingLevel = style.outlineLvl + 1;
  if (headingLevel !== undefined && headingLevel > 6) headingLevel = undefined;
  const emphasis = headingLevel === undefined ? runEmphasis(p) : undefined;
  return { text, label, headingLevel, ...(emphasis ? { emphasis } : {}) };
}

function headingsNow(ctx: Ctx): string[] {
  return ctx.headings.map((h) => h.text);
}

function pushHeading(ctx: Ctx, level: number, text: string): void {
  while (ctx.headings.length && ctx.headings[ctx.headings.length - 1].level >= level) ctx.headings.pop();
  ctx.headings.push({ level, text });
}

/** Text of a cell's content (paragraphs and nested tables) in reading order. */
function readCellContent(children: MNode[], ctx: Ctx, inNested: boolean) {
  const parts: string[] = [];
  let numberLabel: string | undefined;
  let firstTextIndex: number | undefined;
  children.forEach((c, i) => {
    let text = '';
    let labelled = false;
    if (c.type === 'paragraph') {
      const p = readParagraph(c, ctx);
      text = p.text;
      if (p.label) {
        if (p.label.bullet) {
          // plain paragraph, see above
        } else if (!inNested && numberLabel === undefined && parts.length === 0) {
          numberLabel = p.label.label;
          labelled = true;
        } else text = `${p.label.label} ${text}`;
      }
    } else if (c.type === 'table') {
      text = flattenTable(c, ctx);
    } else {
      text = nodeText(c);
    }
    if (firstTextIndex === undefined && (labelled || text.trim() !== '')) firstTextIndex = i;
    if (text.trim() !== '') parts.push(text);
  });
  return { orig: parts.join(inNested ? ' ' : '\n\n'), numberLabel, firstTextIndex: firstTextIndex ?? 0 };
}

function flattenTable(t: MNode, ctx: Ctx): string {
  const lines: string[] = [];
  for (const row of t.children ?? []) {
    if (row.type !== 'tableRow') continue;
    const cells = (row.children ?? [])
      .filter((c) => c.type === 'tableCell')
      .map((c) => readCellContent(c.children ?? [], ctx, true).orig);
    lines.push(cells.join('\t'));
  }
  return lines.join('\n');
}

function gridWidth(t: ModelTable): number {
  return t.rows.reduce((m, r) => Math.max(m, r.cells.reduce((s, c) => s + c.colSpan, 0)), 0);
}

function readTable(t: MNode, blockIndex: number, ctx: Ctx): ModelTable {
  const table = ctx.tableIndex++;
  const headings = headingsNow(ctx);
  const tPath = `body/${blockIndex}/tbl`;
  const rows: ModelRow[] = [];
  // Regions that vertical merges carry down: mammoth drops their continuation
  // w:tc, but provenance counts w:tc as Word stores them.
  let active: { col: number; span: number; lastRow: number }[] = [];
  let r = 0;
  for (const row of t.children ?? []) {
    if (row.type !== 'tableRow') continue;
    active = active.filter((a) => a.lastRow >= r);
    const cells: ModelCell[] = [];
    let col = 0;
    let tc = 0;
    for (const cell of row.children ?? []) {
      if (cell.type !== 'tableCell') continue;
      for (let a = active.find((x) => x.col === col); a; a = active.find((x) => x.col === col)) {
        col += a.span;
        tc++;
      }
      // mammoth passes w:gridSpan through parseInt: NaN for "abc", 1e9 for a billion.
      const colSpan = boundedInt(cell.colSpan ?? 1, 1, Math.max(1, LIMITS.wordColumns - col), 1);
      const rowSpan = boundedInt(cell.rowSpan ?? 1, 1, LIMITS.rowSpan, 1);
      if ((colSpan !== (cell.colSpan ?? 1) || rowSpan !== (cell.rowSpan ?? 1)) && ctx.messages.filter((m) => m.code === 'docx/span-invalid').length < 20) {
        ctx.messages.push(
          warning('docx/span-invalid', `cell spans ${String(cell.colSpan ?? 1)} columns and ${String(cell.rowSpan ?? 1)} rows; read as ${colSpan} × ${rowSpan}`, {
            kind: 'docx',
            path: `${tPath}/row/${r}/cell/${tc}`,
            table,
            row: r,
            cell: tc,
          }),
        );
      }
      const content = readCellContent(cell.children ?? [], ctx, false);
      const prov: Prov = {
        kind: 'docx',
        path: `${tPath}/row/${r}/cell/${tc}/p/${content.firstTextIndex}`,
        table,
        row: r,
        cell: tc,
        paragraph: content.firstTextIndex,
        headings,
      };
      const mc: ModelCell = { orig: content.orig, rowSpan, colSpan, prov: [prov] };
      if (content.numberLabel !== undefined) mc.numberLabel = content.numberLabel;
      cells.push(mc);
      if (rowSpan > 1) active.push({ col, span: colSpan, lastRow: r + rowSpan - 1 });
      col += colSpan;
      tc++;
    }
    const mr: ModelRow = { cells, prov: [{ kind: 'docx', path: `${tPath}/row/${r}`, table, row: r, headings }] };
    if (row.isHeader) mr.header = true;
    rows.push(mr);
    r++;
  }
  return {
    type: 'table',
    method: 'docx',
    confidence: 1,
    rows,
    prov: [{ kind: 'docx', path: tPath, table, headings }],
  };
}

type Pending = ModelBlock | { type: 'gap'; pageBreak: boolean };

/** Leading rows a repeated header would repeat: marked header rows, else the first row. */
function headerRowCount(t: ModelTable): number {
  let n = 0;
  while (n < t.rows.length && t.rows[n].header) n++;
  return n > 0 ? n : Math.min(1, t.rows.length);
}

function rowKey(r: ModelRow): string {
  return r.cells.map((c) => `${c.colSpan}:${c.orig.trim()}`).join('\u0001');
}

/** Joins a table that a page break or repeated header split from the one before it. */
function joinTables(blocks: Pending[], messages: Message[]): ModelBlock[] {
  const out: ModelBlock[] = [];
  let gapSince: { pageBreak: boolean; none: boolean } | undefined;
  let lastTable: ModelTable | undefined;
  for (const b of blocks) {
    if (b.type === 'gap') {
      if (lastTable) gapSince = { pageBreak: (gapSince?.pageBreak ?? false) || b.pageBreak, none: false };
      continue;
    }
    if (b.type === 'paragraph') {
      lastTable = undefined;
      gapSince = undefined;
      out.push(b);
      continue;
    }
    if (lastTable && gapSince && gridWidth(lastTable) === gridWidth(b) && b.rows.length > 0) {
      const n = headerRowCount(lastTable);
      const repeated =
        n > 0 && b.rows.length >= n && lastTable.rows.slice(0, n).every((row, i) => rowKey(row) === rowKey(b.rows[i]));
      // An unmarked first row that repeats is only trusted with a page break or
      // when nothing at all stands between the tables: separate small tables
      // often share a first row by chance.
      const marked = lastTable.rows[0]?.header === true;
      if ((repeated && (marked || gapSince.none)) || gapSince.pageBreak) {
        const added = repeated ? b.rows.slice(n) : b.rows;
        for (const row of added) lastTable.rows.push(row);
        lastTable.prov.push(...b.prov);
        messages.push(
          info(
            'docx/tables-joined',
            repeated
              ? `table continues the one before it (repeated header dropped, ${added.length} rows added)`
              : `table continues the one before it across a page break (${added.length} rows added)`,
            b.prov[0],
          ),
        );
        gapSince = undefined;
        continue;
      }
    }
    out.push(b);
    lastTable = b;
    gapSince = { pageBreak: false, none: true };
  }
  return out;
}

export interface ToModelInput {
  document: MNode;
  counter: NumberingCounter;
  styles: Styles;
  meta: { title?: string; date?: string };
}

export function toDocModel({ document, counter, styles, meta }: ToModelInput): DocModel {
  const messages: Message[] = [];
  const ctx: Ctx = { messages, counter, styles, headings: [], tableIndex: 0 };
  const pending: Pending[] = [];
  let firstTitle: string | undefined;
  (document.children ?? []).forEach((node, i) => {
    if (node.type === 'table') {
      pending.push(readTable(node, i, ctx));
      return;
    }
    if (node.type !== 'paragraph') return;
    const p = readParagraph(node, ctx);
    // An empty paragraph that Word numbers still shows its label ("Recommendation 3"
    // as a heading with no text of its own), so only unlabelled ones are gaps.
    if (p.text.trim() === '' && (!p.label || p.label.bullet)) {
      pending.push({ type: 'gap', pageBreak: hasPageBreak(node) });
      return;
    }
    const para: ModelParagraph = {
      type: 'paragraph',
      orig: p.text,
      prov: [{ kind: 'docx', path: `body/${i}/p`, paragraph: i, headings: headingsNow(ctx) }],
    };
    if (p.headingLevel !== undefined) para.headingLevel = p.headingLevel;
    if (p.emphasis) para.emphasis = p.emphasis;
    // Word's contents and lists of figures are styled "TOC 1", "Table of Figures": navigation, not content.
    if (/^(toc\s*\d|toc heading|table of figures|table of contents)/i.test((node.styleName ?? '').trim())) para.contents = true;
    if (p.label) {
      para.listLevel = p.label.level;
      if (!p.label.bullet) para.numberLabel = p.label.label;
    }
    if (/^title$/i.test((node.styleName ?? '').trim()) && firstTitle === undefined) firstTitle = p.text.trim();
    if (p.headingLevel !== undefined) {
      const shown = p.label && !p.label.bullet ? `${p.label.label} ${p.text.trim()}`.trim() : p.text.trim();
      if (p.headingLevel === 1 && firstTitle === undefined && p.text.trim()) firstTitle = p.text.trim();
      pushHeading(ctx, p.headingLevel, shown);
    }
    pending.push(para);
  });
  const blocks = joinTables(pending, messages);
  if (counter.rebuilt > 0) {
    messages.unshift(
      info('docx/numbering-rebuilt', `rebuilt ${counter.rebuilt} labels from Word's automatic numbering`),
    );
  }
  const title = meta.title ?? firstTitle;
  return {
    format: 'docx',
    meta: { ...(title ? { title } : {}), ...(meta.date ? { date: meta.date } : {}) },
    blocks,
    messages,
  };
}
