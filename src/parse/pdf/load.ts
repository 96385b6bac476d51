// The one module that imports pdfjs-dist. It turns a PDF into plain per-page
// data (text runs, line segments, structure tree); everything else in
// parse/pdf/ works on that data only.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { RectraceError } from '../../errors.js';
import type { RawDoc, RawPage, RawText, Segment, StructNode } from './types.js';
import { mul, pathPolygons, strokePolygons, type Matrix, type Paint } from './raster.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const workerSrc = pathToFileURL(join(pdfjsRoot, 'legacy/build/pdf.worker.mjs')).href;

/**
 * The legacy build bundles core-js, which replaces Array.prototype.push and
 * JSON.parse/stringify process-wide with slower spec-edge-case versions. Load
 * it (and its worker, which Node runs in-process as a "fake worker" from the
 * local file, never the network) once, then put the native functions back.
 */
async function loadLibrary(): Promise<typeof Pdfjs> {
  const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
  const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
  lib.GlobalWorkerOptions.workerSrc = workerSrc;
  await import(workerSrc);
  Array.prototype.push = natives.push;
  JSON.parse = natives.parse;
  JSON.stringify = natives.stringify;
  return lib;
}
const pdfjs = await loadLibrary();
const OPS = pdfjs.OPS;
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;

export interface LoadOptions {
  maxPages?: number;
  signal?: AbortSignal;
  /**
   * pdf.js's plain Node settings instead of the speed settings below (glyph
   * outlines built): only for the test that checks those settings change nothing.
   */
  plainSettings?: boolean;
}

const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/**
 * The `ownerDocument` pdf.js loads fonts into (getDocument's documented option).
 * In Node pdf.js takes the @font-face rule route (no FontFace API, and font
 * loading counts as synchronous), so a style sheet that drops every rule is all
 * it needs; nothing else of the document is touched when nothing is rendered.
 */
const FONTLESS_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

export async function loadPdf(bytes: Uint8Array, options: LoadOptions = {}): Promise<RawDoc> {
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    // With disableFontFace (pdf.js's default in Node) getOperatorList builds and
    // posts an outline for every glyph drawn, which nothing here draws. Instead the
    // fonts go to a document that accepts @font-face rules and keeps none.
    ...(options.plainSettings ? { disableFontFace: true } : { disableFontFace: false, ownerDocument: FONTLESS_DOCUMENT as unknown as Document }),
    verbosity: 0,
    // standardFontDataUrl: join(pdfjsRoot, 'standard_fonts/'),
    cMapUrl: join(pdfjsRoot, 'cmaps/'),
    cMapPacked: true,
    stopAtErrors: false,
    // Pictures carry no text or rules: skip decoding them (they dominate the time on scanned-looking pages).
    maxImageSize: 1,
  });
  let doc: Pdfjs.PDFDocumentProxy | undefined;
  try {
    try {
      doc = await task.promise;
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'PasswordException') throw new RectraceError('pdf/encrypted', 'the PDF needs a password', { cause: err });
      throw new RectraceError('pdf/corrupt', `the PDF cannot be parsed: ${(err as Error)?.message ?? err}`, { cause: err });
    }
    const meta = await readMeta(doc);
    const count = Math.min(doc.numPages, options.maxPages ?? Infinity);
    const pages: RawPage[] = [];
    const unreadable: Array<{ page: number; reason: string }> = [];
    // A damaged page costs that page, not the document.
    const loadOrSkip = (k: number) =>
      loadPage(doc!, k).catch((err: unknown) => {
        if (err instanceof RectraceError) throw err;
        unreadable.push({ page: k, reason: String((err as Error)?.message ?? err).slice(0, 200) });
        return null;
      });
    // A few pages in flight keep the in-process worker busy; memory stays bounded by the window.
    const WINDOW = 3;
    for (let n = 1; n <= count; n += WINDOW) {
      if (options.signal?.aborted) throw new RectraceError('input/timeout', 'PDF reading was aborted');
      const batch: Promise<RawPage | null>[] = [];
      for (let k = n; k < n + WINDOW && k <= count; k++) batch.push(loadOrSkip(k));
      for (const page of await Promise.all(batch)) if (page) pages.push(page);
    }
    if (pages.length === 0 && count > 0) {
      throw new RectraceError('pdf/corrupt', `no page of the PDF can be read: ${unreadable[0]?.reason ?? 'unknown error'}`);
    }
    return { pages, numPages: doc.numPages, meta, ...(unreadable.length ? { unreadable } : {}) };
  } finally {
    if (doc) await doc.destroy();
    else await task.destroy().catch(() => undefined);
  }
}

async function readMeta(doc: Pdfjs.PDFDocumentProxy): Promise<RawDoc['meta']> {
  try {
    const { info } = (await doc.getMetadata()) as unknown as { info?: Record<string, unknown> };
    const title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
    const rawDate = typeof info?.CreationDate === 'string' ? info.CreationDate : undefined;
    const m = rawDate?.match(/^(?:D:)?(\d{4})(\d{2})?(\d{2})?/);
    const date = m ? [m[1], m[2], m[3]].filter(Boolean).join('-') : undefined;
    return { title, date };
  } catch {
    return {};
  }
}

async function loadPage(doc: Pdfjs.PDFDocumentProxy, n: number): Promise<RawPage> {
  const page = await doc.getPage(n);
  try {
    const [x0, y0, x1, y1] = page.view;
    // Both passes share the worker's font cache; running them together fills the gaps
    // the in-process worker leaves while messages travel. Annotations are not page content.
    const [ops, tc] = await Promise.all([
      page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE }),
      // Raw text: ligatures and compatibility forms are left to the normalise stage.
      page.getTextContent({ includeMarkedContent: true, disableNormalization: true }),
    ]);
    const graphics = readGraphics(ops.fnArray, ops.argsArray);
    const finite = (g: Segment) => Number.isFinite(g.x0) && Number.isFinite(g.y0) && Number.isFinite(g.x1) && Number.isFinite(g.y1);
    const [segments, fills, art] = [graphics.segments.filter(finite), graphics.fills.filter(finite), graphics.art.filter(finite)];
    const items: RawText[] = [];
    let mcid: string | undefined;
    const mcStack: (string | undefined)[] = [];
    const fontInfo = new Map<string, { bold: boolean; italic: boolean }>();
    for (const it of tc.items as any[]) {
      if (it.type === 'beginMarkedContentProps' || it.type === 'beginMarkedContent') {
        mcStack.push(mcid);
        if (it.id) mcid = it.id;
        continue;
      }
      if (it.type === 'endMarkedContent') {
        mcid = mcStack.pop();
        continue;
      }
      if (typeof it.str !== 'string' || it.str.length === 0) continue;
      const [a, b, c, d, e, f] = it.transform as number[];
      // A damaged file can carry NaN or infinite positions: such text has no place to report.
      if (![a, b, c, d, e, f].every(Number.isFinite)) continue;
      let fi = fontInfo.get(it.fontName);
      if (!fi) {
        fi = fontStyle(page, it.fontName, (tc.styles as any)[it.fontName]?.fontFamily);
        fontInfo.set(it.fontName, fi);
      }
      const size = Math.hypot(c, d) || Math.hypot(a, b);
      items.push({
        str: it.str,
        x: e,
        y: f,
        w: it.width,
        size,
        dir: Math.abs(b) > Math.abs(a) ? (b > 0 ? 90 : 270) : a < 0 ? 180 : 0,
        font: it.fontName,
        bold: fi.bold,
        italic: fi.italic,
        mcid,
      });
    }
    let struct: StructNode | undefined;
    try {
      struct = ((await page.getStructTree()) as StructNode | null) ?? undefined;
    } catch {
      struct = undefined;
    }
    return { page: n, box: [x0, y0, x1, y1], rotate: page.rotate, items, segments, fills, art, struct, ...(graphics.ocrLayer ? { ocrLayer: true } : {}) };
  } finally {
    page.cleanup();
  }
}

function fontStyle(page: Pdfjs.PDFPageProxy, fontName: string, family?: string): { bold: boolean; italic: boolean } {
  let name = family ?? '';
  try {
    if (page.commonObjs.has(fontName)) {
      const f = page.commonObjs.get(fontName) as { name?: string; bold?: boolean; black?: boolean; italic?: boolean };
      name = `${f?.name ?? ''} ${name}`;
      if (f?.bold || f?.black) return { bold: true, italic: !!f.italic || /italic|oblique/i.test(name) };
    }
  } catch {
    // font not resolved: fall back to the family name
  }
  return { bold: /bold|black|heavy|semibold|demi/i.test(name), italic: /italic|oblique/i.test(name) };
}

interface GraphicsState {
  ctm: Matrix;
  lineWidth: number;
  /** '#rrggbb', as pdf.js hands every colour over. */
  fillColor: string;
  strokeColor: string;
}

function graphicsState(): { cur: GraphicsState; stack: GraphicsState[] } {
  return { cur: { ctm: [1, 0, 0, 1, 0, 0], lineWidth: 1, fillColor: '#000000', strokeColor: '#000000' }, stack: [] };
}

/** Applies an operator that changes the graphics state (save/restore, transforms, forms, line width, colours); false for any other. */
function trackState(g: { cur: GraphicsState; stack: GraphicsState[] }, fn: number, args: any[]): boolean {
  switch (fn) {
    case OPS.save:
      g.stack.push(g.cur);
      return true;
    case OPS.restore:
    case OPS.paintFormXObjectEnd:
      g.cur = g.stack.pop() ?? g.cur;
      return true;
    case OPS.transform:
      g.cur = { ...g.cur, ctm: mul(g.cur.ctm, args as Matrix) };
      return true;
    case OPS.paintFormXObjectBegin:
      g.stack.push(g.cur);
      if (Array.isArray(args?.[0]) || ArrayBuffer.isView(args?.[0])) g.cur = { ...g.cur, ctm: mul(g.cur.ctm, Array.from(args[0] as ArrayLike<number>) as Matrix) };
      return true;
    case OPS.setLineWidth:
      g.cur = { ...g.cur, lineWidth: args[0] };
      return true;
    case OPS.setFillRGBColor:
    case OPS.setFillColor:
      if (typeof args?.[0] === 'string') g.cur = { ...g.cur, fillColor: args[0] };
      return true;
    case OPS.setStrokeRGBColor:
    case OPS.setStrokeColor:
      if (typeof args?.[0] === 'string') g.cur = { ...g.cur, strokeColor: args[0] };
      return true;
    default:
      return false;
  }
}

/** Whether a constructPath's painting operator strokes, fills, and fills by the even-odd rule. */
function pathPaint(op: number): { stroke: boolean; fill: boolean; evenOdd: boolean } {
  return {
    stroke: op === OPS.stroke || op === OPS.closeStroke || op === OPS.fillStroke || op === OPS.eoFillStroke || op === OPS.closeFillStroke || op === OPS.closeEOFillStroke,
    fill: op === OPS.fill || op === OPS.eoFill || op === OPS.fillStroke || op === OPS.eoFillStroke || op === OPS.closeFillStroke || op === OPS.closeEOFillStroke,
    evenOdd: op === OPS.eoFill || op === OPS.eoFillStroke || op === OPS.closeEOFillStroke,
  };
}

/**
 * Walks the operator list keeping the current transform, and returns the
 * straight axis-aligned pieces of painted paths: stroked lines and the edges of
 * thin filled rectangles (how Word draws borders). Curves are ignored.
 */
function readGraphics(fnArray: number[], argsArray: unknown[][]): { segments: Segment[]; fills: Segment[]; art: Segment[]; ocrLayer: boolean } {
  const segments: Segment[] = [];
  const fills: Segment[] = [];
  const art: Segment[] = [];
  const g = graphicsState();
  let invisibleText = false;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as any[];
    if (trackState(g, fn, args)) continue;
    switch (fn) {
      case OPS.setTextRenderingMode:
        // Modes 3 and 7 draw no glyphs: the text a scanner's OCR lays over its picture
        // (the picture itself is not decoded here: maxImageSize).
        if (args[0] === 3 || args[0] === 7) invisibleText = true;
        break;
      case OPS.constructPath: {
        const data = args[1]?.[0] as ArrayLike<number> | null | undefined;
        if (!data) break;
        const { stroke, fill } = pathPaint(args[0] as number);
        if (!stroke && !fill) break;
        const { ctm, fillColor, strokeColor } = g.cur;
        const lw = g.cur.lineWidth * Math.hypot(ctm[0], ctm[1]);
        addPath(data, ctm, stroke && !isWhite(strokeColor), fill && !isWhite(fillColor), lw, segments, fills, art, fill ? fillLuminance(fillColor) : 1);
        break;
      }
      default:
        break;
    }
  }
  return { segments, fills, art, ocrLayer: invisibleText };
}

function isWhite(hex: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return false;
  return parseInt(m[1], 16) > 240 && parseInt(m[2], 16) > 240 && parseInt(m[3], 16) > 240;
}

/** A fill colour's luminance, 0 black … 1 white; the last answer is kept, as fills repeat one colour. */
let lastHex = '';
let lastLum = 0;
function fillLuminance(hex: string): number {
  if (hex !== lastHex) {
    lastHex = hex;
    lastLum = Math.round((luminance(hex) / 255) * 1000) / 1000;
  }
  return lastLum;
}

function addPath(data: ArrayLike<number>, ctm: Matrix, stroke: boolean, fill: boolean, lw: number, segments: Segment[], fills: Segment[], art: Segment[], lum: number): void {
  // Split into subpaths of straight pieces.
  const subpaths: [number, number][][] = [];
  let cur: [number, number][] = [];
  let hasCurve = false;
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === DRAW.moveTo) {
      if (cur.length) subpaths.push(cur);
      cur = [apply(ctm, data[i], data[i + 1])];
      i += 2;
    } else if (op === DRAW.lineTo) {
      cur.push(apply(ctm, data[i], data[i + 1]));
      i += 2;
    } else if (op === DRAW.curveTo) {
      hasCurve = true;
      cur.push(apply(ctm, data[i + 4], data[i + 5]));
      i += 6;
    } else if (op === DRAW.quadraticCurveTo) {
      hasCurve = true;
      cur.push(apply(ctm, data[i + 2], data[i + 3]));
      i += 4;
    } else if (op === DRAW.closePath) {
      if (cur.length) cur.push(cur[0]);
    } else break;
  }
  if (cur.length) subpaths.push(cur);
  for (const sp of subpaths) {
    if ((stroke || fill) && sp.length >= 2) {
      let slanted = hasCurve;
      for (let k = 1; k < sp.length && !slanted; k++) {
        const dx = Math.abs(sp[k][0] - sp[k - 1][0]);
        const dy = Math.abs(sp[k][1] - sp[k - 1][1]);
        if (dx > 1 && dy > 1) slanted = true;
      }
      if (slanted) {
        const xs = sp.map((p) => p[0]);
        const ys = sp.map((p) => p[1]);
        art.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys), w: 0 });
      }
    }
    if (fill) {
      // A filled shape: thin ones are rules; large ones (cell shading) give their edges.
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [x, y] of sp) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
      if (sp.length >= 4 && !hasCurve) fills.push({ x0: minX, y0: minY, x1: maxX, y1: maxY, w: 0, lum });
    }
    if (stroke) {
      for (let k = 1; k < sp.length; k++) {
        const [ax, ay] = sp[k - 1];
        const [bx, by] = sp[k];
        if (Math.abs(ax - bx) < 0.5 || Math.abs(ay - by) < 0.5) {
          segments.push({ x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by), w: lw });
        }
      }
    }
  }
}

/** A page's paint records for the rasteriser (pages without a text layer, for OCR). */
export interface PaintedPage {
  page: number;
  box: [number, number, number, number];
  rotate: number;
  paints: Paint[];
}

/**
 * Loads the document again, this time decoding pictures (the first pass skips
 * them for speed), and hands the paint records of each listed page to
 * `onPage`, one page at a time so only one page's pictures are held.
 */
export async function paintPages(bytes: Uint8Array, pageNumbers: number[], onPage: (p: PaintedPage) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: false,
    ownerDocument: FONTLESS_DOCUMENT as unknown as Document,
    verbosity: 0,
    cMapUrl: join(pdfjsRoot, 'cmaps/'),
    cMapPacked: true,
    stopAtErrors: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
  });
  let doc: Pdfjs.PDFDocumentProxy | undefined;
  try {
    doc = await task.promise;
    for (const n of pageNumbers) {
      if (signal?.aborted) throw new RectraceError('input/timeout', 'PDF reading was aborted');
      const page = await doc.getPage(n);
      try {
        const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
        const paints = await readPaints(page, ops.fnArray, ops.argsArray);
        const [x0, y0, x1, y1] = page.view;
        await onPage({ page: n, box: [x0, y0, x1, y1], rotate: page.rotate, paints });
      } finally {
        page.cleanup();
      }
    }
  } finally {
    if (doc) await doc.destroy();
    else await task.destroy().catch(() => undefined);
  }
}

const luminance = (hex: string): number => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? Math.round(0.299 * parseInt(m[1], 16) + 0.587 * parseInt(m[2], 16) + 0.114 * parseInt(m[3], 16)) : 0;
};

interface PdfImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

function imageObject(page: Pdfjs.PDFPageProxy, id: string): Promise<PdfImage | undefined> {
  const store = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    try {
      store.get(id, (obj: unknown) => resolve(obj as PdfImage));
    } catch {
      resolve(undefined);
    }
    // An object pdf.js never resolves (a damaged image) leaves the page without it.
    setTimeout(() => resolve(undefined), 10_000).unref();
  });
}

/** An image's pixels as grey (and alpha when it has any); undefined for a form pdf.js did not give as pixels. */
function greyOf(img: PdfImage): { grey: Uint8Array; alpha?: Uint8Array } | undefined {
  const { width: w, height: h, data, kind } = img;
  if (!data || !(w > 0) || !(h > 0)) return undefined;
  const grey = new Uint8Array(w * h);
  if (kind === pdfjs.ImageKind.GRAYSCALE_1BPP) {
    const rowBytes = (w + 7) >> 3;
    if (data.length < rowBytes * h) return undefined;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) grey[y * w + x] = data[y * rowBytes + (x >> 3)] & (128 >> (x & 7)) ? 255 : 0;
    return { grey };
  }
  if (kind === pdfjs.ImageKind.RGB_24BPP) {
    if (data.length < 3 * w * h) return undefined;
    for (let i = 0; i < w * h; i++) grey[i] = Math.round(0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2]);
    return { grey };
  }
  if (kind === pdfjs.ImageKind.RGBA_32BPP) {
    if (data.length < 4 * w * h) return undefined;
    const alpha = new Uint8Array(w * h);
    let translucent = false;
    for (let i = 0; i < w * h; i++) {
      grey[i] = Math.round(0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]);
      alpha[i] = data[4 * i + 3];
      if (alpha[i] < 255) translucent = true;
    }
    return translucent ? { grey, alpha } : { grey };
  }
  return undefined;
}

/** A stencil mask (1 bit a pixel, 0 = paint) painted in one grey. */
function maskOf(img: PdfImage, fill: number): { grey: Uint8Array; alpha: Uint8Array } | undefined {
  const { width: w, height: h, data } = img;
  if (!data || !(w > 0) || !(h > 0)) return undefined;
  const rowBytes = (w + 7) >> 3;
  if (data.length < rowBytes * h) return undefined;
  const alpha = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) alpha[y * w + x] = data[y * rowBytes + (x >> 3)] & (128 >> (x & 7)) ? 0 : 255;
  return { grey: new Uint8Array(w * h).fill(fill), alpha };
}

/** Walks a page's operator list like readGraphics, keeping what paints: filled and stroked paths, pictures and stencil masks. */
async function readPaints(page: Pdfjs.PDFPageProxy, fnArray: number[], argsArray: unknown[][]): Promise<Paint[]> {
  const paints: Paint[] = [];
  const g = graphicsState();
  const image = (pixels: { grey: Uint8Array; alpha?: Uint8Array } | undefined, img: PdfImage, at: Matrix) => {
    if (pixels) paints.push({ kind: 'image', ctm: at, width: img.width, height: img.height, ...pixels });
  };
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as any[];
    if (trackState(g, fn, args)) continue;
    const { ctm } = g.cur;
    switch (fn) {
      case OPS.constructPath: {
        const data = args[1]?.[0] as ArrayLike<number> | null | undefined;
        if (!data) break;
        const { stroke, fill, evenOdd } = pathPaint(args[0] as number);
        if (!stroke && !fill) break;
        const polygons = pathPolygons(data, ctm);
        if (fill) paints.push({ kind: 'fill', polygons, evenOdd, grey: luminance(g.cur.fillColor) });
        if (stroke) paints.push({ kind: 'fill', polygons: strokePolygons(polygons, g.cur.lineWidth * Math.hypot(ctm[0], ctm[1])), evenOdd: false, grey: luminance(g.cur.strokeColor) });
        break;
      }
      case OPS.paintImageXObject: {
        if (typeof args?.[0] !== 'string') break;
        const img = await imageObject(page, args[0]);
        if (img) image(greyOf(img), img, ctm);
        break;
      }
      case OPS.paintInlineImageXObject:
        if (args?.[0]) image(greyOf(args[0] as PdfImage), args[0] as PdfImage, ctm);
        break;
      case OPS.paintImageMaskXObject: {
        const ref = args?.[0] as (PdfImage & { data?: unknown }) | undefined;
        const img = typeof ref?.data === 'string' ? await imageObject(page, ref.data) : ref;
        if (img) image(maskOf(img, luminance(g.cur.fillColor)), img, ctm);
        break;
      }
      default:
        break;
    }
  }
  return paints;
}
