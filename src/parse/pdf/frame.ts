// Pages whose text runs sideways (landscape tables set on a portrait page, or
// /Rotate) are analysed in a reading frame where the text is horizontal; boxes
// are mapped back to PDF user space for provenance.
import type { RawPage, Segment } from './types.js';
import type { Box } from './table-build.js';

/** The dominant text direction of a page, by characters. */
export function pageDirection(page: RawPage): number {
  const count = new Map<number, number>();
  for (const it of page.items) count.set(it.dir, (count.get(it.dir) ?? 0) + it.str.length);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

const toFrame = (dir: number, x: number, y: number): [number, number] =>
  dir === 90 ? [y, -x] : dir === 270 ? [-y, x] : dir === 180 ? [-x, -y] : [x, y];
const fromFrame = (dir: number, X: number, Y: number): [number, number] =>
  dir === 90 ? [-Y, X] : dir === 270 ? [Y, -X] : dir === 180 ? [-X, -Y] : [X, Y];

function mapBox(b: Box, f: (x: number, y: number) => [number, number]): Box {
  const [ax, ay] = f(b[0], b[1]);
  const [bx, by] = f(b[2], b[3]);
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}

/** The page in its reading frame (text of the dominant direction becomes direction 0), and the way back. */
export function framePage(page: RawPage): { page: RawPage; unframe: (b: Box) => Box } {
  const dir = pageDirection(page);
  if (dir === 0) return { page, unframe: (b) => b };
  const seg = (s: Segment): Segment => {
    const [x0, y0, x1, y1] = mapBox([s.x0, s.y0, s.x1, s.y1], (x, y) => toFrame(dir, x, y));
    return { ...s, x0, y0, x1, y1 };
  };
  const items = page.items.map((it) => {
    const [x, y] = toFrame(dir, it.x, it.y);
    return { ...it, x, y, dir: (it.dir - dir + 360) % 360 };
  });
  return {
    page: { ...page, box: mapBox(page.box, (x, y) => toFrame(dir, x, y)), items, segments: page.segments.map(seg), fills: page.fills.map(seg), art: page.art.map(seg) },
    unframe: (b) => mapBox(b, (x, y) => fromFrame(dir, x, y)),
  };
}
