// Header rows and caption bands marked by fill colour alone. Published tables
// often set their header row on a darker fill (no bold, no heavier rule), and
// sometimes put the caption in a filled band across the top. A top row is a
// header when the fill behind its text is clearly darker than behind every
// body row; zebra striping (light fills on alternate body rows) never is. A
// filled single-cell band across the table above such a header is its caption.
import type { Segment } from './types.js';
import { wordsBox, type Box, type PRow, type PTable } from './table-build.js';

/** Luminance of the paper behind unfilled text. */
const PAPER = 1;
/** How much darker than every body row a header row must be (0 black … 1 white). */
const CLEAR = 0.12;
/** A fill lighter than this is no fill (near-white cell backgrounds). */
const FILLED = 0.97;
const MAX_HEADER_ROWS = 3;

export interface FillMarks {
  /** leading rows that are headers by their fill */
  headerRows: number;
  /** the first row is a caption band (a filled cell across the table above the header) */
  captionRow: boolean;
  /** the fills behind the header rows, top edge: a band just above it may be the caption */
  headerTop?: number;
  headerSpan?: [number, number];
}

interface Shade {
  f: Segment;
  lum: number;
}

/** Fills behind a table: large enough to sit behind text (thin ones are rules), in paint order. */
function shadesNear(fills: Segment[], box: Box): Shade[] {
  const out: Shade[] = [];
  for (const f of fills) {
    if (f.lum === undefined || f.x1 - f.x0 <= 3 || f.y1 - f.y0 <= 3) continue;
    if (f.x1 < box[0] || f.x0 > box[2] || f.y1 < box[1] || f.y0 > box[3]) continue;
    out.push({ f, lum: f.lum });
  }
  return out;
}

/** The fill behind a point: the last painted one holding it, else the paper. */
function shadeAt(shades: Shade[], x: number, y: number): Shade | undefined {
  for (let i = shades.length - 1; i >= 0; i--) {
    const { f } = shades[i];
    if (x >= f.x0 && x <= f.x1 && y >= f.y0 && y <= f.y1) return shades[i];
  }
  return undefined;
}

/** A row's shade: the lightest fill behind any of its text cells (all must be dark for a dark row); undefined without text. */
function rowShade(r: PRow, shades: Shade[]): { lum: number; under: Shade[] } | undefined {
  let lum: number | undefined;
  const under: Shade[] = [];
  for (const c of r.cells) {
    const b = wordsBox(c.words);
    if (!b) continue;
    const s = shadeAt(shades, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
    if (s) under.push(s);
    lum = Math.max(lum ?? 0, s ? s.lum : PAPER);
  }
  return lum === undefined ? undefined : { lum, under };
}

const textCells = (r: PRow) => r.cells.filter((c) => c.words.length);

/** Decides header rows and a caption band from fills; tables without fills behind them cost one pass over the fills. */
export function fillMarks(t: PTable, fills: Segment[]): FillMarks {
  const none: FillMarks = { headerRows: 0, captionRow: false };
  if (t.rows.length < 2 || !fills.length) return none;
  const shades = shadesNear(fills, t.box);
  if (!shades.length) return none;
  const width = t.rows.reduce((w, r) => r.cells.reduce((m, c) => Math.max(m, c.col + c.colSpan), w), 0);
  const shade = t.rows.map((r) => rowShade(r, shades));
  // A row of one cell across the table: a band (caption or section title), never a header or part of the body's tone.
  const band = (i: number): boolean => {
    const cs = textCells(t.rows[i]);
    return cs.length === 1 && width > 1 && (cs[0].colSpan >= width || t.rows[i].cells.length === 1);
  };
  const headersFrom = (start: number): number => {
    let best = 0;
    for (let n = 1; n <= MAX_HEADER_ROWS && start + n < t.rows.length; n++) {
      const head = shade.slice(start, start + n);
      if (head.some((s) => !s || s.lum >= FILLED)) break;
      if (textCells(t.rows[start]).length < 2) break;
      const body = shade.slice(start + n).filter((s, k): s is NonNullable<typeof s> => !!s && !band(start + n + k));
      if (!body.length) break;
      const darkest = Math.min(...body.map((s) => s.lum));
      const lightest = Math.max(...head.map((s) => s!.lum));
      if (lightest < darkest - CLEAR) best = n;
    }
    return best;
  };
  // A filled band on top is the caption when header rows follow it.
  const underCaption = band(0) && shade[0] && shade[0].lum < FILLED && t.rows.length >= 3 && t.rows[0].cells.every((c) => c.rowSpan === 1) ? headersFrom(1) : 0;
  const captionRow = underCaption > 0;
  const start = captionRow ? 1 : 0;
  const headerRows = captionRow ? underCaption : headersFrom(0);
  if (!headerRows) return none;
  const under = shade.slice(start, start + headerRows).flatMap((s) => s!.under);
  const headerTop = Math.max(...under.map((s) => s.f.y1));
  const headerSpan: [number, number] = [Math.min(...under.map((s) => s.f.x0)), Math.max(...under.map((s) => s.f.x1))];
  return { headerRows, captionRow, headerTop, headerSpan };
}

/** A filled band sitting on top of a fill-marked header and as wide: the table's caption, drawn outside the table's rows. */
export function isCaptionBand(f: Segment, marks: FillMarks): boolean {
  if (!marks.headerRows || marks.headerTop === undefined || !marks.headerSpan || f.lum === undefined || f.lum >= FILLED) return false;
  const [a, b] = marks.headerSpan;
  const overlap = Math.min(f.x1, b) - Math.max(f.x0, a);
  return f.y0 >= marks.headerTop - 2 && f.y0 <= marks.headerTop + 3 && f.y1 - f.y0 < 40 && overlap >= 0.9 * Math.max(f.x1 - f.x0, b - a);
}
