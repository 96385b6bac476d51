// Candidate pruning: only pairs that share a reasonably distinctive stem are
// scored. An inverted index over the older side's stems accumulates a partial
// dot product for each newer item; each item keeps its best few candidates
// (both directions, so splits and merges survive), plus same-number pairs.
import type { Prepared } from './features.js';

export interface CandidateOptions {
  /** Candidates kept per item, per direction. */
  perItem: number;
  /** Stems in more than this share of either side's items are not used for lookup (they still count in the score). */
  maxPostingShare: number;
}

export const DEFAULT_CANDIDATES: CandidateOptions = { perItem: 12, maxPostingShare: 0.2 };

/** The k touched items with the highest accumulated score (ties: lower index), without sorting them all. */
function topK(touched: Int32Array, count: number, acc: Float64Array, k: number): number[] {
  const best: number[] = [];
  const better = (x: number, y: number) => acc[x] > acc[y] || (acc[x] === acc[y] && x < y);
  for (let t = 0; t < count; t++) {
    const i = touched[t];
    if (best.length === k && !better(i, best[k - 1])) continue;
    let pos = best.length < k ? best.length : k - 1;
    while (pos > 0 && better(i, best[pos - 1])) pos--;
    best.splice(pos, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Pairs [olderIndex, newerIndex] worth scoring, sorted. */
export function candidatePairs(older: Prepared[], newer: Prepared[], options: CandidateOptions = DEFAULT_CANDIDATES): [number, number][] {
  const pairs = new Set<number>();
  const key = (o: number, n: number): number => o * (newer.length + 1) + n;
  // Small documents: pruning buys nothing and could only lose links.
  if (older.length * newer.length <= 400) {
    for (let o = 0; o < older.length; o++) for (let n = 0; n < newer.length; n++) pairs.add(key(o, n));
  } else {
    // Dense accumulators with a touched list: a Map per item was the slow part at 2,000 x 2,000.
    const accumulate = (from: Prepared[], to: Prepared[], add: (f: number, t: number) => void) => {
      // Postings carry the normalised weight, so the inner loop does no lookups.
      const index = new Map<string, { items: number[]; weights: number[] }>();
      to.forEach((p, i) => {
        const { terms, values } = p.weights;
        for (let k = 0; k < terms.length; k++) {
          let list = index.get(terms[k]);
          if (!list) index.set(terms[k], (list = { items: [], weights: [] }));
          list.items.push(i);
          list.weights.push(values[k] / (p.norm || 1));
        }
      });
      const fromDf = new Map<string, number>();
      for (const q of from) for (const t of q.weights.terms) fromDf.set(t, (fromDf.get(t) ?? 0) + 1);
      const limitTo = Math.max(5, options.maxPostingShare * to.length);
      const limitFrom = Math.max(5, options.maxPostingShare * from.length);
      const acc = new Float64Array(to.length);
      // Reused for every item (an array emptied with length = 0 gives its storage back, and regrows).
      const touched = new Int32Array(to.length);
      from.forEach((q, f) => {
        let count = 0;
        const { terms, values } = q.weights;
        for (let j = 0; j < terms.length; j++) {
          const postings = index.get(terms[j]);
          if (!postings || postings.items.length > limitTo || (fromDf.get(terms[j]) ?? 0) > limitFrom) continue;
          const wq = values[j] / (q.norm || 1);
          for (let k = 0; k < postings.items.length; k++) {
            const i = postings.items[k];
            if (acc[i] === 0) touched[count++] = i;
            acc[i] += wq * postings.weights[k] + 1e-12;
          }
        }
        for (const i of topK(touched, count, acc, options.perItem)) add(f, i);
        for (let t = 0; t < count; t++) acc[touched[t]] = 0;
      });
    };
    accumulate(newer, older, (n, o) => pairs.add(key(o, n)));
    accumulate(older, newer, (o, n) => pairs.add(key(o, n)));
    // Same number: cheap, and lets the weak prior be seen for every pair it applies to.
    const newerByNumber = new Map<string, number[]>();
    newer.forEach((q, n) => newerByNumber.set(q.number, [...(newerByNumber.get(q.number) ?? []), n]));
    older.forEach((p, o) => {
      for (const n of newerByNumber.get(p.number) ?? []) pairs.add(key(o, n));
    });
  }
  return [...pairs]
    .sort((a, b) => a - b)
    .map((k) => [Math.floor(k / (newer.length + 1)), k % (newer.length + 1)] as [number, number]);
}
