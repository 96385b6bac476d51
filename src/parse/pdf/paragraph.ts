// What a PDF paragraph's lines say about it: a list label at its start (kept
// apart from the text), a contents entry (dot leaders, a trailing page number
// on a contents page), emphasis, and its indent from the page's text margin.
import type { Line, Word } from './types.js';
import { wordsText } from './words.js';

/** Dot leaders (". . . ." or "……") with the page number that ends a contents entry. */
const LEADER_END = /\s*(?:(?:\.\s?){4,}|…{2,}|(?:·\s?){4,}|_{4,})\s*(\d{1,4}|[ivxlc]{1,7})?\s*$/i;
const LEADER_ANY = /\s*(?:(?:\.\s?){4,}|…{2,}|(?:·\s?){4,})\s*/g;
const CONTENTS_HEADING = /^\s*(table of )?contents\s*$/i;

export const isContentsHeading = (text: string): boolean => CONTENTS_HEADING.test(text);

/**
 * A line that ends a contents entry: a dot leader before a page number, or (for a
 * line of a contents page) a page number set apart by a wide gap (a right-aligned column).
 */
export function isContentsEntry(text: string, pageLine?: Line): boolean {
  if (/(?:(?:\.\s?){4,}|…{2,}|(?:·\s?){4,})\s*(\d{1,4}|[ivxlc]{1,7})\s*$/i.test(text)) return true;
  if (!pageLine) return false;
  const ws = pageLine.words.filter((w) => !w.sup);
  const last = ws[ws.length - 1];
  const before = ws[ws.length - 2];
  return !!last && !!before && /^(\d{1,3}|[ivxlc]{1,7})$/i.test(last.text) && last.x0 - before.x1 >= 1.5 * last.size;
}

/** A contents entry's text without its leader and page number; leaders anywhere else become one space. */
export function stripLeaders(text: string, entry: boolean): string {
  let t = text.replace(LEADER_END, '');
  if (entry) t = t.replace(/\s+(\d{1,4}|[ivxlc]{1,7})\s*$/i, '');
  return t.replace(LEADER_ANY, ' ').trim();
}

const GLYPH = /^([•●▪■◦·○\uf0b7\uf0a7\uf0d8\uf0fc✓✔☑√➢►▶]|-|–)$/;
const ROMAN = /^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;
const STARTS_TEXT = /^[A-Z‘'"“(\d]/;

export interface LabelSplit {
  /** the label as printed, e.g. "1.", "(a)", "8.3", "R4" */
  label: string;
  /** left edge of the label (or of the glyph before it) */
  x0: number;
  /** words of the first line that the label (and a glyph before it) takes */
  take: number;
}

/** A list label at the start of a line: "1.", "1)", "(1)", "a.", "(a)", "(i)", "8.3", "R1", "1" before a tab-like gap; a glyph or tick before it goes too. */
export function splitLabel(l: Line): LabelSplit | undefined {
  const ws: Word[] = l.words;
  let i = 0;
  while (ws[i]?.sup) i++;
  const start = i;
  if (ws[i] && GLYPH.test(ws[i].text) && ws[i + 1] && labelKind(ws[i + 1], ws[i + 2])) i++;
  const w = ws[i];
  const next = ws[i + 1];
  if (!w || !next || !labelKind(w, next)) return undefined;
  return { label: w.text, x0: ws[start].x0, take: i + 1 };
}

function labelKind(w: Word, next: Word | undefined): boolean {
  if (!next) return false;
  const t = w.text;
  const m = /^\(?([a-z]{1,6}|[A-Z]|\d{1,3})[.)]$/.exec(t) ?? /^\(([a-z]{1,6}|[A-Z]|\d{1,3})\)$/.exec(t);
  if (m) {
    const core = m[1];
    if (/^\d+$/.test(core) || core.length === 1) return true;
    return ROMAN.test(core);
  }
  // Decimal numbers, "R1" and bare numbers need the text to start like a sentence.
  if (/^\d{1,3}(\.\d{1,3})+\.?$/.test(t) || /^R\d{1,3}[.:]?$/.test(t)) return STARTS_TEXT.test(next.text) && !/^\d/.test(next.text);
  if (/^\d{1,3}$/.test(t)) return next.x0 - w.x1 >= 0.9 * w.size && /^[A-Z‘'"“(]/.test(next.text);
  return false;
}

export const isBulletLine = (l: Line): boolean => {
  const first = l.words.find((w) => !w.sup);
  return !!first && GLYPH.test(first.text) && l.words.length > 1;
};

/** The page's main text margin: the most common left edge of its lines, and how many lines start there. */
export function textMargin(lines: Line[]): { x: number; n: number } | undefined {
  const count = new Map<number, number>();
  for (const l of lines) {
    const k = Math.round(l.x0);
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  let best: number | undefined;
  let n = 0;
  for (const [k, c] of count) {
    // Neighbouring positions (within 2pt) count together.
    const near = (count.get(k - 1) ?? 0) + (count.get(k + 1) ?? 0) + c;
    if (near > n || (near === n && best !== undefined && k < best)) {
      best = k;
      n = near;
    }
  }
  return best === undefined ? undefined : { x: best, n };
}

export const emphasisOf = (lines: Line[]): 'bold' | 'italic' | undefined =>
  lines.every((l) => l.bold) ? 'bold' : lines.every((l) => l.italic) ? 'italic' : undefined;

export const lineText = (l: Line): string => wordsText(l.words);
