// The one module that imports `natural` (DESIGN: each library in one module).
// Everything else in match/ works on the plain stems and numbers returned here.
import natural from 'natural';

const stopwords = new Set<string>(natural.stopwords);

/** Porter stem of a lower-case word. */
export function stem(word: string): string {
  return natural.PorterStemmer.stem(word);
}

export function isStopword(word: string): boolean {
  return stopwords.has(word);
}

/**
 * Inverse document frequencies from natural's TfIdf over a corpus of already
 * stemmed token lists (one per recommendation, both generations together, so a
 * term common to both documents weighs little). natural: 1 + ln(N / (1 + df)).
 */
export function inverseDocumentFrequencies(corpus: string[][]): Map<string, number> {
  const tfidf = new natural.TfIdf();
  const vocabulary = new Set<string>();
  for (const tokens of corpus) {
    // An array is taken as already tokenised: natural neither lower-cases nor drops stop words.
    tfidf.addDocument(tokens);
    for (const t of tokens) vocabulary.add(t);
  }
  const idf = new Map<string, number>();
  for (const t of [...vocabulary].sort()) idf.set(t, tfidf.idf(t));
  return idf;
}

/** Dice coefficient over character bigrams (natural's, case and space folded). */
export function dice(a: string, b: string): number {
  if (!a || !b) return 0;
  return natural.DiceCoefficient(a, b);
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
  return natural.JaroWinklerDistance(a, b, {});
}
