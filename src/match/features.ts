// Per-recommendation term vectors and per-pair features. A pair's score is a
// weighted sum of features that each mean something to a reader (see
// DEFAULT_WEIGHTS), so the evidence shown beside a link explains the number.
import type { Evidence, MatchWeights } from '../schema.js';
import { BUILT_IN_GLOSSARY } from './glossary.js';
import { bigramCodes, diceOfCodes, inverseDocumentFrequencies, isStopword, jaroWinkler, stem } from './similarity.js';
import { cosine, type WordVectors } from './vectors.js';

export interface Item {
  /** Position in its document's recommendations array. */
  index: number;
  /** Reference used in links: the number, disambiguated when a document repeats it. */
  ref: string;
  number: string;
  section?: string;
  text: string;
  /** What the document says about the recommendation (response, update): it often names the topic the text only implies. */
  context?: string;
}

/** A term-weight map and the same entries as two arrays, for iterating without allocating per pair. */
export interface TermWeights {
  map: Map<string, number>;
  terms: string[];
  values: number[];
}

function termWeights(map: Map<string, number>): TermWeights {
  return { map, terms: [...map.keys()], values: [...map.values()] };
}

/** Sum over shared terms of the product of weights, in `a`'s order. */
function dotOf(a: TermWeights, b: TermWeights): number {
  let dot = 0;
  for (let i = 0; i < a.terms.length; i++) {
    const v = b.map.get(a.terms[i]);
    if (v !== undefined) dot += a.values[i] * v;
  }
  return dot;
}

export interface Prepared extends Item {
  stems: string[];
  weights: TermWeights;
  norm: number;
  /** Text and context together, for the context feature. */
  contextWeights: TermWeights;
  contextNorm: number;
  /** Adjacent content-word pairs ("stem stem") with their IDF. */
  phraseWeights: TermWeights;
  phraseNorm: number;
  keyTerms: string[];
  /** Lower-case, space-folded text for the character-level comparison. */
  plain: string;
  /** Character bigrams (bigramCodes). */
  bigrams: Uint32Array;
  /** Content words for the semantic feature: stem, word-vector row (-1: none) and IDF weight. */
  senses: Sense[];
  senseStems: Set<string>;
  senseWeight: number;
}

export interface Sense {
  stem: string;
  word: string;
  row: number;
  weight: number;
}

export type Weights = MatchWeights;

// Chosen on all four real and fixture pairs and the synthetic pair together
// (bench/link.ts). Context (the text with the older side's response and the
// newer side's update) carries most of the weight: researchers read those
// columns too, and a reworded recommendation's update often repeats the words
// its older response used. TF-IDF over the text alone keeps a share; Dice
// separates a republished text from a rewording; shared word pairs (phrases)
// add evidence without penalising a rewording that keeps none. Same number is
// evidence only (renumbering is common; a prior made 7->7 in the seed pair).
// Key-term overlap is evidence only: any weight on it lowered precision and
// recall on every pair with rewording. Semantic (soft overlap through word
// vectors) was added later, on all gold pairs including three written blind:
// it moved the seed's 16->2 ("business process ... governance" -> "corporate
// infrastructure") to the best pair of both items and raised mean F1 over the
// pairs (with the synthetic one) from 0.796 to 0.824 at the thresholds in
// DEFAULT_THRESHOLDS (npm run bench:link-grid).
export const DEFAULT_WEIGHTS: Weights = { tfidf: 0.3, context: 0.5, keyTerms: 0, dice: 0.2, phrases: 0.2, sameNumber: 0, sameSection: 0.02, semantic: 0.2 };

/**
 * GloVe 100d cosines (shipped int8 vectors): "governance"~"leadership" 0.61,
 * "systems"~"infrastructure" 0.60, "staffing"~"workforce" 0.55, "governance"~
 * "banana" -0.02. Generic words pair up too ("council"~"board" 0.71, "will"~
 * "plan" 0.69): their low IDF and the floor below keep them from carrying a link.
 * Chosen with the other constants on the gold pairs (bench/link.ts).
 */
export const SYNONYM_COSINE = 0.55;
/** Unrelated recommendations of one report reach about this soft overlap through shared generic words. */
export const SEMANTIC_FLOOR = 0.4;

/** How many of an item's heaviest stems count as its key terms. */
const KEY_TERMS = 6;
/** Dice between unrelated English sentences is rarely below this: rescale so that floor reads 0. */
const DICE_FLOOR = 0.6;
const IDF_MIN = 0.05;
const ONE_SIDED_WEIGHT = 0.5;

const WORD = /[A-Za-z][A-Za-z'\u2019]*|[0-9]+/g;

export interface Glossary {
  /** Acronym -> expansion (built-in, then documents' own; later wins). */
  expansions: Map<string, string>;
  /** Spelled-out forms by their first stem, so "Accelerated Progress Plan" also yields the concept APP. */
  phrases: Map<string, { acronym: string; stems: string[] }[]>;
}

/** Acronyms with their expansions: built-in, then each document's glossary (later wins). */
export function mergeGlossaries(...glossaries: (Record<string, string> | undefined)[]): Glossary {
  const expansions = new Map<string, string>(Object.entries(BUILT_IN_GLOSSARY));
  for (const g of glossaries) if (g) for (const [k, v] of Object.entries(g)) if (k.trim() && v.trim()) expansions.set(k.trim(), v);
  const phrases = new Map<string, { acronym: string; stems: string[] }[]>();
  for (const [acronym, expansion] of [...expansions].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const stems = plainStems(expansion);
    if (stems.length < 2) continue;
    const list = phrases.get(stems[0]) ?? [];
    list.push({ acronym, stems });
    phrases.set(stems[0], list);
  }
  return { expansions, phrases };
}

// Pure and called for every word of every text: memoised per process, bounded.
const contentWords = new Map<string, string | undefined>();
const CONTENT_WORD_CACHE_MAX = 200_000;

function contentWord(raw: string): string | undefined {
  if (contentWords.has(raw)) return contentWords.get(raw);
  if (contentWords.size >= CONTENT_WORD_CACHE_MAX) contentWords.clear();
  const word = contentWordOf(raw);
  contentWords.set(raw, word);
  return word;
}

function contentWordOf(raw: string): string | undefined {
  const word = raw.replace(/\u2019/g, "'").replace(/'s?$/i, '').toLowerCase().replace(/'/g, '');
  // Numbers are dropped: dates move between generations and "Recommendation 1"
  // inside a text would otherwise match whatever is numbered 1.
  if (word.length < 2 || /^[0-9]+$/.test(word) || isStopword(word)) return undefined;
  return word;
}

function plainStems(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = contentWord(m[0]);
    if (w) out.push(stem(w));
  }
  return out;
}

/** A stem and its term-frequency contribution (below 1 for words that come from an acronym's expansion). */
export interface Token {
  stem: string;
  tf: number;
}

function lookupAcronym(word: string, glossary: Glossary): [string, string] | undefined {
  const bare = word.replace(/\u2019/g, "'").replace(/'s?$/, '');
  // Acronyms match case-sensitively ("SEND" is not the verb "send"); a plural "ICBs" uses "ICB".
  if (!/[A-Z].*[A-Z]|^[A-Z][a-z]+$/.test(bare)) return undefined;
  const direct = glossary.expansions.get(bare);
  if (direct !== undefined) return [bare, direct];
  if (/^[A-Z][A-Za-z]*[A-Z]s$/.test(bare)) {
    const singular = glossary.expansions.get(bare.slice(0, -1));
    if (singular !== undefined) return [bare.slice(0, -1), singular];
  }
  return undefined;
}

/**
 * Stemmed content tokens. An acronym becomes a concept token (the acronym
 * itself, kept upper-case so it never collides with a word) plus its expansion's
 * words; a spelled-out expansion in the text adds the same concept token. The n
 * expansion words each count 1/sqrt(n): two texts that both say "SENDIASS"
 * match mainly on the rare concept, not on "support" and "service".
 */
export function tokenise(text: string, glossary: Glossary, depth = 0): Token[] {
  const out: Token[] = [];
  const plain: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const acronym = depth < 2 ? lookupAcronym(m[0], glossary) : undefined;
    if (acronym) {
      out.push({ stem: acronym[0], tf: 1 });
      const inner = tokenise(acronym[1], glossary, depth + 1);
      const share = 1 / Math.sqrt(Math.max(1, inner.length));
      for (const t of inner) out.push({ stem: t.stem, tf: t.tf * share });
      plain.push('');
      continue;
    }
    const w = contentWord(m[0]);
    if (!w) continue;
    const st = stem(w);
    out.push({ stem: st, tf: 1 });
    plain.push(st);
  }
  if (depth === 0) {
    // Adjacent content words as a phrase term (a space marks it): a clause carried
    // over keeps its word pairs, while texts that merely share vocabulary rarely do.
    for (let i = 0; i + 1 < plain.length; i++) {
      if (plain[i] && plain[i + 1]) out.push({ stem: `${plain[i]} ${plain[i + 1]}`, tf: 1 });
    }
  }
  if (depth === 0) {
    for (let i = 0; i < plain.length; i++) {
      for (const p of glossary.phrases.get(plain[i]) ?? []) {
        if (p.stems.every((st, k) => plain[i + k] === st)) out.push({ stem: p.acronym, tf: 1 });
      }
    }
  }
  return out;
}

/** Unique content words (by stem) with their word-vector rows; an acronym contributes its expansion's words. */
function sensesOf(text: string, glossary: Glossary, vectors: WordVectors | null): Omit<Sense, 'weight'>[] {
  const out: Omit<Sense, 'weight'>[] = [];
  const seen = new Set<string>();
  const add = (w: string) => {
    const st = stem(w);
    if (seen.has(st)) return;
    seen.add(st);
    out.push({ stem: st, word: w, row: vectors?.index.get(w) ?? vectors?.index.get(st) ?? -1 });
  };
  for (const m of text.matchAll(WORD)) {
    const acronym = lookupAcronym(m[0], glossary);
    const words = acronym ? [...acronym[1].matchAll(WORD)].map((x) => x[0]) : [m[0]];
    for (const raw of words) {
      const w = contentWord(raw);
      if (w) add(w);
    }
  }
  return out;
}

export function prepare(items: Item[][], glossary: Glossary, withContext = true, contextShare = 1, vectors: WordVectors | null = null): Prepared[][] {
  const all = items.map((side) => side.map((it) => tokenise(it.text, glossary)));
  const isPhrase = (t: Token) => t.stem.includes(' ');
  const tokens = all.map((side) => side.map((ts) => ts.filter((t) => !isPhrase(t))));
  const phraseTokens = all.map((side) => side.map((ts) => ts.filter(isPhrase)));
  const phraseIdf = new Map(
    [...inverseDocumentFrequencies(phraseTokens.flat().map((ts) => ts.map((t) => t.stem)))].map(([t, v]) => [t, Math.max(IDF_MIN, v - 1)]),
  );
  const stems = tokens.map((side) => side.map((ts) => ts.map((t) => t.stem)));
  // natural's idf is 1 + ln(N / (1 + df)); its floor of 1 lets a word found in
  // every recommendation weigh a third of the rarest. Matching is about what
  // distinguishes an item, so the floor is removed (kept just above 0).
  const idf = new Map([...inverseDocumentFrequencies(stems.flat())].map(([t, v]) => [t, Math.max(IDF_MIN, v - 1)]));
  // Words one generation never uses cannot link any pair; they still lengthen
  // the vector of the text that has them, which punishes exactly the rewording
  // this stage exists to see through. They count ONE_SIDED_WEIGHT in the norm and
  // never become key terms.
  const vocab = stems.map((side) => new Set(side.flat()));
  const contextTokens = items.map((side) => side.map((it) => (withContext && it.context ? tokenise(it.context, glossary).filter((t) => !isPhrase(t)) : [])));
  const contextIdf: Map<string, number> = !withContext ? idf : new Map(
    [...inverseDocumentFrequencies(contextTokens.flatMap((side, s) => side.map((ts, i) => [...stems[s][i], ...ts.map((t) => t.stem)])))].map(
      ([t, v]) => [t, Math.max(IDF_MIN, v - 1)],
    ),
  );
  return items.map((side, s) =>
    side.map((it, i) => {
      const other = vocab[1 - s] ?? new Set<string>();
      const weights = new Map<string, number>();
      // Binary-like tf (the strongest occurrence, not the sum): in a one-sentence
      // text a repeat says little, and "Alternative Provision (AP)" should not count twice.
      for (const t of tokens[s][i]) weights.set(t.stem, Math.max(weights.get(t.stem) ?? 0, t.tf * (idf.get(t.stem) ?? 1)));
      let norm = 0;
      for (const [t, w] of weights) norm += (other.has(t) ? w * w : ONE_SIDED_WEIGHT * ONE_SIDED_WEIGHT * w * w);
      const keyTerms = [...weights.entries()]
        .filter(([t]) => other.has(t))
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, KEY_TERMS)
        .map(([t]) => t);
      const contextWeights = new Map<string, number>();
      for (const t of [...tokens[s][i], ...contextTokens[s][i].map((c) => ({ stem: c.stem, tf: c.tf * contextShare }))]) {
        contextWeights.set(t.stem, Math.max(contextWeights.get(t.stem) ?? 0, t.tf * (contextIdf.get(t.stem) ?? 1)));
      }
      const phraseWeights = new Map<string, number>();
      for (const t of phraseTokens[s][i]) phraseWeights.set(t.stem, phraseIdf.get(t.stem) ?? 1);
      let phraseNorm = 0;
      for (const w of phraseWeights.values()) phraseNorm += w * w;
      let contextNorm = 0;
      for (const w of contextWeights.values()) contextNorm += w * w;
      const senses = vectors ? sensesOf(it.text, glossary, vectors).map((x) => ({ ...x, weight: idf.get(x.stem) ?? 1 })) : [];
      return {
        senses,
        senseStems: new Set(senses.map((x) => x.stem)),
        senseWeight: senses.reduce((sum, x) => sum + x.weight, 0),
        ...it,
        contextWeights: termWeights(contextWeights),
        contextNorm: Math.sqrt(contextNorm),
        phraseWeights: termWeights(phraseWeights),
        phraseNorm: Math.sqrt(phraseNorm),
        stems: stems[s][i],
        weights: termWeights(weights),
        norm: Math.sqrt(norm),
        keyTerms,
        plain: it.text.toLowerCase().replace(/\s+/g, ' ').trim(),
        bigrams: bigramCodes(it.text),
      };
    }),
  );
}

/** Word vectors and a cache of word-pair similarities shared by all pairs of one matching run. */
export interface SemanticContext {
  vectors: WordVectors;
  /** Word-vector row -> dense id among the words this run has met (-1: not yet), so cache keys stay small integers. */
  localId: Int32Array;
  nextLocal: number;
  /** Similarities among the first DENSE_IDS words met, and which are computed; allocated on first use. */
  dense?: { value: Float64Array; known: Uint8Array };
  /** Similarities of word pairs beyond those. */
  cache: Map<number, number>;
  synonymCosine: number;
  floor: number;
}

export function semanticContext(vectors: WordVectors | null, weights: Weights = DEFAULT_WEIGHTS): SemanticContext | undefined {
  return vectors
    ? { vectors, localId: new Int32Array(vectors.words.length).fill(-1), nextLocal: 0, cache: new Map(), synonymCosine: weights.synonymCosine ?? SYNONYM_COSINE, floor: weights.semanticFloor ?? SEMANTIC_FLOOR }
    : undefined;
}

// Most runs meet a few thousand distinct words: their similarities go in a
// flat matrix (calloc'd, so only the parts used become resident). Past that, a
// Map keyed by small integers (below 2^30, so V8 allocates nothing per lookup).
const DENSE_IDS = 2048;
const LOCAL_IDS = 32768;

function localIdOf(ctx: SemanticContext, row: number): number {
  let id = ctx.localId[row];
  if (id < 0) id = ctx.localId[row] = ctx.nextLocal++;
  return id;
}

function wordSimilarity(ctx: SemanticContext, a: number, b: number): number {
  const la = localIdOf(ctx, a);
  const lb = localIdOf(ctx, b);
  if (la < DENSE_IDS && lb < DENSE_IDS) {
    const dense = (ctx.dense ??= { value: new Float64Array(DENSE_IDS * DENSE_IDS), known: new Uint8Array(DENSE_IDS * DENSE_IDS) });
    const at = la < lb ? la * DENSE_IDS + lb : lb * DENSE_IDS + la;
    if (dense.known[at]) return dense.value[at];
    dense.known[at] = 1;
    return (dense.value[at] = cosine(ctx.vectors, a, b));
  }
  const key = la < LOCAL_IDS && lb < LOCAL_IDS ? (la < lb ? la * LOCAL_IDS + lb : lb * LOCAL_IDS + la) : -1 - (a < b ? a * 65536 + b : b * 65536 + a);
  let v = ctx.cache.get(key);
  if (v === undefined) {
    v = cosine(ctx.vectors, a, b);
    ctx.cache.set(key, v);
  }
  return v;
}

/**
 * Soft word overlap (BERTScore's greedy alignment, with static word vectors):
 * each content word of one text finds its closest word in the other: 1 for the
 * same stem, the vector cosine for a different word at `synonymCosine` or above,
 * else 0. The credits are averaged with IDF weights, the two directions averaged,
 * and the result rescaled so that `floor` (what unrelated recommendations of one
 * report reach through shared generic words) reads 0. Returns the value and the
 * different-word pairs that earned credit, closest first.
 */
export function semanticOverlap(a: Prepared, b: Prepared, ctx: SemanticContext): { value: number; aligned: [string, string, number][] } {
  const aligned: [string, string, number][] = [];
  const direction = (x: Prepared, y: Prepared, record: boolean): number => {
    if (!x.senseWeight) return 0;
    let sum = 0;
    for (const s of x.senses) {
      if (y.senseStems.has(s.stem)) {
        sum += s.weight;
        continue;
      }
      if (s.row < 0) continue;
      let best = 0;
      let partner = '';
      for (const t of y.senses) {
        if (t.row < 0) continue;
        const c = wordSimilarity(ctx, s.row, t.row);
        if (c > best) {
          best = c;
          partner = t.word;
        }
      }
      if (best < ctx.synonymCosine) continue;
      sum += s.weight * best;
      if (record) aligned.push([s.word, partner, best]);
    }
    return sum / x.senseWeight;
  };
  const raw = (direction(a, b, true) + direction(b, a, false)) / 2;
  if (aligned.length > 1) aligned.sort((p, q) => q[2] - p[2] || (p[0] < q[0] ? -1 : 1));
  return { value: Math.max(0, (raw - ctx.floor) / (1 - ctx.floor)), aligned };
}

export interface PairFeatures {
  tfidf: number;
  semantic?: number;
  /** Different words of the two texts that the semantic feature paired, closest first ("older~newer"). */
  alignedTerms?: string[];
  phrases: number;
  context: number;
  dice: number;
  keyTerms: number;
  sameNumber: boolean;
  sameSection?: boolean;
  sharedTerms: string[];
  score: number;
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
/** Shared terms listed in a pair's evidence. */
const SHARED_TERMS = 8;

export function scorePair(a: Prepared, b: Prepared, weights: Weights = DEFAULT_WEIGHTS, semantic?: SemanticContext): PairFeatures {
  let dot = 0;
  // The SHARED_TERMS heaviest shared terms (ties: alphabetical), kept in order as they are found.
  const sharedTerms: string[] = [];
  const sharedWeights: number[] = [];
  const small = a.weights.terms.length <= b.weights.terms.length ? a.weights : b.weights;
  const large = small === a.weights ? b.weights.map : a.weights.map;
  for (let i = 0; i < small.terms.length; i++) {
    const v = large.get(small.terms[i]);
    if (v === undefined) continue;
    const t = small.terms[i];
    const w = small.values[i] * v;
    dot += w;
    let at = sharedTerms.length;
    while (at > 0 && (sharedWeights[at - 1] < w || (sharedWeights[at - 1] === w && t < sharedTerms[at - 1]))) at--;
    if (at >= SHARED_TERMS) continue;
    // Insert at `at`, dropping the lightest past SHARED_TERMS (no splice: it allocates).
    let k = Math.min(sharedTerms.length, SHARED_TERMS - 1);
    for (; k > at; k--) {
      sharedTerms[k] = sharedTerms[k - 1];
      sharedWeights[k] = sharedWeights[k - 1];
    }
    sharedTerms[at] = t;
    sharedWeights[at] = w;
  }
  const tfidf = a.norm && b.norm ? Math.min(1, dot / (a.norm * b.norm)) : 0;
  const contextDot = dotOf(a.contextWeights, b.contextWeights);
  // Without any response or update on either side the context says nothing beyond the text.
  const context = (a.context || b.context) && a.contextNorm && b.contextNorm ? Math.min(1, contextDot / (a.contextNorm * b.contextNorm)) : tfidf;
  const shorter = a.weights.terms.length <= b.weights.terms.length ? a : b;
  const other = shorter === a ? b : a;
  const keyTerms = shorter.keyTerms.length
    ? shorter.keyTerms.filter((t) => other.weights.map.has(t)).length / shorter.keyTerms.length
    : 0;
  const phraseDot = dotOf(a.phraseWeights, b.phraseWeights);
  const phrases = a.phraseNorm && b.phraseNorm ? Math.min(1, phraseDot / (a.phraseNorm * b.phraseNorm)) : 0;
  const d = diceOfCodes(a.bigrams, b.bigrams);
  const diceScaled = Math.max(0, (d - DICE_FLOOR) / (1 - DICE_FLOOR));
  const sameNumber = a.number === b.number;
  const sameSection = a.section !== undefined && b.section !== undefined ? a.section === b.section : undefined;
  const soft = semantic && weights.semantic > 0 ? semanticOverlap(a, b, semantic) : undefined;
  const content =
    weights.tfidf * tfidf +
    weights.context * context +
    weights.keyTerms * keyTerms +
    weights.dice * diceScaled +
    weights.phrases * phrases +
    weights.semantic * (soft?.value ?? 0);
  // The number and section only nudge a pair that already shares content; scaled
  // by tfidf so two unrelated texts numbered 3 stay unrelated.
  const prior = Math.min(1, tfidf * 4) * ((sameNumber ? weights.sameNumber : 0) + (sameSection ? weights.sameSection : 0));
  return {
    tfidf: round(tfidf),
    ...(soft ? { semantic: round(soft.value), alignedTerms: soft.aligned.slice(0, 6).map(([x, y]) => `${x}~${y}`) } : {}),
    phrases: round(phrases),
    context: round(context),
    dice: round(d),
    keyTerms: round(keyTerms),
    sameNumber,
    ...(sameSection !== undefined ? { sameSection } : {}),
    sharedTerms,
    score: round(Math.min(1, content + prior)),
  };
}

/** How close two words must be (Jaro-Winkler) to count as a typo fix rather than a different word. */
const TYPO_SIMILARITY = 0.93;

/**
 * The same wording, changed at most trivially: the same words in the same order
 * once case, punctuation, spacing and quote marks are ignored, allowing a typo
 * fix in a longer word. A synonym, a reordered clause or an expanded acronym is a
 * rewording (character Dice alone cannot tell: one swapped word in a long
 * sentence, or a clause moved to the front, still scores above 0.9).
 */
export function sameWording(a: string, b: string): boolean {
  const words = (t: string) => t.normalize('NFKC').toLowerCase().replace(/[\u2019']/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  const x = words(a);
  const y = words(b);
  if (x.length !== y.length || x.length === 0) return false;
  return x.every((w, i) => w === y[i] || (w.length >= 5 && y[i].length >= 5 && jaroWinkler(w, y[i]) >= TYPO_SIMILARITY));
}

export function toEvidence(f: PairFeatures, note?: string): Evidence {
  return {
    tfidf: f.tfidf,
    ...(f.semantic !== undefined ? { semantic: f.semantic, alignedTerms: f.alignedTerms ?? [] } : {}),
    dice: f.dice,
    context: f.context,
    phrases: f.phrases,
    keyTerms: f.keyTerms,
    sameNumber: f.sameNumber,
    ...(f.sameSection !== undefined ? { sameSection: f.sameSection } : {}),
    sharedTerms: f.sharedTerms,
    decidedBy: 'model',
    ...(note ? { note } : {}),
  };
}
