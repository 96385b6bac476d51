// Plain-text exports (like the seeds): tab-separated rows with HTML fragments
// in cells, header lines repeated where pages broke, tables exported column by
// column, markdown pipe tables, and running text.
import { LIMITS } from '../../limits.js';
import type { DocModel, Message, ModelBlock, ModelCell, ModelParagraph, ModelRow, ModelTable, Prov } from '../../schema.js';
import { RectraceError } from '../../errors.js';
import { ok, info, warning, type Result } from '../../result.js';
import { isHeaderText } from '../../detect/vocabulary.js';
import { parseWholeLabel } from '../../normalise/number.js';

interface Line {
  no: number; // 1-based
  text: string;
}

type Run = Line[];

const lineProv = (line: number, lineEnd?: number, extra: Partial<Prov> = {}): Prov =>
  lineEnd && lineEnd !== line ? { kind: 'text', line, lineEnd, ...extra } : { kind: 'text', line, ...extra };

function splitRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run = [];
  text.split(/\r\n|\r|\n/).forEach((t, i) => {
    if (t.trim() === '') {
      if (current.length) runs.push(current);
      current = [];
    } else current.push({ no: i + 1, text: t });
  });
  if (current.length) runs.push(current);
  return runs;
}

const isTsvRun = (run: Run) => run.filter((l) => l.text.includes('\t')).length >= Math.max(1, Math.ceil(run.length / 2));
const isMarkdownTable = (run: Run) =>
  run.length >= 2 && run.every((l) => l.text.trim().startsWith('|')) && /^\s*\|?\s*:?-{3,}/.test(run[1].text);

function cell(orig: string, prov: Prov): ModelCell {
  return { orig, rowSpan: 1, colSpan: 1, prov: [prov] };
}

function tsvTable(run: Run, tableIndex: number, messages: Message[]): ModelTable {
  const rows: ModelRow[] = [];
  for (const line of run) {
    const rowIndex = rows.length;
    if (!line.text.includes('\t') && rows.length > 0) {
      // A line without tabs inside a tab table continues the previous row's last cell.
      const prev = rows[rows.length - 1];
      const target = [...prev.cells].reverse().find((c) => c.orig.trim()) ?? prev.cells[prev.cells.length - 1];
      target.orig += `\n${line.text}`;
      const p = target.prov[0];
      p.lineEnd = line.no;
      prev.prov[0].lineEnd = line.no;
      messages.push(info('text/row-continued', 'a line without tabs was joined to the cell above', lineProv(line.no)));
      continue;
    }
    const parts = line.text.split('\t');
    rows.push({
      cells: parts.map((p, c) => cell(p, lineProv(line.no, undefined, { table: tableIndex, row: rowIndex, cell: c }))),
      prov: [lineProv(line.no, undefined, { table: tableIndex, row: rowIndex })],
    });
  }
  markHeader(rows);
  return { type: 'table', method: 'text-tsv', confidence: 0.9, rows, prov: [lineProv(run[0].no, run[run.length - 1].no, { table: tableIndex })] };
}

function markdownTable(run: Run, tableIndex: number): ModelTable {
  const split = (t: string) =>
    t
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
  const rows: ModelRow[] = [];
  run.forEach((line, i) => {
    if (i === 1) return; // the --- separator
    const rowIndex = rows.length;
    rows.push({
      header: i === 0 ? true : undefined,
      cells: split(line.text).map((p, c) => cell(p.replace(/<br\s*\/?>/gi, '\n'), lineProv(line.no, undefined, { table: tableIndex, row: rowIndex, cell: c }))),
      prov: [lineProv(line.no, undefined, { table: tableIndex, row: rowIndex })],
    });
  });
  for (const r of rows) if (r.header === undefined) delete r.header;
  return { type: 'table', method: 'text-markdown', confidence: 0.95, rows, prov: [lineProv(run[0].no, run[run.length - 1].no, { table: tableIndex })] };
}

/** The first row is a header when every cell is short header vocabulary or empty. */
function markHeader(rows: ModelRow[]): void {
  if (rows.length < 2) return;
  const first = rows[0];
  const filled = first.cells.map((c) => c.orig.trim()).filter(Boolean);
  if (filled.length > 0 && filled.every((t) => isHeaderText(t))) first.header = true;
}

const headerKey = (row: ModelRow) => row.cells.map((c) => c.orig.replace(/<[^>]+>|\s+/g, '').toLowerCase()).join('\t');
const bodyRows = (t: ModelTable) => t.rows.filter((r) => !r.header);
const width = (t: ModelTable) => t.rows.reduce((m, r) => Math.max(m, r.cells.length), 0);

/** A run that holds only a header line and one value per line: a column exported on its own. */
function columnBlock(run: Run): { header: string[]; values: string[][]; lines: Line[] } | null {
  if (run.length < 2) return null;
  const header = run[0].text.split('\t');
  const filled = header.map((h) => h.trim()).filter(Boolean);
  if (filled.length === 0 || !filled.every((h) => isHeaderText(h))) return null;
  return { header, values: run.slice(1).map((l) => l.text.split('\t')), lines: run };
}

function appendColumns(table: ModelTable, block: { header: string[]; values: string[][]; lines: Line[] }, tableIndex: number): void {
  const headerRow = table.rows.find((r) => r.header);
  const body = bodyRows(table);
  const baseWidth = width(table);
  const blockWidth = Math.max(block.header.length, ...block.values.map((v) => v.length));
  const pad = (cells: string[]) => [...cells, ...Array(blockWidth - cells.length).fill('')];
  const headerLine = block.lines[0];
  if (headerRow) {
    pad(block.header).forEach((h, i) =>
      headerRow.cells.push(cell(h, lineProv(headerLine.no, undefined, { table: tableIndex, row: table.rows.indexOf(headerRow), cell: baseWidth + i }))),
    );
    headerRow.prov.push(lineProv(headerLine.no));
  }
  body.forEach((row, r) => {
    const line = block.lines[r + 1];
    const rowIndex = table.rows.indexOf(row);
    while (row.cells.length < baseWidth) row.cells.push(cell('', row.prov[0]));
    pad(block.values[r]).forEach((v, i) =>
      row.cells.push(cell(v, lineProv(line.no, undefined, { table: tableIndex, row: rowIndex, cell: baseWidth + i }))),
    );
    row.prov.push(lineProv(line.no));
  });
  table.prov.push(lineProv(block.lines[0].no, block.lines[block.lines.length - 1].no, { table: tableIndex }));
  table.method = 'text-columns';
}

function paragraphsFrom(run: Run): ModelParagraph[] {
  const out: ModelParagraph[] = [];
  for (const line of run) {
    const t = line.text.trim();
    const md = /^(#{1,6})\s+(.*)$/.exec(t);
    const bold = /^\*\*(.+)\*\*$/.exec(t);
    const startsItem = /^(\(?\d{1,3}[.)]|\(?[a-z][.)]|\([ivx]+\)|[•◦▪●■\-*]\s|(recommendation|rec\.?|r)\s*\d)/i.test(t);
    // "Response: …", "Status: …" lines are fields of the item above, not wrapped text.
    const field = /^[A-Za-z][A-Za-z ]{1,30}:\s/.test(t) && isHeaderText(t.slice(0, t.indexOf(':')));
    const prev = out[out.length - 1];
    const prevIsLabelOnly = prev !== undefined && parseWholeLabel(prev.orig) !== null;
    const prov = lineProv(line.no);
    if (md) out.push({ type: 'paragraph', orig: md[2], headingLevel: md[1].length, prov: [prov] });
    else if (bold) out.push({ type: 'paragraph', orig: t, headingLevel: 2, prov: [prov] });
    else if (out.length === 0 || startsItem || field || prevIsLabelOnly || prev.headingLevel) out.push({ type: 'paragraph', orig: line.text, prov: [prov] });
    else {
      // A wrapped line of the same paragraph.
      prev.orig += `\n${line.text}`;
      prev.prov[0] = lineProv(prev.prov[0].line!, line.no);
    }
  }
  return out;
}

export function readText(bytes: Uint8Array): Result<DocModel> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\ufeff/, '');
  } catch (err) {
    throw new RectraceError('text/corrupt', 'cannot decode the text as UTF-8', { cause: err });
  }
  const messages: Message[] = [];
  const blocks: ModelBlock[] = [];
  let tableCount = 0;
  let lastTable: ModelTable | null = null;
  let lastBlockWasTable = false;

  let tableLines = 0;
  for (const run of splitRuns(text)) {
    // Fail a million-row export before building its rows, not after (LIMITS.tableRows).
    if (run.length > 1 && (isMarkdownTable(run) || isTsvRun(run)) && (tableLines += run.length) > LIMITS.tableRows + 1000) {
      throw new RectraceError('input/too-large', `the text holds tables of more than ${LIMITS.tableRows} rows`);
    }
    if (isMarkdownTable(run)) {
      blocks.push((lastTable = markdownTable(run, tableCount++)));
      lastBlockWasTable = true;
      continue;
    }
    const block = lastBlockWasTable && lastTable ? columnBlock(run) : null;
    if (block && lastTable) {
      const expected = bodyRows(lastTable).length;
      const looksLikeRepeat = isTsvRun(run) && headerKey({ cells: block.header.map((h) => cell(h, lineProv(1))), prov: [] }) === headerKey(lastTable.rows[0]);
      if (looksLikeRepeat) {
        // Same header again: the table continued after a page break.
        const next = tsvTable(run, tableCount - 1, messages);
        const repeated = next.rows.filter((r) => r.header).length;
        for (const row of bodyRows(next)) {
          const rowIndex = lastTable.rows.length;
          for (const p of [...row.prov, ...row.cells.flatMap((c) => c.prov)]) p.row = rowIndex;
          lastTable.rows.push(row);
        }
        lastTable.prov.push(...next.prov);
        messages.push(info('text/tables-joined', `table continued after a repeated header row (${repeated} header row dropped)`, next.prov[0]));
        continue;
      }
      if (block.values.length === expected) {
        appendColumns(lastTable, block, tableCount - 1);
        messages.push(
          info(
            'text/columns-reassembled',
            `columns "${block.header.filter(Boolean).join('", "')}" were exported after the table; joined to its ${expected} rows by position`,
            lineProv(run[0].no, run[run.length - 1].no),
          ),
        );
        continue;
      }
      messages.push(
        warning(
          'text/columns-mismatch',
          `a block headed "${block.header.filter(Boolean).join('", "')}" has ${block.values.length} values but the table above has ${expected} rows; not joined`,
          lineProv(run[0].no, run[run.length - 1].no),
        ),
      );
    }
    if (isTsvRun(run)) {
      blocks.push((lastTable = tsvTable(run, tableCount++, messages)));
      lastBlockWasTable = true;
    } else {
      for (const p of paragraphsFrom(run)) blocks.push(p);
      lastBlockWasTable = false;
    }
  }
  if (!blocks.some((b) => (b.type === 'paragraph' ? b.orig.trim() : b.rows.length))) {
    throw new RectraceError('input/empty', 'the text file holds no text');
  }
  return ok({ format: 'text', meta: {}, blocks, messages }, []);
}
