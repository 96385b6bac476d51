// Matching recommendations across two generations of a report.
// prepare (stems, acronyms, TF-IDF) -> candidate pairs (inverted index) ->
// features and score per pair -> selection -> relations -> a person's overrides.
import type { DocumentJson, Link, LinkSet, Overrides, Relation } from '../schema.js';
import { assignRelations, scoreStatistics, selectPairs, type Background, type Scored, type Thresholds } from './assign.js';
import { candidatePairs, DEFAULT_CANDIDATES, type CandidateOptions } from './candidates.js';
import {
  DEFAULT_WEIGHTS,
  mergeGlossaries,
  prepare,
  sameWording,
  scorePair,
  semanticContext,
  toEvidence,
  type Item,
  type PairFeatures,
  type Prepared,
  type Weights,
} from './features.js';
import { findDefinitions } from '../normalise/glossary.js';
import { refsOf } from './refs.js';
import { fullNumber, sameNumberKey } from '../normalise/number.js';
import { defaultWordVectors, type WordVectors } from './vectors.js';

export { buildLineage, lineageToCsv } from './lineage.js';
export { BUILT_IN_GLOSSARY } from './glossary.js';
export type { Thresholds, Weights, CandidateOptions };

/**
 * Chosen by grid search on all gold pairs together (the seed pair, six fixture
 * pairs, three of them written blind by other hands, and a synthetic pair),
 * maximising mean F1; `npm run bench:link-grid` prints the ranking and a
 * leave-one-out check (README, "What generalises"). A pair that is the best of
 * both its items needs only `minScore`: reworded recommendations in long, wordy
 * reports share few distinctive words. The extra link of a split or merge (best
 * for one item only) must reach `ratio` of the other item's best and stand
 * `minExtraZ` standard deviations above this document pair's background (see
 * selectPairs): a fixed threshold alone was too high for terse reports and too
 * low for wordy ones.
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  minScore: 0.1,
  ratio: 0.7,
  sameDice: 0.9,
  sameTfidf: 0.85,
  lowConfidence: 0.2,
  minExtraScore: 0.1,
  minExtraZ: 4,
};

export interface MatchOptions {
  thresholds?: Partial<Thresholds>;
  weights?: Partial<Weights>;
  candidates?: Partial<CandidateOptions>;
  overrides?: Overrides;
  /** Word vectors for the semantic feature; default: the shipped data/word-vectors.bin; null: none. */
  wordVectors?: WordVectors | null;
}

export interface MatchStats {
  pairsScored: number;
  allPairs: number;
  /** Score statistics of the scored pairs the model did not link (how much unrelated items of this pair share). */
  background: Background;
}

function itemsOf(doc: DocumentJson): Item[] {
  const refs = refsOf(doc.recommendations);
  return doc.recommendations.map((r, index) => ({
    index,
    ref: refs[index],
    number: sameNumberKey(fullNumber(r)),
    ...(r.section !== undefined ? { section: r.section } : {}),
    text: r.text,
    context: [r.columns.response, r.columns.update].filter(Boolean).join('\n'),
  }));
}

function docHeader(doc: DocumentJson): LinkSet['from'] {
  return {
    document: doc.source.id,
    ...(doc.document.title !== undefined ? { title: doc.document.title } : {}),
    ...(doc.document.date !== undefined ? { date: doc.document.date } : {}),
    path: doc.source.path,
  };
}

/** Acronyms: built-in, then "Full Name (ACR)" found in either document, then the documents' own glossaries. */
function glossaryFor(older: DocumentJson, newer: DocumentJson) {
  const defined = (d: DocumentJson) => findDefinitions(d.recommendations.map((r) => r.text).join('\n'));
  return mergeGlossaries(defined(older), defined(newer), older.document.glossary, newer.document.glossary);
}

/** Matching with its statistics (pairs scored against all pairs), for benches and the CLI. */
export function matchGenerationsWithStats(
  older: DocumentJson,
  newer: DocumentJson,
  options: MatchOptions = {},
): { linkSet: LinkSet; stats: MatchStats } {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const weights: Weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const vectors = weights.semantic > 0 ? (options.wordVectors === undefined ? defaultWordVectors() : options.wordVectors) : null;
  const semantic = semanticContext(vectors, weights);
  const [olderItems, newerItems] = prepare(
    [itemsOf(older), itemsOf(newer)],
    glossaryFor(older, newer),
    weights.context > 0,
    weights.contextShare ?? 1,
    vectors,
  );
  const pairs = candidatePairs(olderItems, newerItems, { ...DEFAULT_CANDIDATES, ...options.candidates });
  const header = { from: docHeader(older), to: docHeader(newer) };
  const decisions = relevantDecisions(header, options.overrides);
  // A rejected pair is never proposed, so the next best pair can take its place.
  const rejected = new Set(
    decisions.filter((d) => d.action === 'reject').map((d) => `${d.from.number}\u0000${d.to.number}`),
  );
  const scored: Scored[] = [];
  for (const [o, n] of pairs) {
    if (rejected.has(`${olderItems[o].ref}\u0000${newerItems[n].ref}`)) continue;
    const features = scorePair(olderItems[o], newerItems[n], weights, semantic);
    // Wording is compared only where Dice and TF-IDF leave it possible (cheap filter).
    const sameText =
      features.dice >= thresholds.sameDice && features.tfidf >= thresholds.sameTfidf && sameWording(olderItems[o].text, newerItems[n].text);
    // Unchanged wording is the strongest evidence there is, whatever the updates beside it say.
    if (sameText) features.score = Math.max(features.score, Math.min(features.tfidf, features.dice));
    scored.push({ older: o, newer: n, features, ...(sameText ? { sameText } : {}) });
  }
  const links = selectPairs(scored, thresholds, sampledBackground(olderItems, newerItems, pairs.length, weights, semantic)).map((s) => modelLink(header, olderItems[s.older], newerItems[s.newer], s, thresholds));
  const linkSet = finish(header, links, olderItems.map((p) => p.ref), newerItems.map((p) => p.ref), thresholds);
  // Person-added pairs get their features computed, so the evidence still shows the text's overlap.
  const lookup = (from: string, to: string): (PairFeatures & { sameText: boolean }) | undefined => {
    const p = olderItems.find((x) => x.ref === from);
    const q = newerItems.find((x) => x.ref === to);
    return p && q ? { ...scorePair(p, q, weights, semantic), sameText: sameWording(p.text, q.text) } : undefined;
  };
  const order = { from: olderItems.map((p) => p.ref), to: newerItems.map((p) => p.ref) };
  const withOverrides = options.overrides ? applyOverridesWith(linkSet, options.overrides, thresholds, lookup, order) : linkSet;
  const linked = new Set(links.map((l) => `${l.from.number}\u0000${l.to.number}`));
  const background = scoreStatistics(scored.filter((s) => !linked.has(`${olderItems[s.older].ref}\u0000${newerItems[s.newer].ref}`)).map((s) => s.features.score));
  return { linkSet: withOverrides, stats: { pairsScored: scored.length, allPairs: olderItems.length * newerItems.length, background } };
}

/** Pairs sampled for the background statistics when candidates were pruned. */
const BACKGROUND_SAMPLE = 4000;

/**
 * When candidate pruning left most pairs unscored, the scored ones are the
 * likeliest pairs, not a background: score a fixed, evenly spread sample of all
 * pairs instead (deterministic: the k-th sample is a fixed function of k).
 */
function sampledBackground(
  older: Prepared[],
  newer: Prepared[],
  scoredCount: number,
  weights: Weights,
  semantic: ReturnType<typeof semanticContext>,
): Background | undefined {
  const all = older.length * newer.length;
  if (scoredCount >= all) return undefined;
  const n = Math.min(BACKGROUND_SAMPLE, all);
  const scores: number[] = [];
  for (let k = 0; k < n; k++) {
    // Golden-ratio stride over the flattened pair index: even coverage, no randomness.
    const flat = Math.floor(((k * 0.6180339887498949) % 1) * all);
    scores.push(scorePair(older[Math.floor(flat / newer.length)], newer[flat % newer.length], weights, semantic).score);
  }
  return scoreStatistics(scores);
}

export function matchGenerations(older: DocumentJson, newer: DocumentJson, options: MatchOptions = {}): LinkSet {
  return matchGenerationsWithStats(older, newer, options).linkSet;
}

function modelLink(header: Pick<LinkSet, 'from' | 'to'>, p: Prepared, q: Prepared, s: Scored, t: Thresholds) {
  const f = s.features;
  const note = f.score < t.lowConfidence ? 'low confidence: few shared terms' : undefined;
  return {
    from: { document: header.from.document, number: p.ref },
    to: { document: header.to.document, number: q.ref },
    score: f.score,
    evidence: toEvidence(f, note),
    sameText: s.sameText === true,
  };
}

/** A link before its relation is known; `sameText` (the wording is unchanged) is used for the relation and not published. */
type Draft = Omit<Link, 'relation'> & { relation?: Relation; personRelation?: Relation; sameText?: boolean };

function sortLinks(links: Link[], fromOrder: string[], toOrder: string[]): Link[] {
  const fi = new Map(fromOrder.map((r, i) => [r, i]));
  const ti = new Map(toOrder.map((r, i) => [r, i]));
  const pos = (m: Map<string, number>, r: string) => m.get(r) ?? Number.MAX_SAFE_INTEGER;
  return links.sort(
    (a, b) =>
      pos(ti, a.to.number) - pos(ti, b.to.number) ||
      pos(fi, a.from.number) - pos(fi, b.from.number) ||
      (a.to.number < b.to.number ? -1 : a.to.number > b.to.number ? 1 : a.from.number < b.from.number ? -1 : 1),
  );
}

function finish(
  header: Pick<LinkSet, 'from' | 'to'>,
  drafts: Draft[],
  fromRefs: string[],
  toRefs: string[],
  thresholds: Pick<Thresholds, 'sameDice' | 'sameTfidf'>,
): LinkSet {
  const links = sortLinks(assignRelations(drafts, thresholds), fromRefs, toRefs);
  const linkedFrom = new Set(links.map((l) => l.from.number));
  const linkedTo = new Set(links.map((l) => l.to.number));
  return {
    ...header,
    links,
    unmatched: { from: fromRefs.filter((r) => !linkedFrom.has(r)), to: toRefs.filter((r) => !linkedTo.has(r)) },
  };
}

type Decision = Overrides['decisions'][number] & { line?: number };

function sameDocument(ref: string, side: LinkSet['from']): boolean {
  const base = side.path.split(/[\\/]/).pop();
  return ref === side.document || ref === side.path || ref === base;
}

/** Decisions about this pair of documents (an overrides file may hold decisions for many pairs). */
function relevantDecisions(header: Pick<LinkSet, 'from' | 'to'>, overrides?: Overrides): Decision[] {
  if (!overrides) return [];
  return overrides.decisions.filter((d) => sameDocument(d.from.document, header.from) && sameDocument(d.to.document, header.to));
}

/**
 * A researcher's decisions, by document (source id, path or file name) and
 * number. `reject` removes a link; `confirm` marks a link as decided by a
 * person (adding it when the model had not proposed it); `add` adds one.
 * Person-decided links score 1 and keep the model's score in their note.
 * Relations are recomputed afterwards, since adding a link can make a merge.
 */
export function applyOverrides(linkSet: LinkSet, overrides: Overrides): LinkSet {
  return applyOverridesWith(linkSet, overrides, DEFAULT_THRESHOLDS, () => undefined);
}

function applyOverridesWith(
  linkSet: LinkSet,
  overrides: Overrides,
  thresholds: Pick<Thresholds, 'sameDice' | 'sameTfidf'>,
  lookup: (from: string, to: string) => (PairFeatures & { sameText?: boolean }) | undefined,
  order?: { from: string[]; to: string[] },
): LinkSet {
  const decisions = relevantDecisions(linkSet, overrides);
  if (decisions.length === 0) return linkSet;
  const key = (from: string, to: string) => `${from}\u0000${to}`;
  const drafts = new Map<string, Draft>();
  // Model relations are recomputed; person relations (from an earlier pass) are kept.
  // Whether the wording was unchanged survives only in a one-to-one relation.
  const sameTextOf = (r: Relation) => (r === 'same' ? true : r === 'reworded' ? false : undefined);
  for (const l of linkSet.links) {
    const sameText = sameTextOf(l.relation);
    drafts.set(key(l.from.number, l.to.number), {
      ...l,
      ...(l.evidence.decidedBy === 'person' ? { personRelation: l.relation } : {}),
      ...(sameText !== undefined ? { sameText } : {}),
    });
  }
  for (const d of decisions) {
    const k = key(d.from.number, d.to.number);
    if (d.action === 'reject') {
      drafts.delete(k);
      continue;
    }
    const existing = drafts.get(k);
    // Already decided by a person (an earlier pass): keep it, so applying twice changes nothing.
    if (existing && existing.evidence.decidedBy === 'person') {
      if (d.relation) existing.personRelation = d.relation;
      continue;
    }
    const decision = {
      action: d.action === 'add' ? ('add' as const) : ('confirm' as const),
      ...(d.decidedBy !== undefined ? { by: d.decidedBy } : {}),
      ...(d.date !== undefined ? { date: d.date } : {}),
      ...(d.note !== undefined ? { note: d.note } : {}),
      ...(d.line !== undefined ? { line: d.line } : {}),
    };
    const features = existing ? undefined : lookup(d.from.number, d.to.number);
    const modelScore = existing ? existing.score : features?.score;
    const evidence = existing
      ? existing.evidence
      : features
        ? toEvidence(features)
        : { tfidf: 0, dice: 0, keyTerms: 0, sameNumber: d.from.number === d.to.number, sharedTerms: [], decidedBy: 'model' as const };
    const note = [d.action === 'add' || !existing ? 'added by a person' : 'confirmed by a person', modelScore !== undefined ? `model score ${modelScore}` : undefined, d.note]
      .filter(Boolean)
      .join('; ');
    drafts.set(k, {
      from: { document: linkSet.from.document, number: d.from.number },
      to: { document: linkSet.to.document, number: d.to.number },
      score: 1,
      evidence: { ...evidence, decidedBy: 'person', note, decision },
      ...((existing?.sameText ?? features?.sameText) !== undefined ? { sameText: existing?.sameText ?? features?.sameText } : {}),
      ...(d.relation ? { personRelation: d.relation } : existing?.personRelation ? { personRelation: existing.personRelation } : {}),
    });
  }
  // Without the documents, their order is approximated by natural number order.
  const sorted = (refs: string[]) => [...new Set(refs)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const fromRefs = order?.from ?? sorted([...linkSet.links.map((l) => l.from.number), ...linkSet.unmatched.from]);
  const toRefs = order?.to ?? sorted([...linkSet.links.map((l) => l.to.number), ...linkSet.unmatched.to]);
  const { from, to } = linkSet;
  return finish({ from, to }, [...drafts.values()], fromRefs, toRefs, thresholds);
}
