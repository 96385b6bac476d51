// DocModel → recommendation tables, recommendations (in tables and running
// text), document title, date and glossary. Provenance is copied from the
// model, never recomputed.
import type {
  ColumnRole,
  DocModel,
  Message,
  ModelCell,
  ModelParagraph,
  Prov,
  Recommendation,
  Table,
} from '../schema.js';
import { ColumnRole as ColumnRoleEnum } from '../schema.js';
import { info, warning } from '../result.js';
import { checkSequence, parseLeadingLabel, parseWholeLabel, withParent, type ParsedLabel } from '../normalise/number.js';
import { buildVocabulary, normaliseText } from '../normalise/text.js';
import { combineStatuses, normaliseStatus } from '../normalise/status.js';
import { findDate } from '../normalise/dates.js';
import { findDefinitions } from '../normalise/glossary.js';
import { analyseTable, cellAt, textOf, type PlacedRow } from './tables.js';
import { roleOfHeader } from './vocabulary.js';

export interface Detected {
  title?: string;
  date?: string;
  glossary: Record<string, string>;
  tables: Table[];
  recommendations: Recommendation[];
  messages: Message[];
}

type Draft = Omit<Recommendation, 'id'>;

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
  return parseWholeLabel(textOf(cell));
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
  const drafts: Draft[] = [];
  let heading: string | undefined;
  let headingIsRecommendations = false;
  let headerDate: string | undefined;
  let title: string | undefined;
  const earlyParagraphs: string[] = [];
  let lastMajor: string | undefined;

  // Running-text state.
  let open: Draft | null = null;
  let openHeaded = false; // the label stood alone; text follows in later paragraphs
  let openField: ColumnRole | null = null; // the last "Response:"-style field, which later paragraphs continue

  const closeOpen = () => {
    if (open && open.orig.trim()) drafts.push(open);
    else if (open) messages.push(warning('detect/empty-recommendation', `recommendation ${open.label} has no text`, open.prov[0]));
    open = null;
  };

  for (const block of model.blocks) {
    if (block.type === 'paragraph') {
      handleParagraph(block);
      continue;
    }
    closeOpen();
    const analysis = analyseTable(block);
    messages.push(...analysis.messages);
    const tableId = `t${tables.length + 1}`;
    for (const col of analysis.columns) if (col.date && !headerDate && col.role !== 'other') headerDate = col.date;
    let section: string | undefined;
    const emittedRows: Table['rows'] = [];
    const tableDrafts: Array<{ draft: Draft; row: PlacedRow }> = [];
    for (const r of analysis.rows) {
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
      if (!analysis.holdsRecommendations) continue;
      if (r.kind === 'section') {
        section = clean(r.cells.find((p) => textOf(p.cell))!.cell.orig);
        continue;
      }
      if (r.kind !== 'body') continue;
      const recCol = analysis.roleColumn.recommendation!;
      const recCell = cellAt(r.cells, recCol)?.cell;
      const numCol = analysis.roleColumn.number;
      const numCell = numCol !== undefined ? cellAt(r.cells, numCol)?.cell : undefined;
      let label = numCol !== undefined && numCol !== recCol ? labelFromCell(numCell) : null;
      let recOrig = recCell?.orig ?? '';
      let recText = clean(recOrig);
      if (!label && recCell?.numberLabel) label = labelFromCell({ ...recCell, orig: '' });
      if (!label) {
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
        continue;
      }
      if (!label && prev && numCol !== undefined && !textOf(numCell ?? { orig: '', rowSpan: 1, colSpan: 1, prov: [] })) {
        // No number where the table numbers its rows: the row above continues (a page break split it).
        appendContinuation(prev, r, analysis, clean, '\n');
        messages.push(info('detect/row-continued', `row continues recommendation ${prev.draft.label}`, r.row.prov[0]));
        continue;
      }
      if (!recText && !label) continue;
      let number: string;
      let labelText: string;
      if (label) {
        number = label.subOnly && lastMajor ? withParent(lastMajor, label.number) : label.number;
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
      tableDrafts.push({ draft, row: r });
    }
    for (const { draft } of tableDrafts) drafts.push(draft);
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
  }
  closeOpen();

  function handleParagraph(p: ModelParagraph) {
    const text = clean(p.orig);
    if (!text && !p.numberLabel) return;
    if (earlyParagraphs.length < 12) earlyParagraphs.push(text);
    if (!title && p.headingLevel === 1) title = text;
    const label = paragraphLabel(p, text);
    const isRecLabel = label && (label.prefixed || headingIsRecommendations || (label.parsed.subOnly && open));
    if (label && isRecLabel) {
      closeOpen();
      const number = label.parsed.subOnly && lastMajor ? withParent(lastMajor, label.parsed.number) : label.parsed.number;
      if (!label.parsed.subOnly) lastMajor = number;
      open = {
        number,
        label: label.parsed.label,
        text: label.rest,
        orig: label.restOrig,
        columns: {},
        columnsOrig: {},
        ...(heading ? { section: heading } : {}),
        ...(p.notes ? { notes: [...p.notes] } : {}),
        prov: copyProv(p.prov),
      };
      openHeaded = !label.rest;
      openField = null;
      return;
    }
    if (p.headingLevel) {
      closeOpen();
      heading = text;
      headingIsRecommendations = /\brecommendations?\b/i.test(text);
      return;
    }
    if (open) {
      const field = /^([A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(.*)$/s.exec(text);
      const role = field ? roleOfHeader(field[1]) : null;
      if (field && role && (COLUMN_ROLES as readonly string[]).includes(role)) {
        const r = role as ColumnRole;
        const rawValue = p.orig.replace(/^[^:]*:\s*/, '');
        open.columns[r] = open.columns[r] ? `${open.columns[r]}\n\n${field[2]}` : field[2];
        open.columnsOrig[r] = open.columnsOrig[r] ? `${open.columnsOrig[r]}\n\n${rawValue}` : rawValue;
        open.prov.push(...copyProv(p.prov));
        if (r === 'status') open.status = { value: normaliseStatus(field[2]), raw: field[2] };
        openField = r;
        return;
      }
      if (openField) {
        open.columns[openField] = `${open.columns[openField]}\n\n${text}`;
        open.columnsOrig[openField] = `${open.columnsOrig[openField]}\n\n${p.orig}`;
        open.prov.push(...copyProv(p.prov));
        return;
      }
      if (openHeaded) {
        open.text = open.text ? `${open.text}\n\n${text}` : text;
        open.orig = open.orig ? `${open.orig}\n\n${p.orig}` : p.orig;
        open.prov.push(...copyProv(p.prov));
        return;
      }
      closeOpen();
    }
  }

  function paragraphLabel(p: ModelParagraph, text: string) {
    if (p.numberLabel) {
      const parsed = parseWholeLabel(p.numberLabel) ?? parseLeadingLabel(`${p.numberLabel} X`);
      if (parsed) {
        return { parsed: { ...parsed, label: p.numberLabel.trim() }, prefixed: /^\s*(rec|r\d)/i.test(p.numberLabel), rest: text, restOrig: p.orig };
      }
    }
    const whole = parseWholeLabel(text);
    if (whole && /^(rec|r\s*\d)/i.test(text)) return { parsed: whole, prefixed: true, rest: '', restOrig: '' };
    const lead = parseLeadingLabel(text);
    if (!lead) return null;
    // orig stays the whole raw paragraph; the label moves to `label`.
    return { parsed: lead, prefixed: /^(rec|r\s*\d)/i.test(lead.label), rest: lead.rest, restOrig: p.orig };
  }

  // Ids, sequence checks, status.
  const counts = new Map<string, number>();
  const recommendations: Recommendation[] = drafts.map((d) => {
    const n = (counts.get(d.number) ?? 0) + 1;
    counts.set(d.number, n);
    return { id: n === 1 ? d.number : `${d.number}~${n}`, ...d };
  });
  for (const m of checkSequence(recommendations.map((r) => r.number))) messages.push(m);
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

