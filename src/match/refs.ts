// How links name a recommendation: its full number (a sub-item's with its parent's, "1a"), or
// the id's "number~n" suffix when a document repeats a number (two tables both start at 1).
import type { Recommendation } from '../schema.js';
import { fullNumber } from '../normalise/number.js';

export function refsOf(recs: Recommendation[]): string[] {
  const full = recs.map((r) => fullNumber(r));
  const counts = new Map<string, number>();
  for (const n of full) counts.set(n, (counts.get(n) ?? 0) + 1);
  const seen = new Map<string, number>();
  return recs.map((r, i) => {
    const n = full[i];
    if ((counts.get(n) ?? 0) <= 1) return n;
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    const fromId = r.id.includes('#') ? r.id.slice(r.id.indexOf('#') + 1) : '';
    if (fromId && fromId !== n) return fromId;
    return k === 1 ? n : `${n}~${k}`;
  });
}
