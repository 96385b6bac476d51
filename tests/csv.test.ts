import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell, toCsv } from '../src/emit/csv.js';

describe('CSV', () => {
  it('quotes per RFC 4180, keeps formulas from running, and adds a BOM only when asked', () => {
    const text = toCsv(['a', 'b', 'c'], [['=1+1', 'say "hi", then\nleave', -0.5], ['@x', undefined, 3]]);
    expect(text.startsWith('a,b,c\r\n')).toBe(true);
    expect(text).toContain(`'=1+1,"say ""hi"", then\nleave",-0.5\r\n`);
    expect(parse(text, { columns: true })).toEqual([
      { a: "'=1+1", b: 'say "hi", then\nleave', c: '-0.5' },
      { a: "'@x", b: '', c: '3' },
    ]);
    const bom = toCsv(['a'], [['x']], true);
    expect(bom.charCodeAt(0)).toBe(0xfeff);
    expect(parse(bom, { bom: true, columns: true })).toEqual([{ a: 'x' }]);
    expect(csvCell('-5 days')).toBe("'-5 days");
    expect(csvCell(-5)).toBe('-5');
  });
});
