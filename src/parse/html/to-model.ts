// HTML tree (from dom.ts) → DocModel. Text only: nothing is executed, and
// script/style/noscript/template (and other non-text embeds) are skipped whole.
//
// Text: whitespace collapses as a browser renders it (outside <pre>), <br> is
// "\n". In a table cell, block children (p, div, li, nested tables) are
// separated by "\n\n"; ul items are plain paragraphs (the bullet is not text),
// ol items are written "3. item" (numbered as the browser would: start, value,
// type) — except that an ol item opening a cell gives the cell's numberLabel,
// as in the Word reader. A nested table is flattened into its cell row by row,
// cells separated by a tab.
// Element paths name each step by tag, with a 1-based [n] only where the
// parent has several children of that tag (XPath style).
import { boundedInt, LIMITS } from '../../limits.js';
import type { DocModel, Message, ModelBlock, ModelCell, ModelParagraph, ModelRow, ModelTable, Prov } from '../../schema.js';
import { warning } from '../../result.js';
import type { HElement, HNode } from './dom.js';

const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'embed',
  'canvas', 'select', 'option', 'textarea', 'button', 'input', 'audio', 'video', 'map',
]);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'details', 'dialog', 'dd', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary',
  'table', 'ul', 'caption', 'legend', 'menu',
]);
const PARA = new Set(['p', 'dt', 'pre', 'figcaption', 'summary', 'address', 'legend']);
const FOOTNOTE_MARK = /^\s*[[(]?[\d*†‡§,\s]+[\])]?\s*$/;

type Item =
  | { kind: 'para'; text: string; el: HElement; headingLevel?: number; label?: string; bullet?: boolean; listLevel?: number; box?: string }
  | { kind: 'table'; el: HElement };

interface Ctx {
  paths: Map<HElement, string>;
  headings: { level: number; text: string }[];
  tableIndex: number;
  messages: Message[];
}

function isEl(n: HNode): n is HElement {
  return n.kind === 'el';
}

/** Element paths for the whole tree, computed once without recursion. */
export function assignPaths(root: HElement): Map<HElement, string> {
  const paths = new Map<HElement, string>();
  const stack: [HElement, string][] = [[root, '']];
  while (stack.length) {
    const [el, path] = stack.pop()!;
    const kids = el.children.filter(isEl);
    const counts = new Map<string, number>();
    for (const k of kids) counts.set(k.tag, (counts.get(k.tag) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const k of kids) {
      const n = (seen.get(k.tag) ?? 0) + 1;
      seen.set(k.tag, n);
      const step = counts.get(k.tag)! > 1 ? `${k.tag}[${n}]` : k.tag;
      const p = path ? `${path}/${step}` : step;
      paths.set(k, p);
      stack.push([k, p]);
    }
  }
  return paths;
}

function isFootnoteSup(el: HElement): boolean {
  if (el.tag !== 'sup') return false;
  const t = rawText(el);
  const linksInside = el.children.some((c) => isEl(c) && c.tag === 'a' && (c.attrs.href ?? '').startsWith('#'));
  return FOOTNOTE_MARK.test(t) && (linksInside || /\d/.test(t));
}

function rawText(n: HNode): string {
  if (!isEl(n)) return n.text;
  if (SKIP.has(n.tag)) return '';
  return n.children.map(rawText).join('');
}

function inlineText(n: HNode, pre: boolean): string {
  if (!isEl(n)) return pre ? n.text : n.text.replace(/[ \t\n\r\f]+/g, ' ');
  if (SKIP.has(n.tag)) return '';
  if (n.tag === 'br') return '\n';
  if (isFootnoteSup(n)) return '';
  const inner = n.children.map((c) => inlineText(c, pre || n.tag === 'pre')).join('');
  return BLOCK.has(n.tag) ? ` ${inner} ` : inner;
}

/** 'bold' or 'italic' when every word of the element is set so (<b>/<strong>, <i>/<em>). */
function emphasisOfElement(el: HElement): 'bold' | 'italic' | undefined {
  let words = 0;
  let bold = 0;
  let italic = 0;
  const visit = (n: HNode, b: boolean, i: boolean): void => {
    if (!isEl(n)) {
      if (n.text.trim()) {
        words++;
        if (b) bold++;
        if (i) italic++;
      }
      return;
    }
    if (SKIP.has(n.tag) || isFootnoteSup(n)) return;
    const weight = /^(b|strong)$/.test(n.tag) || /font-weight\s*:\s*(bold|[6-9]00)/i.test(n.attrs.style ?? '');
    const slant = /^(i|em)$/.test(n.tag) || /font-style\s*:\s*italic/i.test(n.attrs.style ?? '');
    for (const c of n.children) visit(c, b || weight, i || slant);
  };
  visit(el, false, false);
  if (!words) return undefined;
  return bold === words ? 'bold' : italic === words ? 'italic' : undefined;
}

function finishInline(nodes: HNode[], pre: boolean): string {
  const s = nodes.map((n) => inlineText(n, pre)).join('');
  if (pre) return s.replace(/^\r?\n/, '').replace(/\s+$/, '');
  return s.replace(/ *\n */g, '\n').replace(/ {2,}/g, ' ').trim();
}

function formatOl(n: number, type: string | undefined): string {
  const letters = (k: number): string => {
    let out = '';
    for (let v = k; v > 0; v = Math.floor((v - 1) / 26)) out = String.fromCharCode(97 + ((v - 1) % 26)) + out;
    return out || String(k);
  };
  const roman = (k: number): string => {
    const t: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
    if (k <= 0 || k >= 4000) return String(k);
    let out = '';
    for (const [v, s] of t) while (k >= v) { out += s; k -= v; }
    return out;
  };
  switch (type) {
    case 'a': return letters(n);
    case 'A': return letters(n).toUpperCase();
    case 'i': return roman(n);
    case 'I': return roman(n).toUpperCase();
    default: return String(n);
  }
}

/**
 * A box around paragraphs: a quotation, an aside, a panel a stylesheet draws ("call-out",
 * "inset-text", GOV.UK's "call-to-action"), or a div given a visible border in its own style.
 */
const BOX_CLASS = /(^|[\s_-])(call-?out|call-to-action|box|panel|inset|highlight|notice|quote|recommendation)([\s_-]|$)/i;
const BORDER_STYLE = /(^|;)\s*border(-(top|left))?\s*:[^;]*\b(solid|double|dashed|groove|ridge)\b/i;
function isBoxElement(el: HElement): boolean {
  if (el.tag === 'blockquote' || el.tag === 'aside') return true;
  return el.tag === 'div' && (BOX_CLASS.test(el.attrs.class ?? '') || BORDER_STYLE.test(el.attrs.style ?? ''));
}

interface WalkState {
  boxes: number;
  box?: string;
}

/** Flattens an element's content into paragraph-like items and tables, in reading order. */
function walk(el: HElement, out: Item[], listLevel: number, state: WalkState = { boxes: 0 }): void {
  const start = out.length;
  const outer = state.box;
  if (isBoxElement(el) && !outer) state.box = `b${++state.boxes}`;
  let pending: HNode[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = finishInline(pending, false);
    if (text) out.push({ kind: 'para', text, el });
    pending = [];
  };
  for (const c of el.children) {
    if (!isEl(c) || !BLOCK.has(c.tag)) {
      if (isEl(c) && SKIP.has(c.tag)) continue;
      pending.push(c);
      continue;
    }
    flush();
    const h = /^h([1-6])$/.exec(c.tag);
    if (h) {
      const text = finishInline(c.children, false);
      if (text) out.push({ kind: 'para', text, el: c, headingLevel: parseInt(h[1], 10) });
    } else if (PARA.has(c.tag)) {
      const text = finishInline(c.children, c.tag === 'pre');
      if (text) out.push({ kind: 'para', text, el: c });
    } else if (c.tag === 'ul' || c.tag === 'ol' || c.tag === 'menu') {
      const ordered = c.tag === 'ol';
      let n = ordered ? boundedInt(c.attrs.start ?? '1', -LIMITS.counter, LIMITS.counter, 1) : 0;
      for (const li of c.children) {
        if (!isEl(li)) continue;
        if (li.tag !== 'li') {
          if (!SKIP.has(li.tag)) walk({ ...li, children: [li] }, out, listLevel + 1, state);
          continue;
        }
        const v = boundedInt(li.attrs.value, -LIMITS.counter, LIMITS.counter, NaN);
        if (ordered && Number.isFinite(v)) n = v;
        const items: Item[] = [];
        walk(li, items, listLevel + 1, state);
        const first = items.find((it) => it.kind === 'para');
        if (first && first.kind === 'para' && first.label === undefined && first.listLevel === undefined) {
          first.listLevel = listLevel;
          if (ordered) first.label = `${formatOl(n, c.attrs.type ?? li.attrs.type)}.`;
          else first.bullet = true;
          first.el = li;
        }
        out.push(...items);
        if (ordered) n++;
      }
    } else if (c.tag === 'table') {
      if (isLayoutTable(c)) for (const { tr } of tableRows(c)) for (const cell of rowCells(tr)) walk(cell, out, listLevel, state);
      else out.push({ kind: 'table', el: c });
    } else if (c.tag === 'hr') {
      continue;
    } else {
      walk(c, out, listLevel, state);
    }
  }
  flush();
  if (state.box && !outer) {
    for (let k = start; k < out.length; k++) {
      const it = out[k];
      if (it.kind === 'para') it.box ??= state.box;
    }
    state.box = undefined;
  }
}

function tableRows(table: HElement): { tr: HElement; head: boolean }[] {
  const rows: { tr: HElement; head: boolean }[] = [];
  for (const c of table.children) {
    if (!isEl(c)) continue;
    if (c.tag === 'tr') rows.push({ tr: c, head: false });
    else if (c.tag === 'thead' || c.tag === 'tbody' || c.tag === 'tfoot') {
      for (const r of c.children) if (isEl(r) && r.tag === 'tr') rows.push({ tr: r, head: c.tag === 'thead' });
    }
  }
  return rows;
}

/**
 * A table used for page layout rather than data: marked presentational, or a
 * single row or single column without header cells that holds another table.
 * Its cells are read as ordinary content, so a data table inside stays a table.
 */
function isLayoutTable(table: HElement): boolean {
  const role = (table.attrs.role ?? '').toLowerCase();
  if (role === 'presentation' || role === 'none') return true;
  const rows = tableRows(table);
  const cells = rows.map(({ tr }) => rowCells(tr));
  if (cells.some((r) => r.some((c) => c.tag === 'th'))) return false;
  const thin = rows.length <= 1 || cells.every((r) => r.length <= 1);
  return thin && cells.some((r) => r.some((c) => findFirst(c, 'table') !== undefined));
}

function rowCells(tr: HElement): HElement[] {
  return tr.children.filter((c): c is HElement => isEl(c) && (c.tag === 'td' || c.tag === 'th'));
}

function flattenTable(table: HElement): string {
  return tableRows(table)
    .map(({ tr }) => rowCells(tr).map((c) => cellText(c, true).orig).join('\t'))
    .join('\n');
}

function cellText(cell: HElement, nested: boolean): { orig: string; numberLabel?: string } {
  const items: Item[] = [];
  walk(cell, items, 0);
  const parts: string[] = [];
  let numberLabel: string | undefined;
  for (const it of items) {
    if (it.kind === 'table') {
      const t = flattenTable(it.el);
      if (t.trim()) parts.push(t);
      continue;
    }
    let text = it.text;
    if (it.label !== undefined) {
      if (!nested && parts.length === 0 && numberLabel === undefined) numberLabel = it.label;
      else text = `${it.label} ${text}`;
    }
    parts.push(text);
  }
  return { orig: parts.join(nested ? ' ' : '\n\n'), ...(numberLabel !== undefined ? { numberLabel } : {}) };
}

function prov(ctx: Ctx, el: HElement, extra: Partial<Prov> = {}): Prov {
  const p: Prov = { kind: 'html', path: ctx.paths.get(el) ?? el.tag };
  if (el.line) p.line = el.line;
  if (el.lineEnd && el.line && el.lineEnd >= el.line) p.lineEnd = el.lineEnd;
  return { ...p, ...extra };
}

/** HTML reads the digits an attribute starts with ("3px" → 3), like parseInt, but keeps them a string for boundedInt. */
function leadingInt(v: string | undefined): string | undefined {
  return v === undefined ? undefined : /^\s*[-+]?\d+/.exec(v)?.[0];
}

function readTable(el: HElement, ctx: Ctx): ModelTable {
  const table = ctx.tableIndex++;
  const headings = ctx.headings.map((h) => h.text);
  const all = tableRows(el);
  const rows: ModelRow[] = all.map(({ tr, head }, r) => {
    const cellsEl = rowCells(tr);
    let col = 0;
    const cells: ModelCell[] = cellsEl.map((c, i) => {
      // Browsers' rules: colspan 1–1000, rowspan 0–65534 (0: to the end of the section).
      const colSpan = boundedInt(leadingInt(c.attrs.colspan), 1, Math.max(1, LIMITS.columns - col), 1);
      col += colSpan;
      const rs = boundedInt(leadingInt(c.attrs.rowspan), 0, LIMITS.rowSpan, 1);
      // rowspan="0" spans to the end of the table section; we clamp to the rows left.
      const rowSpan = Math.max(1, Math.min(all.length - r, rs === 0 ? all.length - r : rs));
      const text = cellText(c, false);
      const mc: ModelCell = { orig: text.orig, rowSpan, colSpan, prov: [prov(ctx, c, { table, row: r, cell: i, headings })] };
      if (text.numberLabel !== undefined) mc.numberLabel = text.numberLabel;
      return mc;
    });
    const row: ModelRow = { cells, prov: [prov(ctx, tr, { table, row: r, headings })] };
    if (head || (cellsEl.length > 0 && cellsEl.every((c) => c.tag === 'th'))) row.header = true;
    return row;
  });
  return { type: 'table', method: 'html', confidence: 1, rows, prov: [prov(ctx, el, { table, headings })] };
}

function findFirst(el: HElement, tag: string): HElement | undefined {
  const stack: HElement[] = [el];
  while (stack.length) {
    const cur = stack.shift()!;
    if (cur.tag === tag) return cur;
    stack.unshift(...cur.children.filter(isEl));
  }
  return undefined;
}

function findAll(el: HElement, tag: string): HElement[] {
  const out: HElement[] = [];
  const stack: HElement[] = [el];
  while (stack.length) {
    const cur = stack.pop()!;
    if (cur.tag === tag) out.push(cur);
    if (!SKIP.has(cur.tag) || cur.tag === 'head') for (const c of cur.children) if (isEl(c)) stack.push(c);
  }
  return out;
}

const DATE_META = new Set(['date', 'dc.date', 'dcterms.date', 'dcterms.created', 'dcterms.issued', 'dc.date.issued', 'article:published_time', 'citation_publication_date']);

export function htmlToDocModel(root: HElement, truncated: boolean): DocModel {
  const ctx: Ctx = { paths: assignPaths(root), headings: [], tableIndex: 0, messages: [] };
  if (truncated) ctx.messages.push(warning('html/too-deep', 'elements nested too deeply were left out'));
  const body = findFirst(root, 'body') ?? root;
  const items: Item[] = [];
  walk(body, items, 0);
  const blocks: ModelBlock[] = [];
  let firstH1: string | undefined;
  for (const it of items) {
    if (it.kind === 'table') {
      const caption = it.el.children.find((c): c is HElement => isEl(c) && c.tag === 'caption');
      const capText = caption ? finishInline(caption.children, false) : '';
      if (caption && capText) {
        blocks.push({ type: 'paragraph', orig: capText, prov: [prov(ctx, caption, { headings: ctx.headings.map((h) => h.text) })] });
      }
      blocks.push(readTable(it.el, ctx));
      continue;
    }
    const para: ModelParagraph = {
      type: 'paragraph',
      orig: it.text,
      prov: [prov(ctx, it.el, { headings: ctx.headings.map((h) => h.text) })],
    };
    if (it.headingLevel !== undefined) {
      para.headingLevel = it.headingLevel;
      if (it.headingLevel === 1 && firstH1 === undefined) firstH1 = it.text;
      while (ctx.headings.length && ctx.headings[ctx.headings.length - 1].level >= it.headingLevel) ctx.headings.pop();
      ctx.headings.push({ level: it.headingLevel, text: it.text });
    }
    if (it.label !== undefined) para.numberLabel = it.label;
    if (it.listLevel !== undefined) para.listLevel = it.listLevel;
    if (it.headingLevel === undefined) {
      const emphasis = emphasisOfElement(it.el);
      if (emphasis) para.emphasis = emphasis;
    }
    if (it.box !== undefined) para.box = it.box;
    blocks.push(para);
  }
  const titleEl = findFirst(root, 'title');
  const title = (titleEl ? finishInline(titleEl.children, false) : '') || firstH1;
  let date: string | undefined;
  for (const m of findAll(root, 'meta')) {
    const key = (m.attrs.name ?? m.attrs.property ?? '').toLowerCase();
    const d = DATE_META.has(key) ? /^(\d{4}-\d{2}(-\d{2})?)/.exec((m.attrs.content ?? '').trim())?.[1] : undefined;
    if (d) {
      date = d;
      break;
    }
  }
  return {
    format: 'html',
    meta: { ...(title ? { title } : {}), ...(date ? { date } : {}) },
    blocks,
    messages: ctx.messages,
  };
}
