// Text runs → words → lines. pdf.js items are runs of glyphs; a run may hold
// several words (and, rarely, several table cells separated by spaces), so
// runs are split at spaces with positions estimated from the character share.
import type { Line, RawText, Word } from './types.js';

const round = (n: number): number => Math.round(n * 100) / 100;

/** Splits runs into words in the page's normal (unrotated text) direction. */
export function toWords(items: RawText[]): Word[] {
  const pieces: Word[] = [];
  for (const it of items) {
    if (it.dir !== 0) continue; // rotated text (vertical headers, margins) is not laid out here
    const size = it.size || 1;
    const chars = [...it.str];
    const perChar = chars.length ? it.w / chars.length : 0;
    let start = -1;
    for (let i = 0; i <= chars.length; i++) {
      const ch = chars[i];
      const space = ch === undefined || /\s/.test(ch);
      if (!space && start < 0) start = i;
      if (space && start >= 0) {
        const text = chars.slice(start, i).join('');
        const x0 = it.x + start * perChar;
        const x1 = it.x + i * perChar;
        pieces.push({
          text,
          x0,
          x1,
          y0: it.y - 0.22 * size,
          y1: it.y + 0.78 * size,
          base: it.y,
          size,
          bold: it.bold,
          italic: it.italic,
          mcid: it.mcid,
        });
        start = -1;
      }
    }
  }
  // Glue pieces that touch (a word drawn in several runs, e.g. kerning or a font change).
  const out: Word[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (
      last &&
      Math.abs(last.base - p.base) < 0.15 * Math.min(last.size, p.size) &&
      p.x0 - last.x1 < 0.12 * Math.min(last.size, p.size) &&
      p.x0 - last.x1 > -0.5 * p.size &&
      last.mcid === p.mcid
    ) {
      last.text += p.text;
      last.x1 = Math.max(last.x1, p.x1);
      last.y0 = Math.min(last.y0, p.y0);
      last.y1 = Math.max(last.y1, p.y1);
      last.size = Math.max(last.size, p.size);
      last.bold = last.bold && p.bold;
      last.italic = !!last.italic && !!p.italic;
      continue;
    }
    out.push({ ...p });
  }
  return out;
}

/** Groups words into lines by vertical overlap; marks raised small words as superscripts. */
export function toLines(words: Word[]): Line[] {
  const sorted = [...words].sort((a, b) => b.base - a.base || a.x0 - b.x0);
  const lines: Line[] = [];
  for (const w of sorted) {
    let best: Line | undefined;
    let bestOverlap = 0;
    // Only recent lines can overlap (sorted by baseline descending).
    for (let k = lines.length - 1; k >= 0 && k >= lines.length - 4; k--) {
      const l = lines[k];
      const ov = Math.min(l.y1, w.y1) - Math.max(l.y0, w.y0);
      const h = Math.min(l.y1 - l.y0, w.y1 - w.y0);
      if (ov > 0.5 * h && ov > bestOverlap && !overlapsX(l, w)) {
        best = l;
        bestOverlap = ov;
      }
    }
    if (best) {
      best.words.push(w);
      best.x0 = Math.min(best.x0, w.x0);
      best.x1 = Math.max(best.x1, w.x1);
      if (w.size > best.size) {
        best.size = w.size;
        best.base = w.base;
        best.y0 = Math.min(best.y0, w.y0);
        best.y1 = Math.max(best.y1, w.y1);
      }
    } else {
      lines.push({ words: [w], x0: w.x0, x1: w.x1, y0: w.y0, y1: w.y1, base: w.base, size: w.size, bold: w.bold });
    }
  }
  for (const l of lines) {
    l.words.sort((a, b) => a.x0 - b.x0);
    l.y0 = Math.min(...l.words.map((w) => w.y0));
    l.y1 = Math.max(...l.words.map((w) => w.y1));
    // The line's main size/baseline: by characters.
    const bySize = new Map<number, number>();
    for (const w of l.words) bySize.set(round(w.size), (bySize.get(round(w.size)) ?? 0) + w.text.length);
    const main = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const mainWords = l.words.filter((w) => round(w.size) === main);
    l.size = main;
    l.base = mainWords[0].base;
    l.bold = l.words.every((w) => w.bold);
    l.italic = l.words.every((w) => w.italic);
    for (const w of l.words) {
      // A footnote marker: smaller, raised, and short (digits, symbols or a letter).
      if (w.size < 0.85 * main && w.base > l.base + 0.15 * main && /^[\d*†‡§a-z,]{1,4}$/i.test(w.text)) w.sup = true;
    }
  }
  return lines;
}

function overlapsX(l: Line, w: Word): boolean {
  // Two words at the same place are overprinted (fake bold), not one line.
  for (const o of l.words) if (Math.min(o.x1, w.x1) - Math.max(o.x0, w.x0) > 0.8 * Math.min(o.x1 - o.x0, w.x1 - w.x0) && o.text === w.text) return true;
  return false;
}

/** Splits a line into chunks at gaps wider than `gap` (points). */
export function chunks(line: Line, gapFactor: number): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  for (const w of line.words) {
    const prev = cur[cur.length - 1];
    // A list bullet belongs to the text after it, however far away.
    const bullet = prev && cur.length === 1 && (prev.sup || /^([•▪●■◦·\uf0b7\uf0a7–-]|[*†‡§]+)$/.test(prev.text));
    if (prev && !bullet && w.x0 - prev.x1 > gapFactor * Math.min(prev.size, w.size)) {
      out.push(cur);
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Joins words into a line's text, with one space between words. */
export function wordsText(words: Word[]): string {
  let s = '';
  let prev: Word | undefined;
  // Right edge of what was last on the line, a footnote marker included: the
  // gap after "Learning¹⁰" is measured from the marker, so "Learning¹⁰," reads
  // "Learning," and not "Learning ,".
  let edge = 0;
  for (const w of words) {
    if (w.sup) {
      // Footnote markers are kept apart.
      if (prev) edge = Math.max(edge, w.x1);
      continue;
    }
    if (prev) s += w.x0 - edge > 0.1 * Math.min(w.size, prev.size) ? ' ' : '';
    s += w.text;
    prev = w;
    edge = w.x1;
  }
  return s;
}
