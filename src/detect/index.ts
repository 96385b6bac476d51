// DocModel → recommendation tables, recommendations (in tables and running
// text), document title, date and glossary. Provenance is copied from the
// model, never recomputed.
import type {
  ColumnRole,
  DocModel,
  Message,
  ModelCell,
  ModelBlock,
  ModelParagraph,
  ModelRow,
  ModelTable,
  Prov,
  Recommendation,
  Table,
} from '../schema.js';
import { ColumnRole as ColumnRoleEnum } from '../schema.js';
import { info, warning } from '../result.js';
import { checkSequence, fullNumber, parseLabelCell, parseLeadingLabel, parseWholeLabel, withParent, type ParsedLabel } from '../normalise/number.js';
import { buildVocabulary, normaliseText } from '../normalise/text.js';
import { combineStatuses, normaliseStatus } from '../normalise/status.js';
import { findDate } from '../normalise/dates.js';
import { findDefinitions } from '../normalise/glossary.js';
import { analyseTable, cellAt, placeCells, textOf, type PlacedRow } from './tables.js';
import { labelledReply, leadingVerdict, recSectionKind } from './vocabulary.js';
import { proposeRunning, refineSequences, withLabel, type RunningCandidate, type Unit } from './running.js';
import { mergeCopies, type Draft, type Pending } from './copies.js';

export interface Detected {
  title?: string;
  date?: string;
  glossary: Record<string, string>;
  tables: Table[];
  recommendations: Recommendation[];
  messages: Message[];
}


const COLUMN_ROLES = ColumnRoleEnum.options;

function copyProv(provs: Prov[]): Prov[] {
  return provs.map((p) => ({ ...p, ...(p.bbox ? { bbox: [...p.bbox] as Prov['bbox'] } : {}), ...(p.headings ? { headings: [...p.headings] } : {}) }));
}

function labelFromCell(cell: ModelCell | undefined): ParsedLabel | null {
  if (!cell) return null;
  if (cell.numberLabel) {
    const l = parseWholeLabel(cell.numberLabel) ?? parseLeadingLabel(`${cell.numberLabel} X`);
    if (l) return { ...l, label: cell.numberLabel.trim() };
  }
  return parseLabelCell(textOf(cell)) ?? referenceCode(textOf(cell));
}

/**
 * A tracker's own reference in its number column ("A1", "B2.3", "REC-01", "SEND 4"): kept as
 * printed, since its letters are part of the name (A1 and B1 are different recommendations).
 */
function referenceCode(text: string): ParsedLabel | null {
  const t = text.trim();
  if (!/^[A-Z][A-Za-z]{0,5}[-_ ]?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?$/.test(t)) return null;
  return { number: t.replace(/\s+/g, ' '), label: t, subOnly: false };
}

/** Strip a leading published label from raw text, keeping the rest raw. */
function withoutLeadingLabel(orig: string, plain: boolean): { label: ParsedLabel | null; body: string } {
  const clean = normaliseText(orig, { plain });
  const l = parseLeadingLabel(clean);
  if (!l) return { label: null, body: orig };
  return { label: l, body: l.rest };
}

export function detectRecommendations(model: DocModel): Detected {
  const messages: Message[] = [];
  const allText: string[] = [];
  for (const b of model.blocks) {
    if (b.type === 'paragraph') allText.push(b.orig);
    else for (const r of b.rows) for (const c of r.cells) allText.push(c.orig);
  }
  const vocabulary = buildVocabulary(allText);
  // HTML cells hold parsed text already (see normaliseText's `plain`).
  const plain = model.format === 'html';
  const clean = (s: string) => normaliseText(s, { vocabulary, plain });

  const tables: Table[] = [];
  const pending: Pending[] = [];
  let heading: string | undefined;
  let headerDate: string | undefined;
  let title: string | undefined = model.printedTitle ? clean(model.printedTitle) : undefined;
  const earlyParagraphs: string[] = [];
  let lastMajor: string | undefined;
  // Paragraphs in reading order for the running-text recognisers; table rows that hold no recommendations are read as small pages.
  const bodyUnits: Unit[] = [];
  const rowScopes: Unit[][] = [];
  let order = 0;

  joinTableBlocks(model.blocks, messages).forEach((blockIn, blockIndex) => {
    let block = blockIn;
    order = blockIndex * 1000;
    if (block.type === 'paragraph') {
      // An entry ending in a page number after dot leaders or a tab is navigation, whatever the parser said.
      if (!block.contents && CONTENTS_ENTRY.test(block.orig)) block = { ...block, contents: true };
      // A page's footnotes are neither recommendations nor part of one's reply.
      if (block.footnote) return;
      const text = clean(block.orig);
      if (!text && !block.numberLabel) return;
      if (earlyParagraphs.length < 12 && !block.contents) earlyParagraphs.push(text);
      if (!title && block.headingLevel === 1 && !block.contents && !/^(table of )?contents$/i.test(text)) title = text;
      if (block.headingLevel && !block.contents) heading = text;
      bodyUnits.push({ order, para: block, text, scope: 'body' });
      return;
    }
    // A one-column table is a box around paragraphs (Word draws boxes this way).
    if (isBoxTable(block)) {
      const box = `t${blockIndex}`;
      for (const r of block.rows) for (const c of r.cells) for (const para of cellParagraphs(c, box)) bodyUnits.push({ order: ++order, para, text: clean(para.orig), scope: 'body' });
      return;
    }
    const analysis = analyseTable(block);
    messages.push(...analysis.messages);
    const tableId = `t${tables.length + 1}`;
    for (const col of analysis.columns) if (col.date && !headerDate && col.role !== 'other') headerDate = col.date;
    let section: string | undefined;
    const emittedRows: Table['rows'] = [];
    const tableDrafts: Array<{ draft: Draft; row: PlacedRow; order: number; inferred: boolean }> = [];
    const labelledRows = analysis.holdsRecommendations ? countLabelledRows(analysis) : 0;
    analysis.rows.forEach((r, rowIndex) => {
      emittedRows.push({
        kind: r.kind,
        cells: r.cells.map((p) => ({
          text: clean(p.cell.orig),
          orig: p.cell.orig,
          rowSpan: p.cell.rowSpan,
          colSpan: p.cell.colSpan,
          col: p.col,
          ...(p.cell.notes ? { notes: [...p.cell.notes] } : {}),
          prov: copyProv(p.cell.prov),
        })),
        prov: copyProv(r.row.prov),
      });
      if (!analysis.holdsRecommendations) {
        if (r.kind === 'body') {
          const scope = `${tableId}r${rowIndex}`;
          const units: Unit[] = [];
          for (const p of r.cells) for (const para of cellParagraphs(p.cell)) units.push({ order: blockIndex * 1000 + rowIndex, para, text: clean(para.orig), scope });
          rowScopes.push(units);
        }
        return;
      }
      if (r.kind === 'section') {
        section = clean(r.cells.find((p) => textOf(p.cell))!.cell.orig);
        return;
      }
      if (r.kind !== 'body') return;
      const recCol = analysis.roleColumn.recommendation!;
      const recCell = cellAt(r.cells, recCol)?.cell;
      const numCol = analysis.roleColumn.number;
      const numCell = numCol !== undefined ? cellAt(r.cells, numCol)?.cell : undefined;
      let label = numCol !== undefined && numCol !== recCol ? labelFromCell(numCell) : null;
      // A reply printed in the recommendation's own cell, below it ("Department response: Agreed."),
      // where the table has no row of its own for it (a borderless table folds it into the row).
      const cellParas = (recCell?.orig ?? '').split(/\n{2,}/);
      const replyAt = cellParas.findIndex((t, i) => i > 0 && labelledReply(t) !== null);
      const cellReply = replyAt > 0 ? labelledReply(cellParas.slice(replyAt).join('\n\n')) : null;
      const recOrig = cellReply ? cellParas.slice(0, replyAt).join('\n\n') : recCell?.orig ?? '';
      let recText = clean(recOrig);
      if (!label && recCell?.numberLabel) label = labelFromCell({ ...recCell, orig: '' });
      // Where the table numbers its rows in a column, a label inside the text ("ii) They should…") is the text's own.
      const numberCellEmpty = numCol !== undefined && numCol !== recCol && !textOf(numCell ?? { orig: '', rowSpan: 1, colSpan: 1, prov: [] }) && !numCell?.numberLabel;
      if (!label && !numberCellEmpty) {
        const inline = withoutLeadingLabel(recOrig, plain);
        if (inline.label) {
          label = inline.label;
          recText = clean(inline.body);
        }
      }
      const prev = tableDrafts[tableDrafts.length - 1];
      // The recommendation cell merged down from the row above: another action of the same recommendation.
      const coveringRec = r.byCol[recCol];
      const recMergedFromAbove = coveringRec !== undefined && !r.cells.includes(coveringRec);
      if (!label && prev && recMergedFromAbove) {
        appendContinuation(prev, r, analysis, clean, '\n\n');
        messages.push(info('detect/row-merged', `row shares recommendation ${prev.draft.label || prev.draft.number} (merged cell)`, r.row.prov[0]));
        return;
      }
      const replyRow = !label && prev ? labelledReply(r.cells.map((p) => p.cell.orig).filter((t) => t.trim()).join('\n\n')) : null;
      if (replyRow && prev && prev.draft.columns.response === undefined) {
        // "Department of Defence response: Agreed." under a recommendation's row: its reply, not more of its text.
        attachReply(prev.draft, replyRow.rest, clean);
        prev.draft.prov.push(...copyProv(r.row.prov.length ? r.row.prov : r.cells.flatMap((p) => p.cell.prov)));
        messages.push(info('detect/response-attached', `the row after recommendation ${prev.draft.label || prev.draft.number} is its reply ("${replyRow.label}")`, r.row.prov[0]));
        return;
      }
      if (!label && prev && numCol !== undefined && !textOf(numCell ?? { orig: '', rowSpan: 1, colSpan: 1, prov: [] })) {
        // No number where the table numbers its rows: the row above continues (a page break split it).
        appendContinuation(prev, r, analysis, clean, '\n');
        messages.push(info('detect/row-continued', `row continues recommendation ${prev.draft.label}`, r.row.prov[0]));
        return;
      }
      if (!recText && !label) return;
      // Where other rows carry labels, an unlabelled row is not a recommendation ("No recommendation", a note).
      if (!label && labelledRows > 0) return;
      let number: string;
      let labelText: string;
      let parent: string | undefined;
      if (label) {
        parent = label.subOnly && lastMajor ? lastMajor : undefined;
        number = parent ? withParent(parent, label.number) : label.number;
        labelText = label.label;
      } else {
        number = String(tableDrafts.length + 1);
        labelText = '';
        messages.push(info('detect/number-inferred', `a recommendation row has no number; numbered ${number} by position`, r.row.prov[0]));
      }
      if (!label?.subOnly) lastMajor = number.replace(/[a-z.].*$/, '') || number;
      const draft: Draft = {
        number,
        label: labelText,
        ...(parent ? { parent } : {}),
        text: recText,
        orig: recOrig,
        columns: {},
        columnsOrig: {},
        ...(section ?? heading ? { section: section ?? heading } : {}),
        table: tableId,
        ...(recCell?.notes ? { notes: [...recCell.notes] } : {}),
        prov: copyProv(r.row.prov.length ? r.row.prov : r.cells.flatMap((p) => p.cell.prov)),
      };
      fillColumns(draft, r, analysis, clean);
      if (cellReply && draft.columns.response === undefined) {
        attachReply(draft, cellReply.rest, clean);
        messages.push(info('detect/response-attached', `the end of recommendation ${draft.label || draft.number}'s cell is its reply ("${cellReply.label}")`, r.row.prov[0]));
      }
      tableDrafts.push({ draft, row: r, order: blockIndex * 1000 + rowIndex, inferred: !label });
    });
    const hasColumns = COLUMN_ROLES.some((role) => analysis.roleColumn[role] !== undefined);
    for (const { draft, order: o, inferred } of tableDrafts) pending.push({ draft, order: o, origin: 'table', boxed: false, ctx: tableId, hasColumns, inferred });
    tables.push({
      id: tableId,
      method: block.method,
      confidence: block.confidence,
      columns: analysis.columns,
      holdsRecommendations: analysis.holdsRecommendations,
      ...(heading ? { section: heading } : {}),
      rows: emittedRows,
      prov: copyProv(block.prov),
    });
  });

  // Running text: the body, then each table row read as a small page.
  const responseDoc = /\b(response|reply|responds)\b/i.test(title ?? model.meta.title ?? '');
  const candidates = [...proposeRunning(bodyUnits, responseDoc), ...rowScopes.flatMap((units) => proposeRunning(units, false))];
  refineSequences(candidates, messages);
  for (const c of candidates) {
    if (c.dropped) continue;
    const draft = candidateDraft(c, clean, messages);
    if (draft) pending.push({ draft, order: c.order, origin: c.kind, boxed: c.boxed, ctx: c.ctx, hasColumns: Object.keys(draft.columns).length > 0, ...(c.summary ? { summary: true } : {}) });
  }
  // A report that numbers its recommendations: an unnumbered table of "key recommendations" is someone else's list.
  if (pending.some((p) => p.origin !== 'table' || !p.inferred)) {
    const before = pending.length;
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i].inferred) pending.splice(i, 1);
    if (pending.length < before) messages.push(info('detect/unnumbered-table-skipped', `${before - pending.length} unnumbered table row(s) left out: the document numbers its recommendations elsewhere`));
  }
  pending.sort((a, b) => a.order - b.order);
  const drafts = mergeCopies(pending, messages).map((p) => p.draft);

  // Ids, sequence checks, status. Until here a sub-item's number was its full number ("1a"); it is
  // emitted as printed ("a") beside its parent ("1"), and the id keeps the full number.
  const counts = new Map<string, number>();
  const recommendations: Recommendation[] = drafts.map((d) => {
    const n = (counts.get(d.number) ?? 0) + 1;
    counts.set(d.number, n);
    const printed = d.parent ? d.number.slice(d.parent.length).replace(/^\./, '') : d.number;
    return { id: n === 1 ? d.number : `${d.number}~${n}`, ...d, number: printed };
  });
  for (const m of checkSequence(recommendations.map((r) => fullNumber(r)))) messages.push(m);
  if (tables.length > 0 && !tables.some((t) => t.holdsRecommendations) && recommendations.length === 0) {
    messages.push(info('detect/no-recommendation-table', `${tables.length} table(s) found, none holds recommendations`));
  }

  title ??= earlyParagraphs.find((t) => t.split(/\s+/).length >= 3 && t.split(/\s+/).length <= 30 && t !== t.toUpperCase());
  const date = (title && findDate(title)) ?? earlyParagraphs.map((t) => findDate(t)).find(Boolean) ?? headerDate ?? model.meta.date;
  const glossary = findDefinitions(allText.map((t) => normaliseText(t, { plain })).join('\n'));
  return {
    ...(title ? { title } : model.meta.title ? { title: model.meta.title } : {}),
    ...(date ? { date } : {}),
    glossary,
    tables,
    recommendations,
    messages,
  };
}

/**
 * A long table printed as blocks with short sub-headings between them (and
 * often one above the first): one table whose sub-headings are section rows.
 * Only tables of the same width with nothing but one short line between them.
 */
function joinTableBlocks(blocks: ModelBlock[], messages: Message[]): ModelBlock[] {
  const out: ModelBlock[] = [];
  const width = (t: ModelTable): number => Math.max(0, ...placeCells(t.rows).map((r) => r.reduce((m, c) => Math.max(m, c.col + c.cell.colSpan), 0)));
  const subHeading = (b: ModelBlock | undefined): b is ModelParagraph =>
    !!b && b.type === 'paragraph' && !b.contents && !b.numberLabel && !b.headingLevel && b.orig.trim().split(/\s+/).length <= 12 && !/[.:;,]$/.test(b.orig.trim()) && !b.orig.includes('\n\n');
  const sectionRow = (p: ModelParagraph, w: number): ModelRow => ({
    cells: [{ orig: p.orig, rowSpan: 1, colSpan: w, prov: p.prov.map((x) => ({ ...x })) }],
    prov: p.prov.map((x) => ({ ...x })),
  });
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.type !== 'table' || isBoxTable(b)) {
      out.push(b);
      continue;
    }
    const w = width(b);
    let j = i;
    const parts: Array<{ heading?: ModelParagraph; table: ModelTable }> = [{ table: b }];
    while (subHeading(blocks[j + 1]) && blocks[j + 2]?.type === 'table' && width(blocks[j + 2] as ModelTable) === w && w >= 2 && !isBoxTable(blocks[j + 2] as ModelTable)) {
      parts.push({ heading: blocks[j + 1] as ModelParagraph, table: blocks[j + 2] as ModelTable });
      j += 2;
    }
    if (parts.length === 1) {
      out.push(b);
      continue;
    }
    // The short line just above the first block heads it too.
    const before = out[out.length - 1];
    if (subHeading(before) && !before.headingLevel) {
      out.pop();
      parts[0].heading = before;
    }
    const rows: ModelRow[] = [];
    for (const part of parts) {
      if (part.heading) rows.push(sectionRow(part.heading, w));
      rows.push(...part.table.rows.map((r) => ({ ...r })));
    }
    out.push({ ...b, rows, prov: parts.flatMap((p) => p.table.prov), confidence: Math.min(...parts.map((p) => p.table.confidence)) });
    messages.push(info('detect/table-blocks-joined', `${parts.length} table blocks separated by sub-headings read as one table with section rows`, b.prov[0]));
    i = j;
  }
  return out;
}

const CONTENTS_ENTRY = /(?:\.{4,}|…{2,}|(?:\. ){3,}|\t)\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$/;

/** Body rows that carry a number: in the number column, or at the start of the recommendation cell. */
function countLabelledRows(analysis: ReturnType<typeof analyseTable>): number {
  const recCol = analysis.roleColumn.recommendation!;
  const numCol = analysis.roleColumn.number;
  return analysis.rows.filter((r) => {
    if (r.kind !== 'body') return false;
    const num = numCol !== undefined && numCol !== recCol ? cellAt(r.cells, numCol)?.cell : undefined;
    if (num && labelFromCell(num)) return true;
    const rec = cellAt(r.cells, recCol)?.cell;
    return !!rec && (!!rec.numberLabel || !!parseLeadingLabel(normaliseText(rec.orig)));
  }).length;
}

/** A table of one column: a box drawn around paragraphs, not a grid of records. */
function isBoxTable(t: ModelTable): boolean {
  if (!t.rows.length) return false;
  return t.rows.every((r) => r.cells.filter((c) => c.orig.trim() || c.numberLabel).length <= 1 && r.cells.length <= 1);
}

/** A cell's paragraphs as model paragraphs carrying the cell's provenance. */
function cellParagraphs(c: ModelCell, box?: string): ModelParagraph[] {
  const parts = c.orig.split(/\n\s*\n/).filter((s) => s.trim());
  return parts.map((orig, i) => ({
    type: 'paragraph' as const,
    orig,
    ...(i === 0 && c.numberLabel ? { numberLabel: c.numberLabel } : {}),
    ...(box ? { box } : {}),
    // A short line naming recommendations or concerns heads the cell's list.
    ...(recSectionKind(orig) !== 'none' && orig.split(/\s+/).length <= 10 && !/[.]$/.test(orig.trim()) ? { headingLevel: 6 } : {}),
    prov: copyProv(c.prov),
  }));
}

function candidateDraft(cand: RunningCandidate, clean: (s: string) => string, messages: Message[]): Draft | null {
  let c = cand;
  const texts = c.parts.map((p) => ({ text: clean(p.orig), orig: p.orig })).filter((p) => p.text);
  // A headed label whose only words are its "title" ("R3: Schools to be involved") states the recommendation.
  if (!texts.length && c.title) {
    texts.push({ text: clean(c.title), orig: c.title });
    c = { ...c, title: undefined };
  }
  if (!texts.length) {
    messages.push(warning('detect/empty-recommendation', `recommendation ${c.label} has no text`, c.parts[0]?.unit.para.prov[0]));
    return null;
  }
  const orig = texts.map((t) => t.orig).join('\n\n');
  const draft: Draft = {
    number: c.number,
    label: c.label,
    ...(c.parent ? { parent: c.parent } : {}),
    ...(c.title ? { title: clean(c.title) } : {}),
    // Cleaned as one text, so a word split over two of its paragraphs ("fit-and-" | "proper") is joined as on one line.
    text: clean(orig),
    orig,
    columns: {},
    columnsOrig: {},
    ...(c.section ? { section: c.section } : {}),
    prov: copyProv(c.parts.flatMap((p) => p.unit.para.prov)),
  };
  const notes = c.parts.flatMap((p) => p.unit.para.notes ?? []);
  if (notes.length) draft.notes = notes;
  for (const [role, values] of Object.entries(c.fieldValues) as Array<[ColumnRole, Array<{ text: string; orig: string }>]>) {
    draft.columns[role] = values.map((v) => clean(v.text)).join('\n\n');
    draft.columnsOrig[role] = values.map((v) => v.orig).join('\n\n');
    for (const u of c.fields[role] ?? []) draft.prov.push(...copyProv(u.para.prov));
  }
  const reply = c.group.response.filter((u) => u.text);
  if (reply.length && draft.columns.response === undefined) {
    draft.columnsOrig.response = reply.map((u) => withLabel(u)).join('\n\n');
    draft.columns.response = clean(draft.columnsOrig.response);
    messages.push(info('detect/response-attached', `the paragraphs after recommendation ${c.label}${c.group.cands.length > 1 ? ` (quoted with ${c.group.cands.length - 1} other(s))` : ''} are its response`, reply[0].para.prov[0]));
  }
  if (c.namedReply && draft.columns.response === undefined) {
    draft.columnsOrig.response = c.namedReply.map((p) => p.orig).join('\n\n');
    draft.columns.response = clean(c.namedReply.map((p) => p.text).join('\n\n'));
    messages.push(info('detect/response-attached', `a reply that names recommendation ${c.label} is its response`, c.namedReply[0].unit.para.prov[0]));
    setVerdict(draft, leadingVerdict(c.namedReply[0].text), clean);
  }
  // "Response: Accepted. We will…" as a field after the recommendation.
  const responseField = c.fieldValues.response?.[0];
  if (responseField && !c.fieldValues.status) setVerdict(draft, leadingVerdict(responseField.text), clean);
  setVerdict(draft, c.group.verdict ?? null, clean);
  const status = draft.columns.status;
  if (status) draft.status = { value: normaliseStatus(status), raw: status };
  if (!draft.prov.length) return null;
  return draft;
}

function fillColumns(draft: Draft, r: PlacedRow, analysis: ReturnType<typeof analyseTable>, clean: (s: string) => string) {
  for (const role of COLUMN_ROLES) {
    const col = analysis.roleColumn[role];
    if (col === undefined) continue;
    // A cell merged down over several rows (Word vMerge, rowspan) belongs to each of them.
    const p = r.byCol[col] ?? cellAt(r.cells, col);
    const orig = p ? p.cell.orig : '';
    draft.columnsOrig[role] = orig;
    draft.columns[role] = clean(orig);
  }
  const status = draft.columns.status;
  if (status !== undefined && status !== '') draft.status = { value: normaliseStatus(status), raw: status };
  // A reply that opens with its verdict ("Accepted. The Department will…"), in a table with no status column.
  else if (analysis.roleColumn.status === undefined && draft.columns.response) setVerdict(draft, leadingVerdict(draft.columns.response), clean);
}

/** A labelled reply printed with a table's recommendation: its response, and the verdict it opens with. */
function attachReply(draft: Draft, reply: string, clean: (s: string) => string): void {
  draft.columnsOrig.response = reply;
  draft.columns.response = clean(reply);
  setVerdict(draft, leadingVerdict(draft.columns.response), clean);
}

/** A reply's verdict is the item's status, where nothing else gave one. */
function setVerdict(draft: Draft, verdict: string | null, clean: (s: string) => string): void {
  if (!verdict || draft.columns.status !== undefined) return;
  draft.columns.status = clean(verdict);
  draft.columnsOrig.status = verdict;
  draft.status = { value: normaliseStatus(draft.columns.status), raw: draft.columns.status };
}

function appendContinuation(
  prev: { draft: Draft; row: PlacedRow },
  r: PlacedRow,
  analysis: ReturnType<typeof analyseTable>,
  clean: (s: string) => string,
  separator: '\n' | '\n\n',
) {
  const recCol = analysis.roleColumn.recommendation!;
  // "\n" continues a line broken by a page; "\n\n" adds another entry (an action of the same recommendation).
  const join = (a: string, b: string) => (a && b ? `${a}${separator}${b}` : a || b);
  const recCell = cellAt(r.cells, recCol)?.cell;
  if (recCell?.orig.trim()) {
    prev.draft.orig = join(prev.draft.orig, recCell.orig);
    // Re-clean the joined raw text so a word split across the page break is joined once.
    const text = clean(prev.draft.orig);
    const inline = parseLeadingLabel(text);
    prev.draft.text = inline && inline.label === prev.draft.label ? inline.rest : text;
  }
  for (const role of COLUMN_ROLES) {
    const col = analysis.roleColumn[role];
    if (col === undefined) continue;
    const cell = cellAt(r.cells, col)?.cell;
    if (!cell?.orig.trim()) continue;
    prev.draft.columnsOrig[role] = join(prev.draft.columnsOrig[role] ?? '', cell.orig);
    prev.draft.columns[role] = clean(prev.draft.columnsOrig[role]!);
  }
  const statusParts = (prev.draft.columns.status ?? '').split(/\n\n/).filter(Boolean);
  if (separator === '\n\n' && statusParts.length > 1) {
    prev.draft.status = { value: combineStatuses(statusParts.map(normaliseStatus)), raw: prev.draft.columns.status! };
  }
  prev.draft.prov.push(...copyProv(r.row.prov));
}

