// Plain data passed from load.ts (the pdf.js reader) to the layout analysis.
// All coordinates are PDF user space: points, origin bottom-left, y up.

export interface RawText {
  str: string;
  /** baseline start */
  x: number;
  y: number;
  /** advance width */
  w: number;
  /** font size in points */
  size: number;
  /** text direction in degrees (0 = normal) */
  dir: number;
  font: string;
  bold: boolean;
  italic: boolean;
  /** marked-content id (tagged PDF) */
  mcid?: string;
}

/** An axis-aligned straight piece: a stroked line, or a filled rectangle's box. */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** stroke width (0 for fills) */
  w: number;
  /** fills: luminance of the fill colour, 0 black … 1 white (white fills are not kept) */
  lum?: number;
}

export interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

export interface RawPage {
  page: number;
  /** [x0, y0, x1, y1] of the page's view box */
  box: [number, number, number, number];
  rotate: number;
  items: RawText[];
  segments: Segment[];
  fills: Segment[];
  /** boxes of painted curves and slanted lines (charts, drawings) */
  art: Segment[];
  struct?: StructNode;
  /** The page sets invisible text: a scan whose text layer a scanner's OCR made. */
  ocrLayer?: boolean;
}

export interface RawDoc {
  pages: RawPage[];
  numPages: number;
  /** Pages pdf.js could not read (damaged content streams); the others are kept. */
  unreadable?: Array<{ page: number; reason: string }>;
  meta: { title?: string; date?: string };
  /** Set when pages without a text layer went to OCR: the pages where it found text, and the mean word confidence (0–100, by characters). */
  ocr?: { pages: number[]; confidence: number };
  /** Words OCR (ours, or the scanner's text layer) misread by a classic glyph confusion, put right (normalise/ocr-words.ts). */
  ocrCorrected?: Array<{ page: number; read: string; word: string }>;
  /** Pages without a text layer left unread because OCR was off. */
  unread?: number[];
}

/** A word: a run of glyphs without a wide gap, in the page's reading frame. */
export interface Word {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** baseline */
  base: number;
  size: number;
  bold: boolean;
  /** set in an italic or oblique font */
  italic?: boolean;
  mcid?: string;
  /** superscript (footnote marker) relative to its line */
  sup?: boolean;
}

/** A text line: words sharing a baseline, possibly across table columns. */
export interface Line {
  words: Word[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  base: number;
  size: number;
  bold: boolean;
  /** every word italic */
  italic?: boolean;
}
