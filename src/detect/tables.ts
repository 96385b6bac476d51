// Which tables hold recommendations, and what each column is for. Decided from
// content (header vocabulary, a column of labels, long sentences), not from one
// publisher's layout.
import { boundedInt, LIMITS } from '../limits.js';
import { RectraceError } from '../errors.js';
import type { Column, Message, ModelCell, ModelRow, ModelTable, Role } from '../schema.js';
import { info } from '../result.js';
import { parseLabelCell, parseLeadingLabel, parseWholeLabel } from '../normalise/number.js';
import { looksLikeStatusColumn, normaliseStatus } from '../normalise/status.js';
import { findDate } from '../normalise/dates.js';
import { normaliseText, words } from '../normalise/text.js';
import { cleanHeader, isHeaderText, readsAsDirective, roleOfHeader } from './vocabulary.js';

/** A cell placed on the table grid. */
export interface PlacedCell {
  cell: ModelCell;
  col: number;
}

export interface PlacedRow {
  row: ModelRow;
  cells: PlacedCell[];
  /** For each grid column, the cell covering it, including a cell merged down from a row above. */
  byCol: Array<PlacedCell | undefined>;
  kind: 'header' | 'body' | 'section' | 'note';
}

export interface TableAnalysis {
  rows: PlacedRow[];
  columns: Column[];
  width: number;
  holdsRecommendations: boolean;
  /** Grid column of each role, when present. */
  roleColumn: Partial<Record<Role, number>>;
  messages: Message[];
}

/** Place cells on the grid, honouring colSpan and rowSpan from rows above. */
export function placeCells(rows: ModelRow[]): PlacedCell[][] {
  const occupied: number[] = []; // per column: rows still covered by a rowSpan above
  return rows.map((row) => {
    const placed: PlacedCell[] = [];
    let col = 0;
    for (const given of row.cells) {
      while (occupied[col] > 0) col++;
      // Parsers bound spans where they read them; this keeps the grid bounded whatever a model holds.
      const colSpan = boundedInt(given.colSpan, 1, Math.max(1, LIMITS.columns - col), 1);
      const rowSpan = boundedInt(given.rowSpan, 1, LIMITS.rowSpan, 1);
      const cell = colSpan === given.colSpan && rowSpan === given.rowSpan ? given : { ...given, colSpan, rowSpan };
      placed.push({ cell, col });
      for (let k = 0; k < colSpan; k++) occupied[col + k] = Math.max(occupied[col + k] ?? 0, rowSpan);
      col += colSpan;
    }
    for (let c = 0; c < occupied.length; c++) if (occupied[c] > 0) occupied[c]--;
    return placed;
  });
}

/** Which cell covers each grid position, following rowSpan down and colSpan across. */
function coverage(grid: PlacedCell[][], width: number): Array<Array<PlacedCell | undefined>> {
  const out = grid.map(() => new Array<PlacedCell | undefined>(width).fill(undefined));
  grid.forEach((cells, r) => {
    for (const p of cells) {
      for (let dr = 0; dr < p.cell.rowSpan && r + dr < grid.length; dr++) {
        for (let dc = 0; dc < p.cell.colSpan && p.col + dc < width; dc++) out[r + dr][p.col + dc] = p;
      }
    }
  });
  return out;
}

const textOf = (c: ModelCell) => c.orig.replace(/<[^<>]+>/g, ' ').replace(/\*\*/g, '').trim();
const rowKey = (cells: PlacedCell[]) => cells.map((p) => cleanHeader(p.cell.orig)).join('|');

function isHeaderRow(cells: PlacedCell[]): boolean {
  const filled = cells.filter((p) => textOf(p.cell));
  if (filled.length === 0) return false;
  if (filled.some((p) => parseWholeLabel(textOf(p.cell)))) return false;
  const vocab = filled.filter((p) => isHeaderText(p.cell.orig)).length;
  return vocab >= Math.max(1, Math.ceil(filled.length / 2)) && filled.every((p) => words(textOf(p.cell)).length <= 8);
}

function cellAt(cells: PlacedCell[], col: number): PlacedCell | undefined {
  return cells.find((p) => p.col <= col && col < p.col + p.cell.colSpan);
}

function wordCount(s: string): number {
  return words(s).length;
}

/**
 * A table laid out sideways, with the headers down the first column
 * ("Recommendation | …", "Response | …", "Status | …"), becomes one whose
 * records are rows. Only plain grids (no spans) are turned.
 */
export function transposeIfSideways(table: ModelTable): ModelTable | null {
  const rows = table.rows;
  if (rows.length < 2 || rows.some((r) => r.header)) return null;
  if (rows.some((r) => r.cells.some((c) => c.colSpan > 1 || c.rowSpan > 1))) return null;
  const width = rows[0].cells.length;
  if (width < 2 || rows.some((r) => r.cells.length !== width)) return null;
  const firstColumn = rows.map((r) => r.cells[0].orig);
  const named = firstColumn.filter((t) => isHeaderText(t)).length;
  if (named < 2 || named / rows.length < 0.6) return null;
  if (!firstColumn.some((t) => roleOfHeader(t) === 'recommendation')) return null;
  if (isHeaderRow(placeCells([rows[0]])[0])) return null;
  const turned: ModelRow[] = [];
  for (let c = 0; c < width; c++) {
    const cells = rows.map((r) => r.cells[c]);
    turned.push({ cells, prov: cells.flatMap((cell) => cell.prov), ...(c === 0 ? { header: true } : {}) });
  }
  return { ...table, rows: turned };
}

export function analyseTable(original: ModelTable): TableAnalysis {
  const messages: Message[] = [];
  const sideways = transposeIfSideways(original);
  const table = sideways ?? original;
  if (sideways) messages.push(info('detect/table-transposed', 'headers run down the first column; read column by column', original.prov[0]));
  const grid = placeCells(table.rows);
  const width = grid.reduce((m, cells) => cells.reduce((w, p) => Math.max(w, p.col + p.cell.colSpan), m), 0);
  if (grid.length * width > LIMITS.gridCells) {
    throw new RectraceError('input/too-large', `a table of ${grid.length} rows × ${width} columns is over the ${LIMITS.gridCells}-cell limit`);
  }

  // Header rows: marked by the source, else leading rows of header vocabulary.
  let headerCount = 0;
  while (headerCount < grid.length && table.rows[headerCount].header) headerCount++;
  if (headerCount === 0) {
    while (headerCount < Math.min(3, grid.length - 1) && isHeaderRow(grid[headerCount])) headerCount++;
  }
  const headerKeys = new Set(grid.slice(0, headerCount).map(rowKey));
  const covering = coverage(grid, width);

  const rows: PlacedRow[] = [];
  let repeated = 0;
  grid.forEach((cells, i) => {
    if (i < headerCount) rows.push({ row: table.rows[i], cells, byCol: covering[i], kind: 'header' });
    else if (headerKeys.has(rowKey(cells)) || (table.rows[i].header && headerCount > 0)) repeated++;
    else rows.push({ row: table.rows[i], cells, byCol: covering[i], kind: 'body' });
  });
  if (repeated > 0) {
    messages.push(info('detect/header-repeated', `${repeated} repeated header row(s) dropped`, table.prov[0]));
  }

  // Column headers and roles.
  const headerRows = rows.filter((r) => r.kind === 'header');
  const body = rows.filter((r) => r.kind === 'body');
  const columns: Column[] = [];
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    for (const r of headerRows) {
      const p = cellAt(r.cells, c);
      const t = p ? normaliseText(p.cell.orig, { plain: table.method === 'html' }) : '';
      if (t && !parts.includes(t)) parts.push(t);
    }
    const header = parts.join(' / ');
    const bottomUp = [...parts].reverse();
    let role: Role = 'other';
    for (const part of bottomUp) {
      const r = roleOfHeader(part);
      if (r) {
        role = r;
        break;
      }
    }
    const date = findDate(header);
    columns.push(date ? { index: c, header, role, date } : { index: c, header, role });
  }

  const values = (c: number) => body.map((r) => cellAt(r.cells, c)).map((p) => (p && p.col === c ? textOf(p.cell) : ''));
  const labelShare = (c: number) => {
    const v = values(c).filter(Boolean);
    const labelled = body.filter((r) => {
      const p = cellAt(r.cells, c);
      return p && p.col === c && (p.cell.numberLabel || parseLabelCell(textOf(p.cell)));
    }).length;
    const filled = Math.max(v.length, labelled);
    return filled === 0 ? 0 : labelled / Math.max(filled, 1);
  };
  const avgWords = (c: number) => {
    const v = values(c).filter(Boolean);
    return v.length ? v.reduce((s, t) => s + wordCount(t), 0) / v.length : 0;
  };

  // Content evidence overrides or fills in header evidence.
  for (const col of columns.slice(0, 2)) {
    if ((col.role === 'other' || col.role === 'recommendation') && body.length > 0 && labelShare(col.index) >= 0.6) {
      if (col.role === 'recommendation' && avgWords(col.index) > 3) continue;
      col.role = 'number';
    }
  }
  if (!columns.some((c) => c.role === 'status')) {
    for (const col of columns) if (col.role === 'other' && looksLikeStatusColumn(values(col.index))) col.role = 'status';
  }
  // A "response" (or "position") column of one-word verdicts ("Accept", "Accept in part", "TBC") is the status of each.
  if (!columns.some((c) => c.role === 'status')) {
    const verdicts = columns.find((col) => (col.role === 'response' || col.role === 'update') && looksLikeVerdictColumn(values(col.index)));
    if (verdicts) verdicts.role = 'status';
  }
  if (!columns.some((c) => c.role === 'recommendation')) {
    const candidates = columns.filter((c) => c.role === 'other' && avgWords(c.index) >= 6);
    if (candidates.length) candidates[0].role = 'recommendation';
    else if (columns.some((c) => c.role === 'number') && columns.some((c) => c.role === 'status')) {
      // Numbered short titles with a status each: the title column is the recommendation.
      const titles = columns.filter((c) => c.role === 'other' && avgWords(c.index) >= 3).sort((a, b) => avgWords(b.index) - avgWords(a.index));
      if (titles.length) titles[0].role = 'recommendation';
    }
  }

  if (!columns.some((c) => c.role === 'owner')) {
    // A headerless column of short capitalised names or job titles reads as the owner.
    for (const col of columns) {
      if (col.role !== 'other' || col.header) continue;
      const v = values(col.index).filter(Boolean);
      const named = v.filter((t) => /^[A-Z]/.test(t) && wordCount(t) <= 6 && !/[.!?]$/.test(t) && !parseWholeLabel(t) && !findDate(t));
      if (v.length >= 2 && named.length / v.length >= 0.8 && avgWords(col.index) <= 5) {
        col.role = 'owner';
        break;
      }
    }
  }
  // Action plans: a second recommendation-like column headed "Action…" holds the actions.
  const recLike = columns.filter((c) => c.role === 'recommendation');
  if (recLike.length > 1) {
    const keep = recLike.find((c) => /recommend/i.test(c.header)) ?? recLike[0];
    for (const c of recLike) if (c !== keep) c.role = /\baction/i.test(c.header) ? 'action' : 'other';
  }
  // One column per role: the first, except updates where the latest (rightmost) counts.
  const roleColumn: Partial<Record<Role, number>> = {};
  for (const col of columns) {
    if (col.role === 'other') continue;
    if (roleColumn[col.role] === undefined || col.role === 'update') roleColumn[col.role] = col.index;
  }

  // Rows that are not recommendations: section titles and notes.
  const numberCol = roleColumn.number;
  for (const r of body) {
    const filled = r.cells.filter((p) => textOf(p.cell) || p.cell.numberLabel);
    if (filled.length === 1) {
      const only = filled[0];
      const t = textOf(only.cell);
      const spansAll = only.cell.colSpan >= width && width > 1;
      const firstCol = only.col === 0 && only.col !== roleColumn.recommendation;
      if (/^(notes?|source|key|\*)\b/i.test(t)) r.kind = 'note';
      else if ((spansAll || firstCol) && !parseWholeLabel(t) && !only.cell.numberLabel && wordCount(t) <= 15 && width > 1) r.kind = 'section';
      else if (numberCol !== undefined && only.col !== numberCol && isSectionTitle(body, r, t, numberCol)) r.kind = 'section';
    }
  }

  const recCol = roleColumn.recommendation;
  const bodyRecs = body.filter((r) => r.kind === 'body');
  const inlineLabels =
    recCol === undefined ? 0 : bodyRecs.filter((r) => {
      const p = cellAt(r.cells, recCol);
      return p && (p.cell.numberLabel || parseLeadingLabel(textOf(p.cell)));
    }).length;
  const holdsRecommendations =
    recCol !== undefined && bodyRecs.length > 0 && recommendationEvidence(columns, recCol, numberCol, bodyRecs, inlineLabels);

  return { rows, columns, width, holdsRecommendations, roleColumn, messages };
}

const VERDICT = /^(not\s+)?(accept(ed)?|agree(d)?|disagree(d)?|support(ed)?|reject(ed)?|noted?|tbc|to be confirmed|under consideration|partially accept(ed)?|(partially\s+|non-?)?concur(s|red)?)\b/i;

/** Most values are short acceptance verdicts. */
function looksLikeVerdictColumn(values: string[]): boolean {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (filled.length < 2) return false;
  // The whole cell is the verdict ("Accept in part", "TBC by CO / BIS"), not a reply that opens with one.
  return filled.filter((v) => wordCount(v) <= 5 && VERDICT.test(v) && !/[.;:]\s+\S/.test(v)).length / filled.length >= 0.7;
}

/**
 * A lone short title where the table numbers its rows, followed by a numbered
 * row, heads the rows below it ("Bulk Telephone Records Program"). A row that
 * continues the one above across a page reads on from an unfinished sentence.
 */
function isSectionTitle(body: PlacedRow[], r: PlacedRow, t: string, numberCol: number): boolean {
  if (wordCount(t) > 12 || /[.,;:]$/.test(t) || !/^[A-Z"“‘'(]/.test(t)) return false;
  const i = body.indexOf(r);
  const next = body[i + 1];
  const numbered = (row: PlacedRow | undefined): boolean => {
    const p = row ? cellAt(row.cells, numberCol) : undefined;
    return !!p && !!(p.cell.numberLabel || parseLabelCell(textOf(p.cell)));
  };
  if (!numbered(next)) return false;
  const prev = body[i - 1];
  if (!prev) return true;
  const prevText = prev.cells.filter((p) => p.col !== numberCol).map((p) => textOf(p.cell)).join(' ').trim();
  if (/[.;:!?)]$/.test(prevText)) return true;
  // Titles set in title case throughout: a new title, not a sentence running on.
  const titleCase = (x: string): boolean => x.split(/\s+/).filter((w) => w.length > 3).every((w) => /^[A-Z"“‘'(0-9]/.test(w));
  return titleCase(t) && titleCase(prevText.split(/\s{2,}|\n/)[0] ?? '');
}

/**
 * Whether a table with a recommendation-like column really holds recommendations,
 * rather than data or a list of items. Headers that name the roles are strong
 * evidence; without them the rows must read as directives ("should", "Improve
 * the…") and be numbered or labelled in sequence, not hold numbers as data.
 */
function recommendationEvidence(
  columns: Column[],
  recCol: number,
  numberCol: number | undefined,
  rows: PlacedRow[],
  inlineLabels: number,
): boolean {
  const recTexts = rows.map((r) => cellAt(r.cells, recCol)).map((p) => (p ? textOf(p.cell) : '')).filter(Boolean);
  if (recTexts.length === 0) return false;
  const directive = recTexts.filter(readsAsDirective).length / recTexts.length;
  const recHeader = columns[recCol].header;
  const namedRoles = new Set(
    columns.filter((c) => c.header && c.role !== 'other' && c.role !== 'number' && c.role !== 'recommendation').map((c) => c.role),
  ).size;
  if (/recommend/i.test(recHeader) || (roleOfHeader(recHeader) === 'recommendation' && namedRoles >= 1)) return directive >= 0.2 || namedRoles >= 2;
  const numbers = numberCol === undefined ? [] : rows.map((r) => cellAt(r.cells, numberCol)).map((p) => (p ? p.cell.numberLabel ?? textOf(p.cell) : ''));
  const sequential = numberCol !== undefined && inSequence(numbers);
  const labelled = inlineLabels >= Math.ceil(rows.length / 2);
  const words = recTexts.reduce((n, t) => n + t.split(/\s+/).length, 0) / recTexts.length;
  // Rows numbered "Recommendation 1", "Recommendation no. 2": the table says what it holds.
  const printed = numbers.filter(Boolean);
  if (sequential && printed.length && printed.filter((n) => /^\W*rec(?:ommendation)?s?\b/i.test(n)).length >= printed.length * 0.8 && words >= 4) return true;
  // Numbered rows with a status each: a tracker of recommendations even without headers.
  const statusCol = columns.find((c) => c.role === 'status');
  if (statusCol && sequential && words >= 4 && rows.length >= 3 && (directive >= 0.3 || statusCol.header === '')) {
    // Real statuses: most cells name a state of progress, and not all the same placeholder.
    const raw = rows.map((r) => cellAt(r.cells, statusCol.index)).map((p) => (p ? textOf(p.cell) : '')).filter(Boolean);
    const meaningful = raw.filter((v) => !['unknown', 'not-applicable'].includes(normaliseStatus(v)));
    if (raw.length && meaningful.length / raw.length >= 0.6 && new Set(meaningful.map((v) => v.toLowerCase())).size >= 2) return true;
  }
  return directive >= 0.6 && words >= 6 && (sequential || labelled || namedRoles >= 1);
}

/** Labels that mostly count upwards from a small start (1, 2, 3… or 1.1, 1.2…), not data values. */
function inSequence(labels: string[]): boolean {
  const majors = labels.map((l) => parseLabelCell(l)?.number).filter((n): n is string => !!n).map((n) => parseInt(n, 10));
  if (majors.length < Math.max(1, labels.filter(Boolean).length * 0.8)) return false;
  if (majors[0] > 20) return false;
  let up = 0;
  for (let i = 1; i < majors.length; i++) if (majors[i] >= majors[i - 1] && majors[i] - majors[i - 1] <= 3) up++;
  return majors.length === 1 || up / (majors.length - 1) >= 0.7;
}

export { cellAt, textOf };
