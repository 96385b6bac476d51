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

function topK(scores: Map<number, number>, k: number): number[] {
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([i]) => i);
}

/** Pairs [olderIndex, newerIndex] worth scoring, sorted. */
export function candidatePairs(older: Prepared[], newer: Prepared[], options: CandidateOptions = DEFAULT_CANDIDATES): [number, number][] {
  const pairs = new Set<number>();
  const key = (o: number, n: number): number => o * (newer.length + 1) + n;
  // Small documents: pruning buys nothing and could only lose links.
  if (older.length * newer.length <= 400) {
    for (let o = 0; o < older.length; o++) for (let n = 0; n < newer.length; n++) pairs.add(key(o, n));
  } else {
    const index = new Map<string, number[]>();
    older.forEach((p, o) => {
      for (const t of p.weights.keys()) {
        const list = index.get(t);
        if (list) list.push(o);
        else index.set(t, [o]);
      }
    });
    const newerDf = new Map<string, number>();
    for (const q of newer) for (const t of q.weights.keys()) newerDf.set(t, (newerDf.get(t) ?? 0) + 1);
    const limitOld = Math.max(5, options.maxPostingShare * older.length);
    const limitNew = Math.max(5, options.maxPostingShare * newer.length);
    const byOlder = older.map(() => new Map<number, number>());
    newer.forEach((q, n) => {
      const acc = new Map<number, number>();
      for (const [t, w] of q.weights) {
        const postings = index.get(t);
        if (!postings || postings.length > limitOld || (newerDf.get(t) ?? 0) > limitNew) continue;
        for (const o of postings) {
          const v = (w * (older[o].weights.get(t) ?? 0)) / (older[o].norm * q.norm || 1);
          acc.set(o, (acc.get(o) ?? 0) + v);
        }
      }
      for (const o of topK(acc, options.perItem)) pairs.add(key(o, n));
      for (const [o, v] of acc) byOlder[o].set(n, v);
    });
    byOlder.forEach((acc, o) => {
      for (const n of topK(acc, options.perItem)) pairs.add(key(o, n));
    });
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
