import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RectraceError } from '../src/errors.js';
import { placeCells } from '../src/parse/pdf/grid.js';
import { toParagraphs } from '../src/parse/pdf/layout.js';
import type { Line, Word } from '../src/parse/pdf/types.js';
import { readPdf } from '../src/parse/pdf/index.js';
import { correctOcrWord } from '../src/normalise/ocr-words.js';
import type { DocModel, ModelBlock, ModelTable, Prov } from '../src/schema.js';
import { DocModel as DocModelSchema } from '../src/schema.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const read = async (rel: string): Promise<DocModel> => (await readPdf(new Uint8Array(readFileSync(join(fixtures, rel))))).value;
const tables = (d: DocModel): ModelTable[] => d.blocks.filter((b): b is ModelTable => b.type === 'table');
const paragraphs = (d: DocModel): Extract<ModelBlock, { type: 'paragraph' }>[] =>
  d.blocks.filter((b): b is Extract<ModelBlock, { type: 'paragraph' }> => b.type === 'paragraph');

/** Rows as arrays indexed by grid column (cells covered by a row span are absent). */
function grid(t: ModelTable): { header: boolean; cells: string[]; provs: Prov[][]; rowProv: Prov[] }[] {
  const placed = placeCells(t.rows);
  return t.rows.map((r, i) => {
    const cells: string[] = [];
    const provs: Prov[][] = [];
    r.cells.forEach((c, k) => {
      cells[placed[i][k].col] = c.orig;
      provs[placed[i][k].col] = c.prov;
    });
    return { header: !!r.header, cells, provs, rowProv: r.prov };
  });
}

// The light normalisation the gold files assume (the real one is normalise/'s job).
const norm = (s: string): string =>
  s.normalize('NFKC').replace(/[‐‑‒–—]/g, '-').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
const joined = (s: string): string[] => [norm(s.replace(/-\n/g, '-').replace(/\n/g, ' ')), norm(s.replace(/-\n/g, '').replace(/\n/g, ' '))];

const gold = JSON.parse(readFileSync(join(fixtures, 'gold/index.json'), 'utf8')) as Record<string, { gold: string; method: string | null }>;
const pdfGold = Object.entries(gold).filter(([p, g]) => p.startsWith('pdf/') && g.method);

describe('readPdf on the seed fixtures (gold)', () => {
  it('covers every PDF fixture that has a table in the gold index', () => {
    expect(pdfGold.map(([p]) => p)).toEqual(expect.arrayContaining(['pdf/seed-2022-tagged.pdf', 'pdf/seed-2022-ruled.pdf', 'pdf/seed-2022-borderless.pdf', 'pdf/seed-2022-rects.pdf']));
  });

  for (const [path, spec] of pdfGold) {
    it(`${path}: one ${spec.method} table whose numbered rows match ${spec.gold}`, async () => {
      const doc = await read(path);
      expect(DocModelSchema.safeParse(doc).success).toBe(true);
      const ts = tables(doc);
      expect(ts).toHaveLength(1);
      expect(ts[0].method).toBe(spec.method);
      const expected = JSON.parse(readFileSync(join(fixtures, 'gold', spec.gold), 'utf8')) as {
        recommendations: { number: string; text: string; columns: Record<string, string> }[];
      };
      const rows = grid(ts[0]).filter((r) => /^R?\d+[a-z]?\.?$/.test((r.cells[0] ?? '').trim()));
      expect(rows).toHaveLength(expected.recommendations.length);
      // Cells covered by a row span above take the spanning cell's text.
      const width = Math.max(...rows.map((r) => r.cells.length));
      const filled = rows.map((r, i) =>
        Array.from({ length: width }, (_, k) => r.cells[k] ?? rows.slice(0, i).reverse().find((p) => p.cells[k] !== undefined)?.cells[k] ?? ''),
      );
      expected.recommendations.forEach((rec, i) => {
        expect(filled[i][0].trim().replace(/^R/, '').replace(/\.$/, '')).toBe(rec.number);
        expect(joined(filled[i][1])).toContain(norm(rec.text));
        for (const value of Object.values(rec.columns)) {
          if (value) expect(filled[i].slice(2).some((c) => joined(c).includes(norm(value)))).toBe(true);
        }
      });
    });
  }
});

describe('readPdf structure and provenance', () => {
  it('stitches a table across pages: one header kept, a split row joined with both locations', async () => {
    const doc = await read('pdf/seed-2022-ruled.pdf');
    const [t] = tables(doc);
    const pages = new Set(t.prov.map((p) => p.page));
    expect(pages.size).toBeGreaterThanOrEqual(3);
    expect(t.rows.filter((r) => r.header)).toHaveLength(1);
    expect(grid(t).filter((r) => /^Recommendation$/.test((r.cells[1] ?? '').trim()))).toHaveLength(1);
    const split = t.rows.filter((r) => new Set(r.prov.map((p) => p.page)).size === 2);
    expect(split.length).toBeGreaterThanOrEqual(1);
    expect(split[0].cells.some((c) => c.prov.length === 2)).toBe(true);
    expect(doc.messages.map((m) => m.code)).toEqual(expect.arrayContaining(['pdf/row-continued', 'pdf/table-stitched']));
  });

  it('gives every cell, row, table and paragraph a PDF location with a rounded bottom-left box', async () => {
    const doc = await read('pdf/seed-2023-tagged.pdf');
    const provs: Prov[] = [];
    for (const b of doc.blocks) {
      provs.push(...b.prov);
      if (b.type === 'table') for (const r of b.rows) provs.push(...r.prov, ...r.cells.flatMap((c) => c.prov));
    }
    expect(provs.length).toBeGreaterThan(50);
    for (const p of provs) {
      expect(p.kind).toBe('pdf');
      expect(p.page).toBeGreaterThanOrEqual(1);
      const [x0, y0, x1, y1] = p.bbox!;
      expect(x0).toBeLessThanOrEqual(x1);
      expect(y0).toBeLessThanOrEqual(y1);
      for (const v of p.bbox!) expect(Math.round(v * 100) / 100).toBe(v);
    }
  });

  it('reads merged header cells, section rows spanning the table and row-spanning cells', async () => {
    const [t] = tables(await read('pdf/merged-header.pdf'));
    expect(t.rows[0].header).toBe(true);
    expect(t.rows[0].cells[0]).toMatchObject({ colSpan: 2 });
    const sections = t.rows.filter((r) => r.cells.length === 1 && r.cells[0].colSpan === 5);
    expect(sections.map((r) => r.cells[0].orig)).toEqual(expect.arrayContaining([expect.stringMatching(/^Theme 1/)]));
    expect(t.rows.flatMap((r) => r.cells).some((c) => c.rowSpan === 2 && /Director Children/.test(c.orig))).toBe(true);
  });

  it('keeps running headers, footers and page numbers out of tables and paragraphs', async () => {
    const doc = await read('pdf/running-header.pdf');
    const texts = [...paragraphs(doc).map((p) => p.orig), ...tables(doc).flatMap((t) => t.rows.flatMap((r) => r.cells.map((c) => c.orig)))];
    expect(texts.some((s) => /Progress Report\b/.test(s) && /Birmingham SEND Improvement/.test(s))).toBe(false);
    expect(texts.some((s) => /^Page \d+ of \d+$/.test(s.trim()))).toBe(false);
    expect(tables(doc)).toHaveLength(1);
  });
});

describe('readPdf on recommendations set as headed paragraphs', () => {
  it('marks each "Recommendation N" line as a heading and keeps its text as the next paragraph', async () => {
    const doc = await read('pdf/seed-2022-headed.pdf');
    expect(tables(doc)).toHaveLength(0);
    const ps = paragraphs(doc);
    const heads = ps.filter((p) => /^Recommendation \d+$/.test(p.orig));
    expect(heads).toHaveLength(19);
    expect(heads.every((p) => p.headingLevel !== undefined)).toBe(true);
    const first = ps[ps.indexOf(heads[0]) + 1];
    expect(first.orig.startsWith('There should be no structural reform')).toBe(true);
    expect(first.headingLevel).toBeUndefined();
  });
});

describe('readPdf on generated layout cases', () => {
  it('reads meta, headings, paragraphs, a borderless table and drops furniture and footnote markers', async () => {
    const doc = await read('pdf/cases/layout.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(2);
    expect(doc.meta).toEqual({ title: 'Annual SEND report', date: '2024-03-15' });
    const ps = paragraphs(doc);
    expect(ps.find((p) => p.orig === 'Findings and actions')?.headingLevel).toBe(1);
    expect(ps.find((p) => p.orig === 'Next steps')?.headingLevel).toBeDefined();
    expect(ps.find((p) => p.orig.startsWith('The board met'))?.orig).toBe(
      'The board met four times in the year and agreed the plan.\nProgress was reviewed at every meeting of the board.',
    );
    expect(ps.find((p) => p.orig.startsWith('The board met'))?.headingLevel).toBeUndefined();
    expect(ps.map((p) => p.orig)).toContain('Waiting times fell for families across the city.');
    // The superscript marker is kept apart from the text, not lost.
    expect(ps.find((p) => p.orig.startsWith('Waiting times'))?.notes).toEqual(['1']);
    // A marker between a word and a comma leaves no space behind.
    const lessons = ps.find((p) => p.orig.startsWith('Lessons are shared'));
    expect(lessons?.orig).toBe('Lessons are shared on one platform, which every team uses.');
    expect(lessons?.notes).toEqual(['2']);
    const all = JSON.stringify(doc.blocks);
    expect(all).not.toContain('Annual SEND report 2024');
    expect(all).not.toMatch(/Page [12]/);
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    expect(ts[0].method).toBe('pdf-borderless');
    expect(grid(ts[0]).map((r) => r.cells)).toEqual([
      ['Measure', '2023', '2024'],
      ['Assessments completed', '410', '455'],
      ['Plans issued within 20\nweeks', '41%', '63%'],
      ['Appeals lodged', '37', '29'],
    ]);
    // Blocks come in reading order.
    const order = doc.blocks.map((b) => (b.type === 'table' ? 'T' : b.orig.split(' ')[0] + ' ' + b.orig.split(' ')[1]));
    expect(order.indexOf('T')).toBeGreaterThan(order.indexOf('Waiting times'));
    expect(order.indexOf('T')).toBeLessThan(order.indexOf('The figures'));
  });

  it('reads a borderless table whose short cells are centred against two-line text as whole rows, with its bold header line', async () => {
    const doc = await read('pdf/no-header-rag-borderless.pdf');
    const ts = tables(doc);
    expect(ts).toHaveLength(2);
    expect(ts.every((t) => t.method === 'pdf-borderless')).toBe(true);
    const stats = grid(ts[0]);
    expect(stats[0]).toMatchObject({ header: true, cells: ['Year', 'Pupils with EHC plans', 'New assessments'] });
    expect(stats.slice(1).map((r) => r.cells[0])).toEqual(['2021', '2022', '2023']);
    expect(paragraphs(doc).map((p) => p.orig)).not.toContain('Year Pupils with EHC plans New assessments');
    expect(grid(ts[1]).map((r) => r.cells)).toEqual([
      ['1', 'The local area should improve the timeliness of education, health and\ncare needs assessments so that most are completed within 20 weeks.', 'Director of SEND', 'Amber'],
      ['2', 'Leaders should make sure that the local offer is accurate, easy to navigate\nand kept up to date with families.', 'Head of\nCommissioning', 'Green'],
      ['3', 'The partnership should agree a joint commissioning strategy for speech\nand language therapy across health and education.', 'ICB Director of\nNursing', 'Red'],
      ['4', 'School leaders should reduce the use of part-time timetables for children\nwith SEND.', 'Head of Inclusion', 'Blue'],
    ]);
    // No half-records left over as paragraphs.
    expect(paragraphs(doc).some((p) => /Director of SEND|with SEND\.$/.test(p.orig))).toBe(false);
  });

  it('keeps a borderless table split by full-width section rows as one table, header and odd-line bands included', async () => {
    const doc = await read('pdf/sections-decimal-borderless.pdf');
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    const t = ts[0];
    expect(t.method).toBe('pdf-borderless');
    expect(t.rows.map((r) => r.cells.map((c) => [c.orig, c.colSpan]))).toEqual([
      [['No.', 1], ['Recommendation', 1], ['Owner', 1], ['Status', 1]],
      [['Leadership and governance', 4]],
      [['1.1', 1], ['Leaders should improve the oversight of children missing\neducation.', 1], ['DCS', 1], ['Complete', 1]],
      [['1.2', 1], ['The board should receive quarterly performance reports.', 1], ['Chair', 1], ['In progress', 1]],
      [['Practice', 4]],
      [['2.1', 1], ['Social workers should update plans after every review.', 1], ['Principal Social\nWorker', 1], ['Not started', 1]],
    ]);
    expect(t.rows[0].header).toBe(true);
    expect(t.rows.slice(1).some((r) => r.header)).toBe(false);
    expect(paragraphs(doc)).toHaveLength(0);
  });

  it('starts a paragraph at each numbered list item that the line above does not wrap into', async () => {
    const doc = await read('pdf/ombudsman-list.pdf');
    // The label is kept apart from the text (numberLabel), at one list level.
    const ps = paragraphs(doc).map((p) => (p.numberLabel ? `${p.numberLabel} ${p.orig}` : p.orig));
    const at = ps.indexOf('The Council should:');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(paragraphs(doc).slice(at + 1).map((p) => [p.numberLabel, p.listLevel])).toEqual([['1.', 0], ['2.', 0], ['3.', 0]]);
    expect(ps.slice(at + 1)).toEqual([
      '1. apologise to Mrs X for the distress caused;',
      '2. pay Mrs X £500 to acknowledge the injustice;',
      '3. review its transport policy within three months.',
    ]);
  });

  it('keeps a line starting with a number in its paragraph when the line above wraps into it', () => {
    const word = (text: string, x0: number, base: number): Word => ({ text, x0, x1: x0 + 5 * text.length, y0: base - 2, y1: base + 8, base, size: 10, bold: false });
    const line = (text: string, base: number): Line => {
      let x = 50;
      const words = text.split(' ').map((t) => {
        const w = word(t, x, base);
        x = w.x1 + 3;
        return w;
      });
      return { words, x0: 50, x1: words[words.length - 1].x1, y0: base - 2, y1: base + 8, base, size: 10, bold: false };
    };
    const wrapped = toParagraphs([line('The panel agreed the changes set out in the action plan at', 700), line('3.2 of the plan and the board noted them before the', 688), line('meeting in May.', 676)], 1);
    expect(wrapped).toHaveLength(1);
    const items = toParagraphs([line('The panel agreed the changes set out in the action plan', 700), line('for the year ahead.', 688), line('2. The board noted them.', 676), line('(b) Leaders should act.', 664)], 1);
    expect(items.map((p) => p.lines.length)).toEqual([2, 1, 1]);
  });

  it("puts right a scan's OCR text layer misread by a glyph confusion, saying so, and leaves visible text as printed", async () => {
    const res = await readPdf(new Uint8Array(readFileSync(join(fixtures, 'pdf/cases/ocr-layer.pdf'))));
    const onPage = (n: number) => paragraphs(res.value).filter((p) => p.prov[0]?.page === n).map((p) => p.orig).join(' ');
    expect(onPage(1)).toContain('The services to the flats');
    expect(onPage(1)).toContain('no overview of the water');
    expect(onPage(2)).toContain('The seivices to the flats');
    expect(onPage(2)).toContain('no oveiview of the water');
    const said = res.messages.filter((m) => m.code === 'pdf/ocr-corrected');
    expect(said).toHaveLength(1);
    expect(said[0].reason).toContain('"seivices" as "services"');
    expect(said[0].loc).toEqual({ kind: 'pdf', page: 1 });
  });

  it('corrects a word only when exactly one English word is one glyph confusion away', () => {
    const known = (w: string) => ['services', 'overview', 'management', 'decision', 'that', 'flats', 'lead', 'read'].includes(w);
    expect(correctOcrWord('seivices,', known)).toBe('services,');
    expect(correctOcrWord('rnanagement', known)).toBe('management');
    expect(correctOcrWord('clecision', known)).toBe('decision');
    expect(correctOcrWord('tliat', known)).toBe('that');
    // known words, names, short words and numbers stay as read
    expect(correctOcrWord('services', known)).toBe('services');
    expect(correctOcrWord('Seivices', known)).toBe('Seivices');
    expect(correctOcrWord('tiat', known)).toBe('tiat');
    expect(correctOcrWord('2015', known)).toBe('2015');
    expect(correctOcrWord('xyzzy', known)).toBe('xyzzy');
    // a part of a word broken at a line end is not a word
    expect(correctOcrWord('seivices-', known)).toBe('seivices-');
    expect(correctOcrWord('-tliat', known)).toBe('-tliat');
    expect(correctOcrWord('fiats', known)).toBe('flats');
    // "iead" is "read" (i for r) or "lead" (i for l): two candidates, left as read
    expect(correctOcrWord('iead', known)).toBe('iead');
  });

  it('respects maxPages', async () => {
    const doc = (await readPdf(new Uint8Array(readFileSync(join(fixtures, 'pdf/cases/layout.pdf'))), { maxPages: 1 })).value;
    expect(JSON.stringify(doc.blocks)).not.toContain('Next steps');
  });
});

describe('readPdf errors', () => {
  const code = async (rel: string): Promise<string> => {
    try {
      await readPdf(new Uint8Array(readFileSync(join(fixtures, rel))));
      return 'no error';
    } catch (err) {
      expect(err).toBeInstanceOf(RectraceError);
      return (err as RectraceError).code;
    }
  };
  it('pdf/encrypted for a PDF that needs a password', async () => expect(await code('bad/encrypted-aes256.pdf')).toBe('pdf/encrypted'));
  it('pdf/no-text-layer for a PDF without text', async () => expect(await code('bad/vector-only.pdf')).toBe('pdf/no-text-layer'));
  it('pdf/corrupt for bytes that are not a PDF', async () => expect(await code('bad/broken-xref.pdf')).toBe('pdf/corrupt'));
  it('does not consume the caller’s bytes', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'pdf/cases/layout.pdf')));
    await readPdf(bytes);
    expect(bytes.byteLength).toBeGreaterThan(1000);
  });
});
