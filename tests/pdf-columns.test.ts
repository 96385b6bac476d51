// The gutter between two columns of prose, on lines built by hand: found between
// prose columns, never between a table's short cells or inside one column.
import { describe, expect, it } from 'vitest';
import { findGutter, splitAtGutter } from '../src/parse/pdf/columns.js';
import { toLines } from '../src/parse/pdf/words.js';
import type { Word } from '../src/parse/pdf/types.js';

/** Words of a run of text set at x, baseline y, 10 pt (5 pt a character, 3 pt a space). */
function words(x: number, y: number, text: string): Word[] {
  const out: Word[] = [];
  for (const t of text.split(' ')) {
    out.push({ text: t, x0: x, x1: x + 5 * t.length, y0: y - 2, y1: y + 8, base: y, size: 10, bold: false });
    x += 5 * t.length + 3;
  }
  return out;
}
const prose = 'the council should publish what it learns from complaints';

describe('findGutter', () => {
  it('finds the gutter between two columns of prose whose baselines differ, and splits there', () => {
    const ws: Word[] = [...words(72, 800, 'A title set across the whole width of the page above both of the columns here')];
    for (let k = 0; k < 12; k++) ws.push(...words(72, 760 - 13 * k, prose), ...words(380, 765 - 13 * k, prose));
    const lines = toLines(ws);
    const gutter = findGutter(lines);
    expect(gutter).not.toBeNull();
    // In the middle of the gap between the left column's right edge (72 + 269 = 341) and the right column (380).
    expect(gutter!.x).toBeCloseTo((341 + 380) / 2, 0);
    const { outside, left, right } = splitAtGutter(lines, gutter!);
    expect(outside.map((l) => l.words[0].text)).toEqual(['A']);
    expect(left).toHaveLength(12);
    expect(right).toHaveLength(12);
  });

  it('finds none between a table of short cells, or in one column of prose', () => {
    const table: Word[] = [];
    for (let k = 0; k < 14; k++) table.push(...words(72, 760 - 13 * k, `Item ${k}`), ...words(300, 760 - 13 * k, '410'), ...words(500, 760 - 13 * k, '455 cases'));
    expect(findGutter(toLines(table))).toBeNull();
    const single: Word[] = [];
    for (let k = 0; k < 20; k++) single.push(...words(72, 760 - 13 * k, `${prose} and it ${prose}`));
    expect(findGutter(toLines(single))).toBeNull();
  });
});
