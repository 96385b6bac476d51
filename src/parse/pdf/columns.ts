// Pages set in two columns of prose. Lines are first built across the whole
// page, so a line of the left column and the line beside it in the right column
// become one; here the gutter between them is found and such lines are split,
// so that each column is read top to bottom, the left one first.
import type { Line, Word } from './types.js';
import { toLines } from './words.js';
import { median } from './borderless.js';

export interface Gutter {
  /** the x the columns are split at */
  x: number;
  /** baselines of the first and last line of the two-column stretch (top > bottom) */
  top: number;
  bottom: number;
}

/**
 * A gutter running down a stretch of the page: no word crosses it, and most
 * lines of the stretch hold prose on both sides, each side wider than a third
 * of the text width (table cells beside each other are narrower and rarer).
 */
export function findGutter(lines: Line[]): Gutter | null {
  const body = lines.filter((l) => l.words.length >= 2);
  if (body.length < 12) return null;
  const x0 = Math.min(...body.map((l) => l.x0));
  const x1 = Math.max(...body.map((l) => l.x1));
  const width = x1 - x0;
  const size = median(body.map((l) => l.size));
  if (width < 30 * size) return null;
  const sorted = [...body].sort((a, b) => b.base - a.base);
  const wide = (ws: Word[]): boolean => ws.length >= 2 && ws[ws.length - 1].x1 - ws[0].x0 > 0.3 * width;
  let best: { gutter: Gutter; score: number; to: number } | null = null;
  const crossing = (l: Line, g: number): boolean => l.words.some((w) => w.x0 < g + size / 2 && w.x1 > g - size / 2);
  // A gutter is at least a character wide, so stepping a quarter of one cannot miss it.
  for (let g = x0 + 0.35 * width; g <= x0 + 0.65 * width; g += Math.max(1, size / 4)) {
    // Most pages have one column: nearly every line crosses every x, and there is nothing to look for.
    let free = 0;
    for (const l of sorted) if (!crossing(l, g)) free++;
    if (free < 10) continue;
    // Runs of lines, top to bottom, that no word crosses at g; in each, the
    // lines of prose left of it and right of it.
    let leftProse = 0;
    let rightProse = 0;
    // The first and last line of prose in the run: lines before and after them (a page footer) stay outside.
    let first = -1;
    let last = -1;
    for (let k = 0; k <= sorted.length; k++) {
      const l = sorted[k];
      const crosses = l ? crossing(l, g) : true;
      if (!crosses) {
        const onLeft = wide(l.words.filter((w) => w.x1 <= g));
        const onRight = wide(l.words.filter((w) => w.x0 >= g));
        if (onLeft) leftProse++;
        if (onRight) rightProse++;
        if (onLeft || onRight) {
          if (first < 0) first = k;
          last = k;
        }
        continue;
      }
      const score = Math.min(leftProse, rightProse);
      // Both sides hold several lines of prose, and most of the stretch is such lines.
      if (score >= 5 && leftProse + rightProse >= 0.6 * (last - first + 1)) {
        const top = sorted[first].base;
        const bottom = sorted[last].base;
        // The same stretch at the next x: the gutter is wider; it is split in its middle.
        if (best && score === best.score && best.gutter.top === top && best.gutter.bottom === bottom) best.to = g;
        else if (!best || score > best.score) best = { gutter: { x: g, top, bottom }, score, to: g };
      }
      leftProse = 0;
      rightProse = 0;
      first = -1;
      last = -1;
    }
  }
  return best ? { ...best.gutter, x: (best.gutter.x + best.to) / 2 } : null;
}

/** The lines of the stretch split at the gutter: the left column's lines and the right column's. */
export function splitAtGutter(lines: Line[], gutter: Gutter): { outside: Line[]; left: Line[]; right: Line[] } {
  const outside: Line[] = [];
  const leftWords: Word[] = [];
  const rightWords: Word[] = [];
  for (const l of lines) {
    const within = l.base <= gutter.top + 0.5 && l.base >= gutter.bottom - 0.5 && !l.words.some((w) => w.x0 < gutter.x && w.x1 > gutter.x);
    if (!within) {
      outside.push(l);
      continue;
    }
    for (const w of l.words) (w.x1 <= gutter.x ? leftWords : rightWords).push(w);
  }
  return { outside, left: toLines(leftWords), right: toLines(rightWords) };
}
