// Boxes and shaded panels: a frame of four rules that holds no table, or a
// filled rectangle, around text. Their lines become paragraphs (or a table)
// marked as inside the box. Page backgrounds are not boxes; a box inside
// another belongs to the outer one.
import type { Line, RawPage } from './types.js';
import type { Box } from './table-build.js';

export function findBoxes(page: RawPage, frames: Box[], lines: Line[]): Box[] {
  const [px0, py0, px1, py1] = page.box;
  const pw = px1 - px0;
  const ph = py1 - py0;
  const candidates: Box[] = [...frames];
  for (const f of page.fills) {
    const w = f.x1 - f.x0;
    const h = f.y1 - f.y0;
    // Too small to hold a line of text.
    if (w <= 12 || h <= 6) continue;
    // A page background (or most of a page) frames nothing.
    if (w > 0.8 * pw && h > 0.5 * ph) continue;
    candidates.push([f.x0, f.y0, f.x1, f.y1]);
  }
  if (!lines.length) return [];
  const holds = (b: Box): boolean => lines.some((l) => lineIn(l, b));
  // Only panels around text count; those are few, so merging them is cheap.
  const kept = merge(candidates.filter(holds)).filter(holds);
  // The outermost box of a nest (a shaded title band inside a bordered box is part of it).
  return kept
    .filter((b, i) => !kept.some((o, j) => j !== i && contains(o, b) && (!contains(b, o) || j < i)))
    .sort((a, b) => b[3] - a[3] || a[0] - b[0]);
}

/** Panels that overlap or touch (a title band on a body panel, a fill under its frame) are one box. */
function merge(boxes: Box[]): Box[] {
  const out = boxes.map((b) => [...b] as Box);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i];
        const b = out[j];
        const gapX = Math.max(a[0], b[0]) - Math.min(a[2], b[2]);
        const gapY = Math.max(a[1], b[1]) - Math.min(a[3], b[3]);
        // Touching along a shared side: the other axis overlaps by most of the narrower box.
        const ovX = -gapX / Math.min(a[2] - a[0], b[2] - b[0]);
        const ovY = -gapY / Math.min(a[3] - a[1], b[3] - b[1]);
        if ((gapY <= 3 && ovX > 0.8) || (gapX <= 3 && ovY > 0.8) || (gapX < 0 && gapY < 0)) {
          out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
          out.splice(j, 1);
          changed = true;
          break;
        }
      }
    }
  }
  return out;
}

export function contains(outer: Box, inner: Box, tol = 1): boolean {
  return inner[0] >= outer[0] - tol && inner[1] >= outer[1] - tol && inner[2] <= outer[2] + tol && inner[3] <= outer[3] + tol;
}

/** A line lies in a box when its middle does and it does not stick out by more than a little. */
export function lineIn(l: Line, b: Box): boolean {
  const cx = (l.x0 + l.x1) / 2;
  const cy = (l.y0 + l.y1) / 2;
  return cx > b[0] && cx < b[2] && cy > b[1] && cy < b[3] && l.x0 > b[0] - 4 && l.x1 < b[2] + 4;
}

/** Index of the box holding a line, or -1. */
export function boxOf(l: Line, boxes: Box[]): number {
  return boxes.findIndex((b) => lineIn(l, b));
}
