// Page-level table shapes shared by the three detection methods, and the
// conversion of a cell's words into raw text (lines "\n", paragraphs "\n\n").
import type { TableMethod } from '../../schema.js';
import type { Word } from './types.js';
import { toLines, wordsText } from './words.js';

export type Box = [number, number, number, number];

export interface PCell {
  col: number;
  rowSpan: number;
  colSpan: number;
  words: Word[];
  /** the cell's area when it has no words (grid cell or column × line band) */
  area: Box;
  /** extra locations: text already read on another page (stitching) */
  orig?: string;
  provs?: { page: number; bbox: Box }[];
}

export interface PRow {
  cells: PCell[];
  header?: boolean;
  page: number;
}

export interface PTable {
  method: TableMethod;
  confidence: number;
  page: number;
  box: Box;
  rows: PRow[];
  /** column boundaries (left edges and the last right edge), for stitching */
  xs: number[];
}

export const r2 = (n: number): number => Math.round(n * 100) / 100;
export const roundBox = (b: Box): Box => [r2(b[0]), r2(b[1]), r2(b[2]), r2(b[3])];

export function wordsBox(words: Word[]): Box | undefined {
  if (!words.length) return undefined;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const w of words) {
    x0 = Math.min(x0, w.x0); y0 = Math.min(y0, w.y0); x1 = Math.max(x1, w.x1); y1 = Math.max(y1, w.y1);
  }
  return [x0, y0, x1, y1];
}

/** A numbered list label opening a line inside a cell: "1.", "(1)", "1)", "(a)", "(i)". */
const CELL_ITEM = /^(\(?\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-z][.)]|\([ivx]{1,5}\))\s/;
const LEADERS = /\s*(?:(?:\.\s?){4,}|…{2,})\s*/g;

/**
 * Raw text of a set of words: lines top to bottom joined by "\n"; a wider gap
 * makes "\n\n", and so does a list item that the line above does not wrap
 * into (it ends a clause or stops short of the cell's right edge).
 */
export function cellText(words: Word[]): string {
  if (!words.length) return '';
  const lines = toLines(words).sort((a, b) => b.base - a.base);
  const right = Math.max(...lines.map((l) => l.x1));
  let out = '';
  let prevText = '';
  for (let i = 0; i < lines.length; i++) {
    const t = wordsText(lines[i].words).replace(LEADERS, ' ').trim();
    if (!t) continue;
    if (out) {
      const gap = lines[i - 1].base - lines[i].base;
      const item = CELL_ITEM.test(`${t} `) && (/[.;:!?]$/.test(prevText) || lines[i - 1].x1 + 3 * lines[i].size < right);
      out += gap > 1.8 * Math.max(lines[i].size, lines[i - 1].size) || item ? '\n\n' : '\n';
    }
    out += t;
    prevText = t;
  }
  return out;
}

export function unionBox(a: Box | undefined, b: Box | undefined): Box | undefined {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export const inside = (w: Word, b: Box, tol = 0): boolean => {
  const cx = (w.x0 + w.x1) / 2;
  const cy = (w.y0 + w.y1) / 2;
  return cx >= b[0] - tol && cx <= b[2] + tol && cy >= b[1] - tol && cy <= b[3] + tol;
};
