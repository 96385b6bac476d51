// The one module that imports `natural` (DESIGN: each library in one module).
// Everything else in match/ works on the plain stems and numbers returned here.
//
// Only the submodules used are loaded: natural's index also loads its storage
// back-ends, which call require('dotenv').config() (printing to stdout and
// reading any .env in the user's working directory into process.env) and pull
// in database clients that cost seconds at start-up. None of the files below
// requires anything beyond underscore and natural's own tokenisers/stop words.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(word: string): string };
const stopwordList = (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
const diceCoefficient = require('natural/lib/natural/distance/dice_coefficient.js') as (a: string, b: string) => number;
const jaroWinklerDistance = require('natural/lib/natural/distance/jaro-winkler_distance.js') as (
  a: string,
  b: string,
  options: Record<string, unknown>,
) => number;

const stopwords = new Set<string>(stopwordList);

// The stemmer is pure and slow (a dozen regular expressions per word) while a
// report's vocabulary is small: each word is stemmed once per process. Bounded,
// so a stream of unusual words cannot grow it without limit.
const stems = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** Porter stem of a lower-case word. */
export function stem(word: string): string {
  let st = stems.get(word);
  if (st === undefined) {
    if (stems.size >= STEM_CACHE_MAX) stems.clear();
    st = PorterStemmer.stem(word);
    stems.set(word, st);
  }
  return st;
}

export function isStopword(word: string): boolean {
  return stopwords.has(word);
}

/**
 * Inverse document frequencies over a corpus of already stemmed token lists
 * (one per recommendation, both generations together, so a term common to both
 * documents weighs little), by natural's TfIdf formula: 1 + ln(N / (1 + df)).
 * Counted here in one pass: natural's TfIdf.idf scans every document for each
 * term, which with word pairs at 2,000 x 2,000 took seconds.
 */
export function inverseDocumentFrequencies(corpus: string[][]): Map<string, number> {
  const df = new Map<string, number>();
  for (const tokens of corpus) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const t of [...df.keys()].sort()) idf.set(t, 1 + Math.log(corpus.length / (1 + df.get(t)!)));
  return idf;
}

/** Dice coefficient over character bigrams (natural's, case and space folded). */
export function dice(a: string, b: string): number {
  if (!a || !b) return 0;
  return diceCoefficient(a, b);
}

/**
 * The same Dice as natural's DiceCoefficient (sets of character bigrams of the
 * lower-cased, space-folded text), with each text's bigrams computed once:
 * natural rebuilds them for every pair, the slow part at 2,000 x 2,000.
 */
export function bigramSet(text: string): Set<string> {
  let s = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (s.length === 1) s += ' ';
  const out = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

/**
 * The same bigrams as bigramSet, each as one number (two UTF-16 code units),
 * sorted and unique: Dice over these is a merge of two arrays, no string or
 * hash work per pair.
 */
export function bigramCodes(text: string): Uint32Array {
  let s = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (s.length === 1) s += ' ';
  const codes = new Uint32Array(Math.max(0, s.length - 1));
  for (let i = 0; i < s.length - 1; i++) codes[i] = s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1);
  codes.sort();
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[n++] = codes[i];
  return codes.slice(0, n);
}

/** diceOfSets over bigramCodes. */
export function diceOfCodes(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

export function diceOfSets(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const x of small) if (large.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Jaro-Winkler similarity, for short strings such as labels. */
export function jaroWinkler(a: string, b: string): number {
  return jaroWinklerDistance(a, b, {});
}
