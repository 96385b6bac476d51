// Pages without a text layer (scans, text printed as glyph outlines) are drawn
// by raster.ts and read by OCR (ocr.ts); the words come back as the same text
// runs pdf.js gives for a text layer, so layout and detection run unchanged.
import { paintPages, type PaintedPage } from './load.js';
import { apply, invert, rasterise, type Paint } from './raster.js';
import type { OcrLine, OcrReader } from './ocr.js';
import type { RawDoc, RawText } from './types.js';
import { correctOcrWord, shippedLexicon } from '../../normalise/ocr-words.js';

/** OCR resolution bounds (dots per inch) and the height in pixels wanted for a typical glyph. */
const MIN_DPI = 150;
const MAX_DPI = 300;
const GLYPH_PX = 20;

/** Pages with no text at all: what OCR is for. */
export function textlessPages(raw: RawDoc): number[] {
  return raw.pages.filter((p) => !p.items.some((it) => it.str.trim())).map((p) => p.page);
}

/**
 * Reads the pages without a text layer by OCR and adds their words to `raw`
 * (in place), with `raw.ocr` saying on which pages it found text and how
 * confidently. Pages that paint nothing are not read.
 */
export async function readTextless(bytes: Uint8Array, raw: RawDoc, signal?: AbortSignal, onOcr?: (pages: number) => void): Promise<void> {
  const wanted = textlessPages(raw);
  if (!wanted.length) return;
  onOcr?.(wanted.length);
  let reader: OcrReader | undefined;
  let confSum = 0;
  let confChars = 0;
  const found = new Map<number, Array<{ line: OcrLine; toUser: (X: number, Y: number) => [number, number]; scale: number; dir: number }>>();
  try {
    await paintPages(
      bytes,
      wanted,
      async (p) => {
        if (!p.paints.length) return;
        const dpi = resolutionFor(p);
        const raster = rasterise(p.paints, p.box, p.rotate, dpi / 72);
        if (!hasInk(raster.data)) return;
        if (!reader) reader = await (await import('./ocr.js')).openOcr();
        if (signal?.aborted) return;
        const lines = await reader.read({ width: raster.width, height: raster.height, data: raster.data, dpi: raster.scale * 72 });
        const back = invert(raster.toPixel);
        found.set(
          p.page,
          lines.map((line) => ({ line, toUser: (X: number, Y: number) => apply(back, X, Y), scale: raster.scale, dir: ((p.rotate % 360) + 360) % 360 })),
        );
      },
      signal,
    );
  } finally {
    await reader?.close();
  }
  // Sizes are estimated per line from pixels; lines of one style are given one size, so layout sees them as equal.
  const estimates = [...found.values()].flat().map((f) => ({ f, size: lineSize(f.line) / f.scale }));
  const snap = sizeClasses(estimates.map((e) => e.size));
  const withText: number[] = [];
  const correct = ocrCorrector(raw);
  for (const page of raw.pages) {
    const lines = found.get(page.page);
    if (!lines) continue;
    const before = page.items.length;
    for (const f of lines) {
      const size = snap(lineSize(f.line) / f.scale);
      for (const w of f.line.words) {
        if (!keepWord(w.text, w.confidence)) continue;
        const text = correct(page.page, w.text);
        const mid = (w.x0 + w.x1) / 2;
        const span = f.line.x1 - f.line.x0 || 1;
        const base = f.line.base0 + ((f.line.base1 - f.line.base0) * (mid - f.line.x0)) / span;
        const [x, y] = f.toUser(w.x0, base);
        const item: RawText = { str: text, x: round(x), y: round(y), w: round((w.x1 - w.x0) / f.scale), size, dir: f.dir, font: 'ocr', bold: false, italic: false };
        page.items.push(item);
        const chars = w.text.length;
        confSum += w.confidence * chars;
        confChars += chars;
      }
    }
    if (page.items.length > before) withText.push(page.page);
  }
  raw.ocr = { pages: withText, confidence: confChars ? Math.round(confSum / confChars) : 0 };
}

/** Puts right a word OCR read on a page (normalise/ocr-words.ts), noting each correction in `raw.ocrCorrected`. */
function ocrCorrector(raw: RawDoc): (page: number, word: string) => string {
  const known = shippedLexicon();
  return (page, read) => {
    const word = known ? correctOcrWord(read, known) : read;
    if (word !== read) (raw.ocrCorrected ??= []).push({ page, read, word });
    return word;
  };
}

/**
 * Puts right the classic glyph confusions in text layers a scanner's OCR made
 * (invisible text over the page picture), word by word, in place.
 */
export function correctOcrLayers(raw: RawDoc): void {
  const correct = ocrCorrector(raw);
  for (const page of raw.pages) {
    if (!page.ocrLayer) continue;
    let broken = false;
    for (const item of page.items) {
      // The rest of a word broken at the line end before ("coun-" | "terfeit") is not a word either.
      const rest = broken ? /^\S+/.exec(item.str)?.[0].length ?? 0 : 0;
      broken = /[-\u00ad\u2010]\s*$/.test(item.str);
      const str = item.str.slice(0, rest) + item.str.slice(rest).replace(/\S+/g, (w) => correct(page.page, w));
      if (str !== item.str) item.str = str;
    }
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Marks and stray symbols from pictures: no letter or digit, and not read confidently. */
function keepWord(text: string, confidence: number): boolean {
  return /[\p{L}\p{N}]/u.test(text) || confidence >= 60;
}

/**
 * The resolution to draw a page at. A page of pictures (a scan) is read near
 * the pictures' own resolution; a page of glyph outlines at one that makes its
 * typical glyph about GLYPH_PX pixels high.
 */
export function resolutionFor(p: PaintedPage): number {
  const clamp = (d: number): number => Math.round(Math.min(MAX_DPI, Math.max(MIN_DPI, d)));
  const pageArea = Math.abs((p.box[2] - p.box[0]) * (p.box[3] - p.box[1])) || 1;
  let best = 0;
  for (const paint of p.paints) {
    if (paint.kind !== 'image') continue;
    const [a, b, c, d] = paint.ctm;
    const [wPt, hPt] = [Math.hypot(a, b), Math.hypot(c, d)];
    if (wPt * hPt < 0.25 * pageArea) continue;
    best = Math.max(best, (72 * Math.max(paint.width / (wPt || 1), paint.height / (hPt || 1))));
  }
  if (best) return clamp(best);
  const heights = glyphHeights(p.paints);
  if (heights.length < 20) return clamp(200);
  heights.sort((x, y) => x - y);
  const median = heights[Math.floor(heights.length / 2)];
  return clamp((72 * GLYPH_PX) / median);
}

/** Heights (points) of small filled shapes: glyph outlines when a page's text was printed as paths. */
function glyphHeights(paints: Paint[]): number[] {
  const out: number[] = [];
  for (const paint of paints) {
    if (paint.kind !== 'fill') continue;
    let y0 = Infinity;
    let y1 = -Infinity;
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const poly of paint.polygons) {
      for (let i = 0; i < poly.length; i += 2) {
        x0 = Math.min(x0, poly[i]);
        x1 = Math.max(x1, poly[i]);
        y0 = Math.min(y0, poly[i + 1]);
        y1 = Math.max(y1, poly[i + 1]);
      }
    }
    const [w, h] = [x1 - x0, y1 - y0];
    if (h >= 2 && h <= 40 && w <= 40 && w > 0.3) out.push(h);
  }
  return out;
}

function hasInk(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] < 128) return true;
  return false;
}

/**
 * A line's font size in pixels: the height from the baseline to the top of its
 * tallest letters, as the cap height of a typical face (0.72 em), or as its
 * x-height (0.52 em) when no letter rises above it.
 */
export function lineSize(line: OcrLine): number {
  const text = line.words.map((w) => w.text).join('');
  const base = (line.base0 + line.base1) / 2;
  const rise = base - line.y0;
  const tall = /[A-Zbdfhklt0-9ÀÉ()\[\]{}|/!?'"‘’“”]/.test(text);
  return Math.max(1, rise / (tall ? 0.72 : 0.52));
}

/**
 * Groups size estimates into classes (sorted, a new class where a value is more
 * than 12% above the class's smallest) and returns a function giving each
 * estimate its class's median, rounded to a quarter point.
 */
export function sizeClasses(sizes: number[]): (size: number) => number {
  const sorted = [...sizes].sort((a, b) => a - b);
  const classes: number[][] = [];
  for (const s of sorted) {
    const cur = classes[classes.length - 1];
    if (cur && s <= cur[0] * 1.12) cur.push(s);
    else classes.push([s]);
  }
  const reps = classes.map((c) => ({ lo: c[0], hi: c[c.length - 1], rep: Math.round(c[Math.floor(c.length / 2)] * 4) / 4 }));
  return (size: number) => {
    for (const r of reps) if (size >= r.lo && size <= r.hi) return r.rep;
    return Math.round(size * 4) / 4;
  };
}
