// Running headers and footers: text repeated at about the same place on most
// pages (digits included), text that repeats with only its numbers changing
// ("Page 3 of 20", a browser's URL and "n/m" counter) on a clear majority of
// pages, and bare page numbers in the top and bottom margin zones. They are
// kept out of tables and paragraphs. A heading that merely opens a page
// ("Recommendation 4") repeats nowhere and stays.
import type { Line } from './types.js';
import { wordsText } from './words.js';

const PAGE_NUMBER = /^[\s\-–—|]*(page\s+)?(\d{1,4}|[ivxlc]{1,7})(\s*(of|\/)\s*\d{1,4})?[\s\-–—|]*$/i;

interface Seen {
  line: Line;
  page: number;
  /** distance from the page edge of its zone (portrait and landscape pages share headers this way) */
  edge: number;
}

export function findFurniture(pages: { lines: Line[]; box: [number, number, number, number] }[], bodySize = Infinity): Set<Line> {
  const out = new Set<Line>();
  const zone = (l: Line, box: [number, number, number, number]): 'top' | 'bottom' | undefined => {
    const h = box[3] - box[1];
    const mid = (l.y0 + l.y1) / 2;
    if (mid > box[3] - 0.13 * h) return 'top';
    if (mid < box[1] + 0.13 * h) return 'bottom';
    return undefined;
  };
  const exact = new Map<string, Seen[]>();
  const masked = new Map<string, Seen[]>();
  const push = (m: Map<string, Seen[]>, k: string, e: Seen): void => {
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    a.push(e);
  };
  pages.forEach((p, i) => {
    for (const l of p.lines) {
      const z = zone(l, p.box);
      if (!z) continue;
      const text = wordsText(l.words).replace(/\s+/g, ' ').trim();
      if (!text) continue;
      if (PAGE_NUMBER.test(text)) {
        out.add(l);
        continue;
      }
      const e = { line: l, page: i, edge: z === 'top' ? p.box[3] - l.base : l.base - p.box[1] };
      push(exact, `${z}|${text.toLowerCase()}`, e);
      // Only running text no larger than the body varies its digits ("Recommendation 4" opening pages is a heading).
      if (l.size <= bodySize * 1.05) push(masked, `${z}|${loose(text)}`, e);
    }
  });
  const n = pages.length;
  if (n < 2) return out;
  // Exact repeats: on at least a third of the pages (two at least); digit-varying ones: on more than half (three at least).
  mark(exact, Math.max(2, Math.ceil(0.34 * n)), out);
  mark(masked, Math.max(3, Math.floor(0.5 * n) + 1), out);
  return out;
}

/**
 * Digits left out; a long line (a browser's URL footer, cut short with "…"
 * by a varying amount as its page counter grows) is known by its start and its last word.
 */
function loose(text: string): string {
  const m = text.toLowerCase().replace(/\d+/g, '#');
  if (m.length > 48) return `${m.slice(0, 32)}…${m.split(' ').pop()}`;
  // "68 REPORT TITLE" on left pages and "REPORT TITLE 69" on right pages are one header.
  return m.replace(/#/g, ' ').replace(/\s+/g, ' ').trim() || m;
}

/** Adds the lines of each group that recur at about the same distance from the page's edge (within 4pt) on at least `need` pages. */
function mark(groups: Map<string, Seen[]>, need: number, out: Set<Line>): void {
  for (const a of groups.values()) {
    if (new Set(a.map((e) => e.page)).size < need) continue;
    const found = a.filter((e) => new Set(a.filter((o) => Math.abs(o.edge - e.edge) < 4).map((o) => o.page)).size >= need);
    if (!found.length) continue;
    // The same header a little higher or lower on a few pages (another section's layout) is the same header.
    for (const e of a) if (found.some((f) => Math.abs(f.edge - e.edge) < 12)) out.add(e.line);
  }
}
