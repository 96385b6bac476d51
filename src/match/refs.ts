// How links name a recommendation: its canonical number, or the id's
// "number~n" suffix when a document repeats a number (two tables both start at 1).
import type { Recommendation } from '../schema.js';

export function refsOf(recs: Recommendation[]): string[] {
  const counts = new Map<string, number>();
  for (const r of recs) counts.set(r.number, (counts.get(r.number) ?? 0) + 1);
  const seen = new Map<string, number>();
  return recs.map((r) => {
    if ((counts.get(r.number) ?? 0) <= 1) return r.number;
    const k = (seen.get(r.number) ?? 0) + 1;
    seen.set(r.number, k);
    const fromId = r.id.includes('#') ? r.id.slice(r.id.indexOf('#') + 1) : '';
    if (fromId && fromId !== r.number) return fromId;
    return k === 1 ? r.number : `${r.number}~${k}`;
  });
}
