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

/** Porter stem of a lower-case word. */
export function stem(word: string): string {
  return PorterStemmer.stem(word);
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
