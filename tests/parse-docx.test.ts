import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocx, inspectZip, ZIP_LIMITS } from '../src/parse/docx/index.js';
import { NumberingCounter, formatNumber, readNumberingDefs } from '../src/parse/docx/numbering.js';
import { readStyles } from '../src/parse/docx/styles.js';
import { RectraceError } from '../src/errors.js';
import { DocModel, type ModelParagraph, type ModelTable } from '../src/schema.js';

const root = join(import.meta.dirname, '..');
const bytes = (p: string) => new Uint8Array(readFileSync(join(root, p)));
const read = async (p: string) => (await readDocx(bytes(p))).value;
const paragraphs = (m: DocModel) => m.blocks.filter((b): b is ModelParagraph => b.type === 'paragraph');
const tables = (m: DocModel) => m.blocks.filter((b): b is ModelTable => b.type === 'table');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(RectraceError);
    return (err as RectraceError).code;
  }
}

describe('Word automatic numbering', () => {
  it('rebuilds labels for decimal, prefixes, multi-level, letters, roman, start, restart and styles', async () => {
    const m = await read('fixtures/docx/cases/numbering.docx');
    const labels = Object.fromEntries(paragraphs(m).map((p) => [p.orig, p.numberLabel ?? null]));
    expect(labels).toMatchObject({
      'decimal one': '1.',
      'decimal two': '2.',
      'decimal three': '3.',
      'r one': 'R1',
      'r two': 'R2',
      'rec one': 'Recommendation 1',
      'rec two': 'Recommendation 2',
      'multi 1': '1.',
      'multi 1.1': '1.1',
      'multi 1.2': '1.2',
      'multi 1.2.a': '(a)',
      'multi 1.2.b': '(b)',
      'multi 2': '2.',
      'multi 2.1': '2.1',
      'letter A': 'A)',
      'letter B': 'B)',
      'roman i': '(i)',
      'roman ii': '(ii)',
      'roman ii.I': 'I.',
      'roman iii': '(iii)',
      'starts at five': '5.',
      six: '6.',
      'A plain paragraph between lists.': null,
      'restarted one': '1.',
      'restarted two': '2.',
      'styled one': 'Rec 1:',
      'styled two (inherited)': 'Rec 2:',
      'styled, numbering switched off': null,
      'styled three': 'Rec 3:',
      'a bullet': null,
    });
    const bullet = paragraphs(m).find((p) => p.orig === 'a bullet');
    expect(bullet?.listLevel).toBe(0);
    expect(paragraphs(m).find((p) => p.orig === 'multi 1.2.a')?.listLevel).toBe(2);
    const rebuilt = m.messages.filter((x) => x.code === 'docx/numbering-rebuilt');
    expect(rebuilt).toHaveLength(1);
    expect(rebuilt[0].reason).toContain('27');
  });

  it('puts the number of a numbered cell on the cell, and lists inside cells in orig', async () => {
    const m = await read('fixtures/docx/cases/number-column.docx');
    const [t] = tables(m);
    expect(t.rows[0].header).toBe(true);
    expect(t.rows.slice(1).map((r) => r.cells[0].numberLabel)).toEqual(['1.', '2.', '3.', 'Recommendation 1']);
    expect(t.rows[1].cells[0].orig).toBe('');
    expect(t.rows[1].cells[1].orig).toBe('Fund the registry\n\nfirst point\n\nsecond point\n\nClosing words.');
    // a numbered paragraph that does not open the cell keeps its label in the text
    expect(t.rows[4].cells[1].orig).toBe('Intro line\n\nA) sub item');
    expect(t.rows[4].cells[1].numberLabel).toBeUndefined();
    expect(t.rows[4].cells[0].orig).toBe('Extend the pilot');
    // footnote reference marks stay out of the text
    expect(t.rows[4].cells[2].orig).toBe('Done');
  });

  it('formats numbers as Word does', () => {
    expect(formatNumber(27, 'lowerLetter')).toBe('aa');
    expect(formatNumber(28, 'upperLetter')).toBe('BB');
    expect(formatNumber(1994, 'upperRoman')).toBe('MCMXCIV');
    expect(formatNumber(4, 'lowerRoman')).toBe('iv');
    expect(formatNumber(7, 'decimalZero')).toBe('07');
    expect(formatNumber(12, 'ordinal')).toBe('12th');
    expect(formatNumber(22, 'ordinal')).toBe('22nd');
  });

  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const lvl = (ilvl: number, fmt: string, text: string, start = 1, extra = '') =>
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/>${extra}</w:lvl>`;
  const numberingXml = `<?xml version="1.0"?><w:numbering ${W}>
    <w:abstractNum w:abstractNumId="0">${lvl(0, 'decimal', '%1.')}${lvl(1, 'lowerLetter', '%1.%2', 1, '<w:lvlRestart w:val="0"/>')}</w:abstractNum>
    <w:abstractNum w:abstractNumId="1">${lvl(0, 'upperRoman', '%1.')}${lvl(1, 'decimal', '%1.%2', 1, '<w:isLgl/>')}</w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>
    <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
  </w:numbering>`;

  it('continues lists that share an abstract definition and restarts on startOverride', () => {
    const c = new NumberingCounter(readNumberingDefs(numberingXml), readStyles(undefined));
    const seq = [
      c.next('1', 0), c.next('1', 1), c.next('1', 0), c.next('1', 1), // lvlRestart 0: level 1 never restarts
      c.next('2', 0), // numId 2 shares abstract 0: continues at 3
      c.next('3', 0), c.next('3', 0), // startOverride 10 restarts
      c.next('4', 0), c.next('4', 0), c.next('4', 1), // isLgl shows the parent level as decimal
      c.next('0', 0), c.next('99', 0), // numbering off, unknown list
    ].map((x) => x?.label ?? null);
    expect(seq).toEqual(['1.', '1.a', '2.', '2.b', '3.', '10.', '11.', 'I.', 'II.', '2.1', null, null]);
    expect(c.rebuilt).toBe(10);
  });
});

describe('Word tables', () => {
  it('reads header rows, gridSpan and vMerge (continuation cells omitted)', async () => {
    const m = await read('fixtures/docx/cases/merged.docx');
    const [t] = tables(m);
    expect(t.method).toBe('docx');
    expect(t.rows.map((r) => r.header ?? false)).toEqual([true, false, false, false, false]);
    expect(t.rows[1].cells).toHaveLength(1);
    expect(t.rows[1].cells[0].colSpan).toBe(3);
    expect(t.rows[2].cells[0]).toMatchObject({ orig: 'Shared area', rowSpan: 2, colSpan: 1 });
    expect(t.rows[3].cells.map((c) => c.orig)).toEqual(['Second rec', 'Owner 2']);
    // provenance counts w:tc as Word stores them: the continuation cell is tc 0
    expect(t.rows[3].cells[0].prov[0]).toMatchObject({ kind: 'docx', path: 'body/0/tbl/row/3/cell/1/p/0', table: 0, row: 3, cell: 1, paragraph: 0 });
    expect(t.rows[4].cells[1]).toMatchObject({ orig: 'Wide cell\n\nsecond para', colSpan: 2 });
  });

  it('flattens a nested table into its cell and emits nothing else for it', async () => {
    const m = await read('fixtures/docx/cases/nested.docx');
    expect(tables(m)).toHaveLength(1);
    expect(m.blocks).toHaveLength(1);
    const cell = tables(m)[0].rows[1].cells[1];
    expect(cell.orig).toBe('Before nested\n\nn1\tn2\nn3\tn4a n4b\n\nAfter nested');
  });

  it('joins tables split by a page break or a repeated header, and only those', async () => {
    const m = await read('fixtures/docx/cases/joined.docx');
    const ts = tables(m);
    expect(ts.map((t) => t.rows.map((r) => r.cells[0].orig))).toEqual([
      ['No.', '1', '2', '3'],
      ['4', '5', '6'],
      ['No.', '7', '8'],
      ['x'],
    ]);
    expect(ts[0].prov.map((p) => p.path)).toEqual(['body/1/tbl', 'body/3/tbl']);
    expect(ts[0].rows[3].prov[0].path).toBe('body/3/tbl/row/1');
    const joined = m.messages.filter((x) => x.code === 'docx/tables-joined');
    expect(joined).toHaveLength(3);
    expect(joined.every((x) => x.severity === 'info')).toBe(true);
  });

  it('gives headings and provenance paths', async () => {
    const m = await read('fixtures/docx/cases/number-column.docx');
    const ps = paragraphs(m);
    expect(ps.map((p) => [p.orig, p.headingLevel])).toEqual([
      ['Recommendations', 1],
      ['Table of progress', 2],
    ]);
    const [t] = tables(m);
    expect(t.prov[0]).toMatchObject({ kind: 'docx', path: 'body/2/tbl', table: 0, headings: ['Recommendations', 'Table of progress'] });
    expect(t.rows[2].cells[1].prov[0]).toMatchObject({ path: 'body/2/tbl/row/2/cell/1/p/0', row: 2, cell: 1 });
    expect(m.meta.title).toBe('Recommendations');
  });

  it('takes the title from document properties', async () => {
    const m = await read('fixtures/docx/cases/numbering.docx');
    expect(m.meta.title).toBe('Numbering fixture');
    expect(m.meta.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('produces schema-valid, deterministic models', async () => {
    for (const f of ['numbering', 'number-column', 'merged', 'nested', 'joined']) {
      const a = await read(`fixtures/docx/cases/${f}.docx`);
      expect(DocModel.safeParse(a).success).toBe(true);
      expect(a.format).toBe('docx');
      const b = await read(`fixtures/docx/cases/${f}.docx`);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });
});

describe('main Word fixtures', () => {
  it('rebuilds the auto-numbered number column of the 2023 seed', async () => {
    const m = await read('fixtures/docx/seed-2023-autonumber.docx');
    const [t] = tables(m);
    const labels = t.rows.filter((r) => !r.header).map((r) => r.cells[0].numberLabel);
    expect(labels).toEqual(['1.', '2.', '3.', '4.', '5.', '6.', '7.', '8.', '9.', '10.']);
    expect(t.rows[1].cells[1].orig).toMatch(/^The intervention should be retained/);
  });

  it('rebuilds "Recommendation %1" numbered paragraphs of the 2022 seed', async () => {
    const m = await read('fixtures/docx/seed-2022-recnumbering.docx');
    const labels = paragraphs(m).filter((p) => p.numberLabel).map((p) => p.numberLabel);
    // The source restarts two later lists with startOverride 18 and 16, so Word shows them out of order.
    const expected = [...Array.from({ length: 15 }, (_, i) => i + 1), 18, 19, 16, 17].map((n) => `Recommendation ${n}`);
    expect(labels).toEqual(expected);
    const after = paragraphs(m).find((p) => p.prov[0].headings?.includes('Recommendation 1') && p.orig);
    expect(after?.orig).toMatch(/^There should be no structural reform/);
  });
});

describe('Word emphasis', () => {
  it('marks a paragraph whose every run is bold, and no paragraph of mixed or plain runs', async () => {
    const doc = await read('fixtures/docx/seed-2022.docx');
    const paras = doc.blocks.filter((b): b is ModelParagraph => b.type === 'paragraph');
    expect(paras.find((p) => p.orig === 'BE BOLD BE BIRMINGHAM')?.emphasis).toBe('bold');
    expect(paras.filter((p) => p.emphasis).length).toBeLessThan(paras.length);
  });
});

describe('unreadable Word files', () => {
  it('refuses zip bombs before inflating', async () => {
    expect(await codeOf(readDocx(bytes('fixtures/bad/zip-bomb.docx')))).toBe('docx/too-large');
    const ok = bytes('fixtures/docx/cases/merged.docx');
    expect(() => inspectZip(ok, { ...ZIP_LIMITS, entries: 3 })).toThrow(/entries/);
    expect(() => inspectZip(ok, { ...ZIP_LIMITS, totalBytes: 1000 })).toThrow(/inflates/);
    expect(inspectZip(ok).some((e) => e.name === 'word/document.xml')).toBe(true);
  });

  it('reports docx/corrupt for non-zips, empty files, truncated zips and zips without word/document.xml', async () => {
    for (const f of ['not-a-zip', 'empty', 'no-document-xml', 'pdf-named']) {
      expect(await codeOf(readDocx(bytes(`fixtures/bad/${f}.docx`)))).toBe('docx/corrupt');
    }
    const whole = bytes('fixtures/docx/cases/merged.docx');
    expect(await codeOf(readDocx(whole.slice(0, Math.floor(whole.length / 2))))).toBe('docx/corrupt');
  });
});
