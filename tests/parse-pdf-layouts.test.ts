// The PDF model on layouts of published reports (fixtures/pdf/real-layouts, made by
// scripts/fixtures/make-layout-pdfs.ts): furniture, page breaks, boxes, contents,
// headings, lists, tables without headers, lists inside cells, the printed title, header rows
// marked by a darker fill under a caption band, zebra striping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../src/parse/pdf/index.js';
import { loadPdf } from '../src/parse/pdf/load.js';
import { extractFile } from '../src/pipeline.js';
import { normaliseText } from '../src/normalise/text.js';
import { DocModel as DocModelSchema, type DocModel, type ModelParagraph, type ModelTable } from '../src/schema.js';

const dir = join(import.meta.dirname, '../fixtures/pdf/real-layouts');
const read = async (name: string): Promise<DocModel> => {
  const doc = (await readPdf(new Uint8Array(readFileSync(join(dir, name))))).value;
  DocModelSchema.parse(doc);
  return doc;
};
const paras = (d: DocModel): ModelParagraph[] => d.blocks.filter((b): b is ModelParagraph => b.type === 'paragraph');
const tables = (d: DocModel): ModelTable[] => d.blocks.filter((b): b is ModelTable => b.type === 'table');
const find = (d: DocModel, start: string): ModelParagraph => {
  const p = paras(d).find((x) => x.orig.startsWith(start));
  expect(p, start).toBeDefined();
  return p!;
};
const all = (d: DocModel): string => JSON.stringify(d.blocks);

describe('furniture', () => {
  it('drops browser headers and footers, running footers and page numbers, and keeps headings that open a page', async () => {
    const doc = await read('furniture.pdf');
    expect(all(doc)).not.toMatch(/GOV\.UK|https:|Version 2\.1/);
    expect(paras(doc).filter((p) => /^\d+$/.test(p.orig))).toEqual([]);
    const headings = paras(doc).filter((p) => p.headingLevel).map((p) => p.orig);
    expect(headings).toEqual(['Annual review of care services', 'Recommendation 3', 'Recommendation 4', 'Recommendation 5']);
    expect(find(doc, 'Recommendation 4').prov[0].page).toBe(2);
  });
});

describe('broken by a page', () => {
  it('joins a paragraph that goes on at the top of the next page, with both places in prov, and the hyphen closes up', async () => {
    const doc = await read('page-break.pdf');
    const p = find(doc, 'The panel will include');
    expect(p.orig).toBe('The panel will include members drawn from academic, voluntary and non-\ngovernmental bodies, and will meet twice a year.');
    expect(p.prov.map((x) => x.page)).toEqual([1, 2]);
    expect(normaliseText(p.orig)).toContain('non-governmental bodies');
    expect(doc.messages.map((m) => m.code)).toContain('pdf/paragraph-continued');
  });

  it('joins a table row broken by the page, and the running footer stays out of the cells', async () => {
    const doc = await read('page-break.pdf');
    const [t] = tables(doc);
    expect(tables(doc)).toHaveLength(1);
    expect(t.rows.map((r) => r.cells[0].orig)).toEqual(['No.', '1', '2', '3']);
    const cell = t.rows[2].cells[1];
    expect(cell.orig).toBe('Set up a standing panel of experts to\nreview the methods used by each\ndepartment and report on them\nevery year to the board.');
    expect(cell.prov.map((x) => x.page)).toEqual([2, 3]);
    expect(all(doc)).not.toContain('Version 6.1');
  });

  it('keeps a tagged row that runs onto the next page in its table, though only one cell goes on there', async () => {
    // The struct tree repeats the table on page 2 with text in one cell: a
    // continuation, not a one-column box.
    const doc = await read('row-over-page-tagged.pdf');
    expect(tables(doc)).toHaveLength(1);
    const [t] = tables(doc);
    const last = t.rows[t.rows.length - 1];
    expect(last.cells[0].orig).toBe('5');
    const cell = last.cells[1];
    expect(cell.prov.map((x) => x.page)).toEqual([1, 2]);
    for (let k = 50; k <= 63; k++) expect(cell.orig).toContain(`topic ${k} `);
    expect(paras(doc).some((p) => p.orig.includes('topic 6'))).toBe(false);
    expect(find(doc, 'Annex B follows').box).toBeUndefined();
  });
});

describe('boxes and shaded panels', () => {
  it('puts the paragraphs inside a bordered box or a shaded panel in that box, and a box broken by a page keeps one id', async () => {
    const doc = await read('boxes.pdf');
    expect(tables(doc)).toEqual([]);
    const b1 = find(doc, 'Recommendation 1').box;
    expect(b1).toMatch(/^b\d+$/);
    expect(find(doc, 'The department should publish').box).toBe(b1);
    expect(find(doc, 'The Government accepts this recommendation.').box).toBeUndefined();
    const b2 = find(doc, 'Boards should review').box;
    expect(b2).toBeDefined();
    expect(b2).not.toBe(b1);
    expect(find(doc, 'The Government accepts this recommendation in principle.').box).toBeUndefined();
    const b3 = find(doc, 'Every trust should').box;
    expect(new Set([b1, b2, b3]).size).toBe(3);
    // The box goes on at the top of page 2: the same id, and the sentence joins across the break.
    const cont = find(doc, 'Trusts should also publish');
    expect(cont.box).toBe(b3);
    expect(cont.prov.map((p) => p.page)).toEqual([1, 2]);
    expect(paras(doc).filter((p) => p.prov[0].page === 2).every((p) => p.box === undefined)).toBe(true);
  });
});

describe('contents pages', () => {
  it('marks entries with dot leaders as contents, without leaders or page numbers, and keeps number labels apart', async () => {
    const doc = await read('contents.pdf');
    const entries = paras(doc).filter((p) => p.contents);
    expect(entries.map((p) => [p.numberLabel, p.orig])).toEqual([
      [undefined, 'Foreword'],
      ['1.', 'A better approach to risk assessment'],
      ['2.', 'Recommendations'],
      [undefined, 'Annex A: Data sources'],
    ]);
    expect(all(doc)).not.toMatch(/\.{4}/);
    expect(find(doc, 'This report sets out').contents).toBeUndefined();
  });
});

describe('headings, lists and emphasis', () => {
  it('gives headings levels by size and weight, a numbered heading its label, and no heading to a run-in bold label', async () => {
    const doc = await read('structure.pdf');
    expect(doc.printedTitle).toBe('Review of ward safety');
    const title = find(doc, 'Review of ward safety');
    const chapter = find(doc, '3. THE HUMAN IMPACT');
    const sub = find(doc, 'Interventions and ethical acceptability');
    // A heading keeps its number in the text; only list items have their label set apart.
    expect(chapter.numberLabel).toBeUndefined();
    expect(title.headingLevel).toBeLessThan(chapter.headingLevel!);
    expect(chapter.headingLevel).toBeLessThan(sub.headingLevel!);
    expect(find(doc, 'Data quality.').headingLevel).toBeUndefined();
  });

  it('keeps list labels apart with their indent and nesting: tabbed numbers, 4 -> (a) -> (i), bullets in the text', async () => {
    const doc = await read('structure.pdf');
    const item = (start: string) => {
      const p = find(doc, start);
      return [p.numberLabel, p.listLevel, p.indent];
    };
    expect(item('There must be a fundamental shift')).toEqual(['1', 0, 0]);
    expect(item('Boards should see')).toEqual(['2', 0, 0]);
    expect(item('Providers should:')).toEqual(['4.', 0, 0]);
    expect(item('review the data')).toEqual(['(a)', 1, 28]);
    expect(item('about staffing')).toEqual(['(i)', 2, 56]);
    expect(item('about incidents')).toEqual(['(ii)', 2, 56]);
    expect(item('publish what they find')).toEqual(['(b)', 1, 28]);
    const bullet = find(doc, '•');
    expect(bullet.numberLabel).toBeUndefined();
    expect(bullet.listLevel).toBe(1);
  });

  it('reads tables without a header row, with an italic sub-heading between them in reading order', async () => {
    const doc = await read('structure.pdf');
    const ts = tables(doc);
    expect(ts).toHaveLength(2);
    expect(ts.every((t) => t.rows.every((r) => !r.header))).toBe(true);
    expect(ts.map((t) => t.rows.map((r) => r.cells[0].orig))).toEqual([
      ['1.', '2.'],
      ['3.', '4.'],
    ]);
    const at = (b: unknown): number => doc.blocks.indexOf(b as never);
    const italic = find(doc, 'Bulk telephone records programme');
    expect(italic.emphasis).toBe('italic');
    expect(at(ts[0])).toBeLessThan(at(italic));
    expect(at(italic)).toBeLessThan(at(ts[1]));
  });
});

describe('paragraphs inside table cells', () => {
  it('starts each numbered item of a cell on its own paragraph', async () => {
    const doc = await read('cell-list.pdf');
    const [t] = tables(doc);
    const cell = t.rows.flatMap((r) => r.cells).find((c) => c.orig.startsWith("CORONER'S CONCERNS"))!;
    expect(cell.orig.split('\n\n')).toEqual([
      "CORONER'S CONCERNS\nThe MATTERS OF CONCERN are as follows:",
      '1. There was no plan for the care of patients waiting more\nthan twelve hours in the department.',
      '(2) Staff were not trained to use the new monitoring system.',
      '3) Records of observations were incomplete.',
    ]);
  });
});

describe('header rows marked by a darker fill', () => {
  it('records the luminance of filled rectangles', async () => {
    const raw = await loadPdf(new Uint8Array(readFileSync(join(dir, 'header-fill.pdf'))));
    const lums = [...new Set(raw.pages[0].fills.map((f) => Math.round(f.lum! * 100) / 100))].sort();
    // The caption band (0.25 grey) and the header row (0.78 grey); white is no fill.
    expect(lums).toEqual([0.25, 0.78]);
  });

  it('takes a top row filled darker than the body as the header, and a filled band above it as the caption paragraph', async () => {
    const doc = await read('header-fill.pdf');
    const ts = tables(doc);
    expect(ts.map((t) => t.method)).toEqual(['pdf-borderless', 'pdf-ruled']);
    for (const t of ts) {
      expect(t.rows.map((r) => !!r.header)).toEqual(t.rows.map((_, i) => i === 0));
      expect(t.rows[0].cells.map((c) => c.orig)).toEqual(['No.', 'What the review recommended', 'Where we are now']);
      expect(all({ ...doc, blocks: [t] })).not.toContain('Table ');
    }
    // Each caption is a paragraph of its own, right above its table, not in a box.
    for (const [k, caption] of ['Table 2: Progress against recommendations', 'Table 3: Progress against recommendations to the council'].entries()) {
      const p = find(doc, caption);
      expect(p.orig).toBe(caption);
      expect(p.box).toBeUndefined();
      expect(doc.blocks[doc.blocks.indexOf(p) + 1]).toBe(ts[k]);
    }
  });

  it('names the columns from that header row', async () => {
    const out = await extractFile(join(dir, 'header-fill.pdf'));
    const recTables = out.tables.filter((t) => t.holdsRecommendations);
    expect(recTables).toHaveLength(2);
    for (const t of recTables) expect(t.columns.map((c) => [c.header, c.role])).toEqual([['No.', 'number'], ['What the review recommended', 'recommendation'], ['Where we are now', 'status']]);
    expect(out.recommendations.map((r) => r.number)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('does not take the first of zebra-striped body rows for a header', async () => {
    const raw = await loadPdf(new Uint8Array(readFileSync(join(dir, 'zebra.pdf'))));
    // The stripes are there (light grey on rows 1, 3 and 5), so the decision rests on comparing fills.
    expect(raw.pages[0].fills.map((f) => Math.round(f.lum! * 100) / 100)).toEqual([0.92, 0.92, 0.92]);
    const doc = await read('zebra.pdf');
    const [t] = tables(doc);
    expect(tables(doc)).toHaveLength(1);
    expect(t.rows.some((r) => r.header)).toBe(false);
    expect(t.rows.map((r) => r.cells[0].orig)).toEqual(['1.', '2.', '3.', '4.', '5.']);
    expect(paras(doc).every((p) => p.box === undefined)).toBe(true);
  });
});

describe('footnotes', () => {
  it('marks smaller text at the foot of a page as footnotes, and keeps them out of a reply that runs onto the next page', async () => {
    const doc = await read('footnotes.pdf');
    expect(paras(doc).filter((p) => p.footnote).map((p) => p.orig)).toEqual([
      '1 Exercising Best Practice Guidance, www.example.gov.uk/exercising',
      '2 A local resilience forum is the partnership of emergency responders in an area.',
    ]);
    // Body text, boxed quotes and headings are never footnotes.
    expect(find(doc, 'Forums will be asked').footnote).toBeUndefined();
    expect(find(doc, 'The department should publish').footnote).toBeUndefined();
    const out = await extractFile(join(dir, 'footnotes.pdf'));
    expect(out.recommendations.map((r) => r.number)).toEqual(['1', '2']);
    const reply = out.recommendations[0].columns.response ?? '';
    expect(reply).toMatch(/Forums will be asked[^]*The first reports are due in the spring\.$/);
    expect(reply).not.toMatch(/Exercising Best Practice|resilience forum is the partnership/);
  });
});

describe('a labelled reply set like a heading', () => {
  it('reads a bold "Response: <verdict>" line as the start of the reply, its verdict the status', async () => {
    const doc = await read('reply-field.pdf');
    // The parser sees a heading (short, bold, larger); detection knows it for a labelled field.
    expect(find(doc, 'Response: Accept in principle').headingLevel).toBeDefined();
    const out = await extractFile(join(dir, 'reply-field.pdf'));
    expect(out.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
    expect(out.recommendations.map((r) => r.status?.value)).toEqual(['accepted', 'partly-accepted', 'rejected']);
    expect(out.recommendations[2].columns.response).toBe('Reject\n\nExisting arrangements provide enough oversight.');
  });
});

describe('two columns of prose', () => {
  it('reads each column top to bottom, the left one first, between the title above and the footer below', async () => {
    const doc = await read('two-columns.pdf');
    const order = paras(doc).map((p) => p.orig.split('\n')[0]);
    expect(order).toEqual([
      'Review of youth services for young people',
      'The review heard from over two hundred young people',
      'Many told us that services were hard to find and that',
      'Recommendations',
      'Recommendation 1: The council should publish a single',
      'Recommendation 2: The integrated care board should',
      'Recommendation 3: Schools and the council should',
      'Next steps',
      'The review group will meet again in the autumn to',
      'Youth services review - page 1',
    ]);
    const out = await extractFile(join(dir, 'two-columns.pdf'));
    expect(out.recommendations.map((r) => r.text)).toEqual([
      'The council should publish a single directory of youth services, updated every quarter, so that families can find support quickly.',
      'The integrated care board should fund a drop-in mental health service in each town, open in the evenings and at weekends.',
      'Schools and the council should agree a joint protocol for referrals, with named leads in every school across the region.',
    ]);
  });

});
