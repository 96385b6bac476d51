import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHtml, decodeHtml } from '../src/parse/html/index.js';
import { DocModel, type ModelParagraph, type ModelTable } from '../src/schema.js';

const root = join(import.meta.dirname, '..');
const load = async (p: string) => (await readHtml(new Uint8Array(readFileSync(join(root, p))))).value;
const fromString = async (html: string) => (await readHtml(new TextEncoder().encode(html))).value;
const paragraphs = (m: DocModel) => m.blocks.filter((b): b is ModelParagraph => b.type === 'paragraph');
const tables = (m: DocModel) => m.blocks.filter((b): b is ModelTable => b.type === 'table');

describe('readHtml', () => {
  it('reads headings, paragraphs, title and date, and never script/style/template text', async () => {
    const m = await load('fixtures/html/cases/structure.html');
    expect(DocModel.safeParse(m).success).toBe(true);
    expect(m.format).toBe('html');
    expect(m.meta).toEqual({ title: 'Structure cases', date: '2023-07-27' });
    const ps = paragraphs(m);
    expect(ps[0]).toMatchObject({ orig: 'Progress report', headingLevel: 1 });
    expect(ps[1].orig).toBe('Intro with a footnote and a\nline break.');
    expect(ps.find((p) => p.orig === 'Recommendations')?.headingLevel).toBe(2);
    const all = JSON.stringify(m);
    for (const hidden of ['Injected', 'color: red', 'Template text', 'Enable JS', '<td>', '<b>']) expect(all).not.toContain(hidden);
  });

  it('reads table header rows, colspan, rowspan and cell blocks', async () => {
    const m = await load('fixtures/html/cases/structure.html');
    const [t, small] = tables(m);
    expect(t.method).toBe('html');
    expect(t.rows.map((r) => r.header ?? false)).toEqual([true, false, false, false, false]);
    expect(t.rows[0].cells.map((c) => [c.orig, c.colSpan])).toEqual([
      ['No.', 1],
      ['Recommendation and owner', 2],
      ['Status', 1],
    ]);
    expect(t.rows[1].cells[0]).toMatchObject({ orig: '1', rowSpan: 2 });
    expect(t.rows[1].cells[1].orig).toBe('First bold text');
    expect(t.rows[2].cells.map((c) => c.orig)).toEqual(['Second para one\n\nSecond para two', 'Owner B', 'Open']);
    expect(t.rows[3].cells[1].orig).toBe('alpha\n\nbeta');
    // an ol item opening a cell gives the cell its number; later ones keep theirs in the text
    expect(t.rows[3].cells[2]).toMatchObject({ orig: 'three\n\n4. four', numberLabel: '3.' });
    expect(t.rows[3].cells[3].orig).toBe('Open');
    expect(t.rows[4].cells[0]).toMatchObject({ orig: 'lettered', numberLabel: 'a.' });
    expect(t.rows[4].cells[1].orig).toBe('Nested:\n\nn1\tn2\nn3\tn4');
    expect(t.rows[4].cells[3].orig).toBe('Done');
    // the nested table is not a block of its own; the caption is a paragraph before the table
    expect(tables(m)).toHaveLength(2);
    expect(small.rows[0].header).toBe(true);
    const capIndex = m.blocks.findIndex((b) => b.type === 'paragraph' && b.orig === 'Table 1: Progress');
    expect(m.blocks[capIndex + 1]).toBe(t);
  });

  it('gives element paths, lines and headings as provenance', async () => {
    const m = await load('fixtures/html/cases/structure.html');
    const [t] = tables(m);
    expect(t.prov[0]).toMatchObject({ kind: 'html', path: 'html/body/main/table[1]', line: 15, table: 0, headings: ['Progress report', 'Recommendations'] });
    expect(t.rows[2].prov[0]).toMatchObject({ path: 'html/body/main/table[1]/tbody/tr[2]', line: 22, row: 2 });
    expect(t.rows[2].cells[1].prov[0]).toMatchObject({ path: 'html/body/main/table[1]/tbody/tr[2]/td[2]', line: 22, row: 2, cell: 1 });
    const h1 = paragraphs(m)[0];
    expect(h1.prov[0]).toMatchObject({ path: 'html/body/main/h1', line: 12, headings: [] });
  });

  it('numbers ordered lists as a browser does and marks list levels', async () => {
    const m = await load('fixtures/html/cases/structure.html');
    const ps = paragraphs(m);
    expect(ps.find((p) => p.orig === 'Note one')).toMatchObject({ numberLabel: '1.', listLevel: 0 });
    expect(ps.find((p) => p.orig === 'Note seven')).toMatchObject({ numberLabel: '7.', listLevel: 0 });
    const inner = ps.find((p) => p.orig === 'inner bullet');
    expect(inner?.listLevel).toBe(1);
    expect(inner?.numberLabel).toBeUndefined();
    expect(inner?.prov[0].headings).toEqual(['Progress report', 'Recommendations', 'Notes']);
  });

  it('keeps pre text, repairs broken markup and survives deep nesting', async () => {
    const pre = await fromString('<pre>\n  a  b\n  c</pre>');
    expect(paragraphs(pre)[0].orig).toBe('  a  b\n  c');
    const broken = await fromString('<table><tr><td>x<td>y</table><p>after');
    expect(tables(broken)[0].rows[0].cells.map((c) => c.orig)).toEqual(['x', 'y']);
    expect(paragraphs(broken)[0].orig).toBe('after');
    const deep = await fromString('<div>'.repeat(5000) + 'deep text' + '</div>'.repeat(5000));
    expect(deep.messages.map((x) => x.code)).toContain('html/too-deep');
    const empty = await fromString('');
    expect(empty.blocks).toEqual([]);
  });

  it('reads a page-layout table as content, so the data table inside stays a table', async () => {
    const m = await fromString(
      '<table><tr><td><h2>Recs</h2><table><tr><th>No.</th><th>Text</th></tr><tr><td>1</td><td>Do it</td></tr></table></td></tr></table>' +
        '<table role="presentation"><tr><td>left</td><td>right</td></tr></table>' +
        '<table><tr><td>x<table><tr><td>n</td></tr></table></td><td>y</td></tr><tr><td>z</td><td>w</td></tr></table>',
    );
    expect(m.blocks.map((b) => (b.type === 'paragraph' ? b.orig : b.rows.map((r) => r.cells.map((c) => c.orig))))).toEqual([
      'Recs',
      [['No.', 'Text'], ['1', 'Do it']],
      'left',
      'right',
      [['x\n\nn', 'y'], ['z', 'w']],
    ]);
    expect(paragraphs(m)[0].headingLevel).toBe(2);
  });

  it('decodes by BOM and meta charset', () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('<meta charset="iso-8859-1"><p>caf'), 0xe9, ...new TextEncoder().encode('</p>')]);
    expect(decodeHtml(latin1)).toContain('café');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<p>x</p>')]);
    expect(decodeHtml(bom)).toBe('<p>x</p>');
  });

  it('reads the seed HTML report: one table with ten numbered rows', async () => {
    const m = await load('fixtures/html/seed-2023.html');
    const [t] = tables(m);
    expect(t.rows[0].header).toBe(true);
    expect(t.rows.filter((r) => !r.header).map((r) => r.cells[0].orig)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });
});

describe('boxes in HTML', () => {
  it('are quotations, asides, and divs whose class names a panel or whose own style draws a border', async () => {
    const m = await fromString(
      '<h1>Response</h1>' +
        '<blockquote><p>In a quotation.</p></blockquote>' +
        '<div class="call-to-action"><p>In a call to action.</p></div>' +
        '<div class="pull-quote"><p>In a quote panel.</p></div>' +
        '<div style="padding: 4px; border: 1px solid #000"><p>In a bordered div.</p></div>' +
        '<div style="border: none"><p>In an unbordered div.</p></div>' +
        '<div class="content"><p>In a plain div.</p></div>',
    );
    const boxOf = (text: string) => paragraphs(m).find((p) => p.orig === text)?.box;
    const boxed = ['In a quotation.', 'In a call to action.', 'In a quote panel.', 'In a bordered div.'].map(boxOf);
    expect(boxed.every((b) => b !== undefined)).toBe(true);
    expect(new Set(boxed).size).toBe(4);
    expect(boxOf('In an unbordered div.')).toBeUndefined();
    expect(boxOf('In a plain div.')).toBeUndefined();
  });
});
