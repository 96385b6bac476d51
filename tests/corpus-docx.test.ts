// Every .docx of the shared corpus (real files from public test suites) goes
// through readDocx: none may crash or hang, each gives a DocModel or a coded
// RectraceError. Structure is checked against the element counts in
// structure-summary.json and the peer expectations that apply to a reader.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { haveShared, SHARED } from './helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { readDocx } from '../src/parse/docx/index.js';
import { RectraceError } from '../src/errors.js';
import { DocModel, type ModelTable } from '../src/schema.js';

const CORPUS = join(SHARED, 'corpus/docx');
const have = haveShared('corpus/docx', 'the docx corpus tests');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.docx') ? [p] : [];
  });
}

interface TblSummary {
  nesting_depth: number;
  rows: number;
  tc_elements: number;
  cells_with_vMerge: number;
  vMerge_restart: number;
  tblHeader_rows: number[];
}

const files = have ? walk(CORPUS).sort() : [];
const summary: Record<string, Record<string, TblSummary[]>> = have
  ? JSON.parse(readFileSync(join(CORPUS, 'structure-summary.json'), 'utf8')).files
  : {};

async function load(rel: string): Promise<DocModel> {
  return (await readDocx(new Uint8Array(readFileSync(join(CORPUS, rel))))).value;
}

/** Rows of each source table (before joining), keyed by its index in the document. */
function sourceTables(m: DocModel) {
  const out = new Map<number, { maxRow: number; firstRow: number; cells: number; headerRows: number[] }>();
  for (const t of m.blocks.filter((b): b is ModelTable => b.type === 'table')) {
    for (const r of t.rows) {
      const p = r.prov[0];
      const s = out.get(p.table!) ?? { maxRow: -1, firstRow: p.row!, cells: 0, headerRows: [] };
      s.maxRow = Math.max(s.maxRow, p.row!);
      s.firstRow = Math.min(s.firstRow, p.row!);
      s.cells += r.cells.length;
      if (r.header) s.headerRows.push(p.row!);
      out.set(p.table!, s);
    }
  }
  return out;
}

/** The grid with a merged cell repeated at every position it covers (python-docx's view). */
function grid(t: ModelTable, tableIndex: number): string[][] {
  const rows = t.rows.filter((r) => r.prov[0].table === tableIndex);
  const g: string[][] = rows.map(() => []);
  rows.forEach((r, ri) => {
    let col = 0;
    for (const c of r.cells) {
      while (g[ri][col] !== undefined) col++;
      for (let dr = 0; dr < c.rowSpan; dr++) for (let dc = 0; dc < c.colSpan; dc++) if (g[ri + dr]) g[ri + dr][col + dc] = c.orig;
      col += c.colSpan;
    }
  });
  return g;
}

describe.skipIf(!have)('docx corpus', () => {
  it('has files to read', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const rel = relative(CORPUS, file);
    it(`reads ${rel} without crashing or hanging`, { timeout: 60_000 }, async () => {
      let model: DocModel | undefined;
      try {
        model = await load(rel);
      } catch (err) {
        expect(err).toBeInstanceOf(RectraceError);
        expect((err as RectraceError).code).toMatch(/^docx\//);
        return;
      }
      expect(DocModel.safeParse(model).success).toBe(true);
      const expected = summary[rel]?.['word/document.xml']?.filter((t) => t.nesting_depth === 0);
      if (!expected) return;
      // one provenance entry per source table, joined or not
      const tableProvs = model.blocks.flatMap((b) => (b.type === 'table' ? b.prov : []));
      expect(tableProvs.length).toBe(expected.length);
      const src = sourceTables(model);
      expected.forEach((t, i) => {
        const s = src.get(i);
        if (!s) {
          expect(t.rows).toBe(0);
          return;
        }
        expect(s.maxRow + 1).toBe(t.rows);
        if (s.firstRow === 0) {
          // mammoth drops vMerge continuation cells; everything else is one cell per w:tc
          expect(s.cells).toBe(t.tc_elements - (t.cells_with_vMerge - t.vMerge_restart));
          expect(s.headerRows).toEqual(t.tblHeader_rows);
        }
      });
    });
  }

  it('matches python-docx cell access grids (merged cells at every position)', async () => {
    const expected = JSON.parse(readFileSync(join(CORPUS, 'python-docx/tbl-cell-access.expected.json'), 'utf8'));
    const m = await load('python-docx/tbl-cell-access.docx');
    const tables = m.blocks.filter((b): b is ModelTable => b.type === 'table');
    expect(tables).toHaveLength(4); // unmarked, equal first rows with text between: not one table
    for (const t of expected.tables as { index: number; grid_row_major: string[][] }[]) {
      expect(grid(tables[t.index], t.index)).toEqual(t.grid_row_major);
    }
  });

  it('keeps python-docx block order: a nested table is flattened in reading order', async () => {
    const m = await load('python-docx/blk-paras-and-tables.docx');
    expect(m.blocks.map((b) => b.type)).toEqual(['table', 'paragraph', 'table', 'paragraph', 'table']);
    const t = m.blocks[2] as ModelTable;
    expect(t.rows[0].cells[0].orig).toBe('Text before\n\nTable\nBetween\n\nText after');
  });

  it('matches mammoth.js on its table test document', async () => {
    const m = await load('mammoth.js/tables.docx');
    expect(m.blocks.map((b) => (b.type === 'paragraph' ? b.orig : b.rows.map((r) => r.cells.map((c) => c.orig))))).toEqual([
      'Above',
      [
        ['Top left', 'Top right'],
        ['Bottom left', 'Bottom right'],
      ],
      'Below',
    ]);
  });

  it('marks Apache POI repeat-header rows', async () => {
    const m = await load('apache-poi/Bug60337.docx');
    const t = m.blocks.find((b): b is ModelTable => b.type === 'table')!;
    expect(t.rows.map((r) => r.header ?? false)).toEqual([true, false, false]);
  });
});
