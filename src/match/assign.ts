// From scored pairs to links. The rule is symmetric and local, so it allows
// one-to-many and many-to-one links without a global assignment (a greedy
// one-to-one matching was measured and lowered precision on the seed and the
// synthetic pair: it fills an item's slot with its second-best text):
//   a pair is linked when its score reaches `minScore` and it is the best pair
//   of both its items; or when it is the best pair of one item, scores at least
//   `ratio` times the best pair of the other item, reaches `minExtraScore`, and
//   stands `minExtraZ` standard deviations above the document pair's background
//   (the scores of pairs that are no item's best).
// Several older items that each find the same newer item best become a merge;
// several newer items that each find the same older item best, a split. An
// item republished with the same wording takes no other link.
import type { Link, MatchThresholds, Relation } from '../schema.js';
import type { PairFeatures } from './features.js';

export type Thresholds = MatchThresholds;

export interface Scored {
  older: number;
  newer: number;
  features: PairFeatures;
  /** The two texts have the same wording (features.sameWording). */
  sameText?: boolean;
}

export interface Background {
  mean: number;
  sd: number;
}

const MIN_SD = 0.02;

export function scoreStatistics(scores: number[]): Background {
  let mean = 0;
  for (const v of scores) mean += v;
  mean /= scores.length || 1;
  let variance = 0;
  for (const v of scores) variance += (v - mean) ** 2;
  // Floor: a handful of unrelated pairs that all score 0 would make any score stand out infinitely.
  return { mean, sd: Math.max(MIN_SD, Math.sqrt(variance / (scores.length || 1))) };
}

/**
 * `background`: score statistics of unrelated pairs of the two documents; by
 * default those of `scored` (right when every pair was scored; when candidates
 * were pruned, pass statistics of a sample of all pairs).
 */
export function selectPairs(scored: Scored[], thresholds: Thresholds, background?: Background): Scored[] {
  const bestOlder = new Map<number, number>(); // older index -> best score among its pairs
  const bestNewer = new Map<number, number>();
  for (const s of scored) {
    bestOlder.set(s.older, Math.max(bestOlder.get(s.older) ?? 0, s.features.score));
    bestNewer.set(s.newer, Math.max(bestNewer.get(s.newer) ?? 0, s.features.score));
  }
  // An unchanged text accounts for all of both items: neither is also part of a split or merge.
  const unchangedOlder = new Set<number>();
  const unchangedNewer = new Set<number>();
  for (const s of scored) {
    if (s.sameText) {
      unchangedOlder.add(s.older);
      unchangedNewer.add(s.newer);
    }
  }
  // The background: how much unrelated recommendations of these two documents
  // share. Wordy reports with a common vocabulary score higher throughout than
  // terse ones, so a fixed threshold alone is too high for one and too low for the other.
  // Pairs that are the best of either item are the possible links, not the background.
  const { mean, sd } =
    background ??
    scoreStatistics(scored.filter((s) => s.features.score < (bestOlder.get(s.older) ?? 0) && s.features.score < (bestNewer.get(s.newer) ?? 0)).map((s) => s.features.score));
  const z = (v: number) => (v - mean) / sd;
  return scored.filter((s) => {
    if (!s.sameText && (unchangedOlder.has(s.older) || unchangedNewer.has(s.newer))) return false;
    const v = s.features.score;
    if (v < thresholds.minScore || z(v) < (thresholds.minZ ?? -Infinity)) return false;
    const bo = bestOlder.get(s.older) ?? 0;
    const bn = bestNewer.get(s.newer) ?? 0;
    const bestForOlder = v >= bo;
    const bestForNewer = v >= bn;
    if (bestForOlder && bestForNewer) return true;
    if (v < thresholds.minExtraScore || z(v) < (thresholds.minExtraZ ?? -Infinity)) return false;
    if (bestForOlder) return v >= thresholds.ratio * bn;
    if (bestForNewer) return v >= thresholds.ratio * bo;
    return false;
  });
}

/** Relations from the shape of the final link graph; a person's stated relation wins. */
export function assignRelations(
  links: (Omit<Link, 'relation'> & { relation?: Relation; personRelation?: Relation; sameText?: boolean })[],
  thresholds: Pick<Thresholds, 'sameDice' | 'sameTfidf'>,
): Link[] {
  const fromCount = new Map<string, number>();
  const toCount = new Map<string, number>();
  for (const l of links) {
    fromCount.set(l.from.number, (fromCount.get(l.from.number) ?? 0) + 1);
    toCount.set(l.to.number, (toCount.get(l.to.number) ?? 0) + 1);
  }
  return links.map(({ personRelation, relation: _previous, sameText, ...l }) => {
    let relation: Relation;
    if (personRelation) relation = personRelation;
    else if ((toCount.get(l.to.number) ?? 0) > 1) relation = 'merged';
    else if ((fromCount.get(l.from.number) ?? 0) > 1) relation = 'split';
    else if (sameText !== false && l.evidence.dice >= thresholds.sameDice && l.evidence.tfidf >= thresholds.sameTfidf) relation = 'same';
    else relation = 'reworded';
    return { ...l, relation };
  });
}
