// Running headers and footers: lines near the top or bottom edge whose text
// (digits masked) repeats at about the same height on several pages, and bare
// page numbers there. They are kept out of tables and paragraphs.
import type { Line } from './types.js';
import { wordsText } from './words.js';

const PAGE_NUMBER = /^[\s\-–—|]*(page\s+)?\d{1,4}(\s*(of|\/)\s*\d{1,4})?[\s\-–—|]*$/i;

export function findFurniture(pages: { lines: Line[]; box: [number, number, number, number] }[]): Set<Line> {
  const out = new Set<Line>();
  const key = (l: Line): string => wordsText(l.words).replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const zone = (l: Line, box: [number, number, number, number]): 'top' | 'bottom' | undefined => {
    const h = box[3] - box[1];
    if (l.y0 > box[3] - 0.12 * h) return 'top';
    if (l.y1 < box[1] + 0.12 * h) return 'bottom';
    return undefined;
  };
  const seen = new Map<string, { line: Line; page: number }[]>();
  pages.forEach((p, i) => {
    for (const l of p.lines) {
      const z = zone(l, p.box);
      if (!z) continue;
      const text = wordsText(l.words);
      if (PAGE_NUMBER.test(text)) {
        out.add(l);
        continue;
      }
      const k = `${z}|${key(l)}`;
      let a = seen.get(k);
      if (!a) seen.set(k, (a = []));
      a.push({ line: l, page: i });
    }
  });
  if (pages.length < 2) return out;
  for (const a of seen.values()) {
    const pagesWith = new Set(a.map((e) => e.page));
    if (pagesWith.size < 2) continue;
    // Same height (within 4pt) on at least two pages.
    for (const e of a) {
      if (a.some((o) => o.page !== e.page && Math.abs(o.line.base - e.line.base) < 4)) out.add(e.line);
    }
  }
  return out;
}
