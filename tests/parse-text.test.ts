import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readText } from '../src/parse/text/index.js';
import type { ModelTable } from '../src/schema.js';

const enc = (s: string) => new TextEncoder().encode(s);
const tables = (s: string) => readText(enc(s)).value.blocks.filter((b): b is ModelTable => b.type === 'table');

describe('readText', () => {
  it('reads tab-separated rows with line provenance', () => {
    const [t] = tables('Title line\n\n\tRecommendation\tResponse\n1\tDo this.\tAgreed.\n2\tDo that.\tNoted.\n');
    expect(t.method).toBe('text-tsv');
    expect(t.rows).toHaveLength(3);
    expect(t.rows[0].header).toBe(true);
    expect(t.rows[2].cells[1].orig).toBe('Do that.');
    expect(t.rows[2].cells[1].prov[0]).toMatchObject({ kind: 'text', line: 5, row: 2, cell: 1 });
  });

  it('joins a table continued after a repeated header, renumbering rows', () => {
    const res = readText(enc('\tRecommendation\tResponse\n1\tA.\tB.\n\n\tRecommendation\tResponse\n2\tC.\tD.\n'));
    const ts = res.value.blocks.filter((b): b is ModelTable => b.type === 'table');
    expect(ts).toHaveLength(1);
    expect(ts[0].rows.map((r) => r.cells[0].orig)).toEqual(['', '1', '2']);
    expect(ts[0].rows[2].prov[0]).toMatchObject({ line: 5, row: 2 });
    expect(res.value.messages.map((m) => m.code)).toContain('text/tables-joined');
  });

  it('reassembles a table exported column by column when the counts agree', () => {
    const res = readText(enc('\tRecommendation\n1\tA.\n2\tB.\n\nOwner\tUpdate May 2024\nCEO\tDone.\nCFO\t\n\nStatus\nComplete\nIn progress\n'));
    const [t] = res.value.blocks.filter((b): b is ModelTable => b.type === 'table');
    expect(t.method).toBe('text-columns');
    expect(t.rows[0].cells.map((c) => c.orig)).toEqual(['', 'Recommendation', 'Owner', 'Update May 2024', 'Status']);
    expect(t.rows[2].cells.map((c) => c.orig)).toEqual(['2', 'B.', 'CFO', '', 'In progress']);
    expect(t.rows[2].cells[4].prov[0]).toMatchObject({ line: 11 });
    expect(res.value.messages.filter((m) => m.code === 'text/columns-reassembled')).toHaveLength(2);
  });

  it('refuses to invent rows when a column block has a different count', () => {
    const res = readText(enc('\tRecommendation\n1\tA.\n2\tB.\n\nStatus\nComplete\n'));
    const ts = res.value.blocks.filter((b): b is ModelTable => b.type === 'table');
    expect(ts[0].rows[1].cells).toHaveLength(2);
    expect(res.value.messages.map((m) => m.code)).toContain('text/columns-mismatch');
  });

  it('reads markdown pipe tables', () => {
    const [t] = tables('| No | Recommendation | Status |\n|---|---|---|\n| 1 | Do it | Green |\n');
    expect(t.method).toBe('text-markdown');
    expect(t.rows[1].cells.map((c) => c.orig)).toEqual(['1', 'Do it', 'Green']);
  });

  it('keeps the seed 004 column-by-column export whole', () => {
    const res = readText(readFileSync('fixtures/seeds/004_0b441babad7e57b2.txt'));
    const ts = res.value.blocks.filter((b): b is ModelTable => b.type === 'table');
    expect(ts).toHaveLength(1);
    expect(ts[0].rows).toHaveLength(11);
    expect(ts[0].rows.every((r) => r.cells.length === 5)).toBe(true);
  });

  it('rejects a file with no text', () => {
    expect(() => readText(enc('\n\n  \n'))).toThrow(expect.objectContaining({ code: 'input/empty' }));
  });
});
