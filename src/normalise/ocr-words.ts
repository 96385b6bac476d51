// OCR misreads one glyph shape as another ("services" read as "seivices",
// "modern" as "modem"). A lower-case word that is not an English word, and
// becomes exactly one English word when one classic confusion is undone, is
// corrected; everything else is left as read. The word list is the shipped
// word vectors' vocabulary (the 40,000 most frequent plain English words).
import { defaultWordVectors } from '../match/vectors.js';

/** Glyph shapes OCR confuses in print: what it read, and what the page may say. */
const CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['rn', 'm'], ['m', 'rn'], ['cl', 'd'], ['d', 'cl'], ['li', 'h'], ['h', 'li'], ['vv', 'w'], ['ii', 'u'],
  ['i', 'r'], ['r', 'i'], ['i', 'l'], ['l', 'i'], ['c', 'e'], ['e', 'c'], ['n', 'u'], ['u', 'n'], ['f', 't'], ['t', 'f'],
  ['1', 'l'], ['1', 'i'], ['0', 'o'], ['5', 's'],
];

/** Shorter words have too many neighbours to correct safely. */
const MIN_LENGTH = 4;

export type Lexicon = (word: string) => boolean;

let shipped: Lexicon | null | undefined;

/** The shipped word list, or null when its file is missing (then nothing is corrected). */
export function shippedLexicon(): Lexicon | null {
  if (shipped === undefined) {
    const v = defaultWordVectors();
    shipped = v ? (w: string) => v.index.has(w) : null;
  }
  return shipped;
}

/**
 * The word as the page most likely prints it: `word` itself unless it is an
 * unknown lower-case word with exactly one known neighbour one confusion away.
 * Punctuation around the word is kept; names (capitals) and numbers are never touched.
 */
export function correctOcrWord(word: string, known: Lexicon): string {
  const m = /^([^\p{L}\p{N}]*)([\p{L}\p{N}]+)([^\p{L}\p{N}]*)$/u.exec(word);
  if (!m) return word;
  const [, lead, core, tail] = m;
  // A part of a word broken at a line end ("coun-") is not a word.
  if (/^[-\u00ad\u2010]/.test(tail) || /[-\u00ad\u2010]$/.test(lead)) return word;
  if (core.length < MIN_LENGTH || !/^[a-z015]+$/.test(core) || !/[a-z]/.test(core) || /^\d+$/.test(core) || known(core)) return word;
  const found = new Set<string>();
  for (const [read, meant] of CONFUSIONS) {
    for (let at = core.indexOf(read); at >= 0; at = core.indexOf(read, at + 1)) {
      const candidate = core.slice(0, at) + meant + core.slice(at + read.length);
      if (known(candidate)) found.add(candidate);
    }
  }
  return found.size === 1 ? lead + [...found][0] + tail : word;
}
